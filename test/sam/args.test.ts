import { describe, expect, it } from 'vitest';
import { buildLocalInvokeArgv, formatParameterOverride } from '../../src/sam/args.js';
import { UsageError } from '../../src/core/errors.js';

describe('buildLocalInvokeArgv', () => {
  it('puts only what was given, the logical ID before --parameter-overrides', () => {
    expect(buildLocalInvokeArgv({ logicalId: 'WeatherFunction', templatePath: 'template.yaml', eventPath: '/tmp/e.json' })).toEqual([
      'local', 'invoke', 'WeatherFunction', '--template', 'template.yaml', '--event', '/tmp/e.json',
    ]);
  });

  it('builds every option in a fixed order', () => {
    const argv = buildLocalInvokeArgv({
      logicalId: 'WeatherFunction',
      templatePath: '.aws-sam/build/template.yaml',
      eventPath: 'events/event.json',
      envVarsPath: 'env.json',
      parameterOverrides: { SecretName: 'openweatherapi', Stage: 'dev' },
      region: 'eu-west-1',
      profile: 'weather-dev',
      configEnv: 'staging',
    });
    expect(argv).toEqual([
      'local', 'invoke', 'WeatherFunction',
      '--template', '.aws-sam/build/template.yaml',
      '--event', 'events/event.json',
      '--env-vars', 'env.json',
      '--parameter-overrides', 'SecretName=openweatherapi', 'Stage=dev',
      '--region', 'eu-west-1',
      '--profile', 'weather-dev',
      '--config-env', 'staging',
    ]);
  });

  it('leaves out --parameter-overrides when there are none', () => {
    expect(buildLocalInvokeArgv({ logicalId: 'F', templatePath: 't', eventPath: 'e', parameterOverrides: {} })).not.toContain('--parameter-overrides');
  });
});

describe('formatParameterOverride', () => {
  it.each([
    ['a plain value', 'SecretName', 'openweatherapi', 'SecretName=openweatherapi'],
    ['an ARN', 'SecretArn', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openweatherapi-AbC123', 'SecretArn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:openweatherapi-AbC123'],
    ['a value with spaces', 'Greeting', 'hello world', 'Greeting="hello world"'],
    ['a value with double quotes', 'Motto', 'say "hi"', 'Motto="say \\"hi\\""'],
    ['a value with a single quote', 'City', "it's Oslo", 'City="it\'s Oslo"'],
    ['a Windows path', 'Dir', 'C:\\weather', 'Dir="C:\\weather"'],
    ['an empty value', 'Suffix', '', 'Suffix=""'],
    ['a comma list', 'Subnets', 'subnet-1,subnet-2', 'Subnets=subnet-1,subnet-2'],
  ])('%s', (_name, key, value, token) => {
    expect(formatParameterOverride(key, value)).toBe(token);
  });

  it.each([
    ['a key that is not a CloudFormation parameter name', 'Secret Name', 'x', 'invalid-parameter-name'],
    ['a value sam would change (backslash before a quote)', 'Motto', 'a\\"b', 'invalid-parameter-value'],
    ['a value ending in a backslash', 'Dir', 'C:\\', 'invalid-parameter-value'],
  ])('refuses %s rather than send sam something else', (_name, key, value, code) => {
    expect(() => formatParameterOverride(key, value)).toThrow(expect.objectContaining({ code, exitCode: 2 }));
    expect(() => formatParameterOverride(key, value)).toThrow(UsageError);
  });
});
