/**
 * `--env-vars` read as sam reads it (samcli local_lambda.py _make_env_vars, env_vars.py resolve): the
 * function's own section over "Parameters" over the shell over the template, for declared variables
 * only, with sam's stringification; malformed files are usage errors that quote no value.
 */
import { describe, expect, it } from 'vitest';
import { parseEnvVarsFile, resolveLocalVariables, samStringify } from '../../src/invoke/env-vars-file.js';

const file = (sections: unknown) => parseEnvVarsFile(JSON.stringify(sections), 'env.json');
const declared = { SECRET_NAME: 'openweatherapi', UNITS: 'metric', CITY: 'Vienna' };

describe('which value a local run gets for each declared variable', () => {
  it.each([
    ['the template alone', undefined, {}, declared, [], []],
    ['the function\'s section beats Parameters', file({ Parameters: { UNITS: 'imperial', CITY: 'Graz' }, WeatherFunction: { UNITS: 'standard' } }), {}, { ...declared, UNITS: 'standard', CITY: 'Graz' }, ['UNITS', 'CITY'], []],
    ['a section by FunctionName when there is none by logical ID', file({ weather: { CITY: 'Linz' } }), {}, { ...declared, CITY: 'Linz' }, ['CITY'], []],
    ['the shell beats the template, the file beats the shell', file({ Parameters: { UNITS: 'imperial' } }), { SECRET_NAME: 'dev/owm', UNITS: 'kelvin' }, { ...declared, SECRET_NAME: 'dev/owm', UNITS: 'imperial' }, ['UNITS'], ['SECRET_NAME']],
    ['variables the template does not declare are not added', file({ WeatherFunction: { EXTRA: 'x' } }), { OTHER: 'y' }, declared, [], []],
    ['sam\'s stringification', file({ WeatherFunction: { UNITS: true, CITY: 12, SECRET_NAME: null } }), {}, { UNITS: 'true', CITY: '12', SECRET_NAME: '' }, ['SECRET_NAME', 'UNITS', 'CITY'], []],
  ] as const)('%s', (_name, envVars, shell, values, fromFile, fromShell) => {
    const result = resolveLocalVariables({ declared, ids: ['WeatherFunction', 'weather'], shell, ...(envVars && { file: envVars }) });
    expect(result.values).toEqual(values);
    expect([...result.fromFile].sort()).toEqual([...fromFile].sort());
    expect(result.fromShell).toEqual(fromShell);
  });

  it.each([[false, 'false'], [1.5, '1.5'], [[1], ''], [{ a: 1 }, '']])('samStringify(%j) = %j', (value, expected) => {
    expect(samStringify(value)).toBe(expected);
  });
});

describe('a malformed --env-vars file', () => {
  it.each([
    ['not JSON', '{"WeatherFunction": {"KEY": "CANARY-envvars-91"', /not valid JSON/],
    ['a list', '["CANARY-envvars-91"]', /must hold a JSON object/],
    ['a section that is not an object', '{"WeatherFunction": "CANARY-envvars-91"}', /"WeatherFunction" must be an object of variables/],
  ])('%s: a usage error (exit 2) that quotes no value', (_name, text, message) => {
    let caught: unknown;
    try {
      parseEnvVarsFile(text, 'env.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ exitCode: 2, code: 'env-vars-invalid', message: expect.stringMatching(message) });
    expect(JSON.stringify(caught) + String((caught as Error).message) + String((caught as { hint?: string }).hint)).not.toContain('CANARY-envvars-91');
  });
});
