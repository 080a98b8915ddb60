/**
 * `invoke()` with in-memory fakes (no emulator, no child process), and the pure pieces around it. The
 * fakes reproduce what the adapters return: sam's stdout/stderr, Lambda's Invoke answer, a stack's
 * resources, STS denying AssumeRole into a role that trusts only lambda.amazonaws.com.
 */
import { Chalk } from 'chalk';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CloudFormationApi } from '../../src/aws/cloudformation.js';
import type { LambdaApi } from '../../src/aws/lambda.js';
import type { StsApi } from '../../src/aws/sts.js';
import { headlineOf, invoke, type InvokeDeps, type InvokeOptions, type InvokeRun } from '../../src/commands/invoke.js';
import { exitCodeOf } from '../../src/cli/exit-codes.js';
import { normaliseInvokeOptions } from '../../src/cli/handlers/invoke.js';
import { summariseCheckPolicy } from '../../src/commands/compose.js';
import { renderInvoke } from '../../src/cli/render/invoke.js';
import { buildProgram } from '../../src/cli/program.js';
import { collectingReporter } from '../../src/core/reporter.js';
import type { SamLocalInvokeOptions } from '../../src/sam/cli.js';
import { principalArn, trustStatementFor } from '../../src/invoke/deployed-role.js';
import { secretIdFromEnvironment } from '../../src/invoke/known-secret.js';
import { STANDIN_DIR, TEMPLATE } from './invoke-fixtures.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:openweatherapi-AbC123';
const DENIED = `User: arn:aws:sts::123456789012:assumed-role/weather-role/weather is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action`;
const SECRET_VALUE = JSON.stringify({ OPENWEATHER_API_KEY: 'sekret-value-123456' });

async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-invoke-unit-'));
  await writeFile(join(dir, 'template.yaml'), TEMPLATE);
  return dir;
}

function fakes(overrides: Partial<InvokeDeps> = {}) {
  const samCalls: Array<SamLocalInvokeOptions & { envVars?: string }> = [];
  const stderr: string[] = [];
  const lambda: LambdaApi = {
    getFunctionConfiguration: async (name) => ({ name, arn: `arn:aws:lambda:eu-central-1:123456789012:function:${name}`, role: 'arn:aws:iam::123456789012:role/weather-role', environment: { SECRET_ARN } }),
    invoke: async () => ({ statusCode: 200, functionError: 'Unhandled', payload: JSON.stringify({ errorType: 'AccessDeniedException', errorMessage: DENIED }), logResult: Buffer.from('REPORT RequestId: r\tDuration: 20.5 ms\n').toString('base64') }),
    listFunctionNames: async () => ['weather'],
  };
  const cfn: CloudFormationApi = {
    physicalId: async () => undefined,
    stackResources: async () => [
      { logicalId: 'OpenWeatherSecret', physicalId: SECRET_ARN, type: 'AWS::SecretsManager::Secret' },
      { logicalId: 'OpenWeatherFunction', physicalId: 'weather', type: 'AWS::Lambda::Function' },
    ],
  };
  const sts: StsApi = {
    getCallerIdentity: async () => ({ account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Developer/jane', userId: 'AROA:jane' }),
    assumeRole: async () => ({ ok: false, denied: true, message: 'not authorized to perform: sts:AssumeRole' }),
    getFederationToken: async () => ({ ok: false, denied: true, message: 'Cannot call GetFederationToken with session credentials' }),
    currentCredentials: async () => ({ accessKeyId: 'AKIADEVELOPER', secretAccessKey: 'dev-secret', sessionToken: '' }),
  };
  const deps: InvokeDeps = {
    reporter: collectingReporter(),
    runSam: async (options) => {
      const { readFile } = await import('node:fs/promises');
      samCalls.push({ ...options, ...(options.envVarsPath && { envVars: await readFile(options.envVarsPath, 'utf8') }) });
      options.onStderr('START\nkey sekret-value-123456\nREPORT RequestId: r\tDuration: 5 ms\n');
      return { exitCode: 0, stdout: '{"ok": true}', stderrTail: 'REPORT RequestId: r\tDuration: 5 ms\n' };
    },
    lambda: async () => lambda,
    cloudFormation: async () => cfn,
    sts: async () => sts,
    secrets: async () => ({ getValue: async (id) => (id === SECRET_ARN || id === 'openweatherapi' ? { arn: SECRET_ARN, versionId: 'v1', secretString: SECRET_VALUE } : undefined) }),
    onStderr: (line) => stderr.push(line),
    ...overrides,
  };
  return { deps, samCalls, stderr };
}

async function options(extra: Partial<InvokeOptions> = {}): Promise<InvokeOptions> {
  return { mode: 'local', eventText: '{}', asDeployedRole: false, redact: true, cwd: await project(), region: 'eu-central-1', parameterOverrides: {}, ...extra };
}

describe('invoke() with fakes', () => {
  it('fills SECRET_ARN from the stack for sam, and masks the secret in sam\'s streamed stderr', async () => {
    const { deps, samCalls, stderr } = fakes();
    const result = await invoke(await options({ stackName: 'weather' }), deps);
    expect(JSON.parse(samCalls[0]!.envVars!)).toEqual({ OpenWeatherFunction: { SECRET_ARN } });
    expect(stderr.join('')).toContain('key ****');
    expect(stderr.join('')).not.toContain('sekret-value-123456');
    expect(result).toMatchObject({ mode: 'local', status: 'succeeded', envParity: { stackName: 'weather', filled: ['SECRET_ARN'] }, redaction: { applied: true, secretId: SECRET_ARN } });
  });

  it('--as-deployed-role denied: nothing runs, exit 3, with the trust statement for this developer', async () => {
    const { deps, samCalls } = fakes();
    const error = await invoke(await options({ asDeployedRole: true, stackName: 'weather' }), deps).catch((e: unknown) => e);
    expect(samCalls).toHaveLength(0);
    expect(error).toMatchObject({ exitCode: 3, code: 'deployed-role-not-assumable' });
    expect((error as Error).message).toContain('trusts only lambda.amazonaws.com');
    expect((error as { hint: string }).hint).toContain('"AWS": "arn:aws:iam::123456789012:role/Developer"');
    expect((error as { hint: string }).hint).toContain('For a development account');
  });

  it('--compare: works locally, fails deployed, followed by the injected check-policy explanation', async () => {
    const explained: string[] = [];
    const { deps } = fakes({
      explainAccess: async (name) => {
        explained.push(name);
        return { verdict: 'denied', summary: 'No identity policy of weather-role grants GetSecretValue.', fix: 'Policies:\n  - AWSSecretsManagerGetSecretValuePolicy:\n      SecretArn: !Ref OpenWeatherSecret' };
      },
    });
    const result = await invoke(await options({ mode: 'compare', stackName: 'weather' }), deps);
    expect(explained).toEqual(['weather']);
    expect(exitCodeOf(result)).toBe(1);
    const text = renderInvoke(result, new Chalk({ level: 0 }));
    expect(text.split('\n')[0]).toBe(`works locally, fails deployed: weather-role may not call secretsmanager:GetSecretValue on ${SECRET_ARN}: no identity-based policy allows it.`);
    expect(text).toContain('check-policy: denied: No identity policy of weather-role grants GetSecretValue.');
    expect(text).toContain('AWSSecretsManagerGetSecretValuePolicy');
    expect(text).not.toContain('sekret-value-123456');
  });

  it('--compare keeps the other side when one cannot run, and exits 3', async () => {
    const { deps } = fakes({ runSam: async () => Promise.reject(new (await import('../../src/core/errors.js')).EnvironmentError('no docker', { code: 'no-container-runtime' })) });
    const result = await invoke(await options({ mode: 'compare', stackName: 'weather' }), deps);
    expect(result).toMatchObject({ local: { status: 'not-run', error: { code: 'no-container-runtime' } }, remote: { status: 'failed' } });
    expect(exitCodeOf(result)).toBe(3);
  });

  it('a sam that times out after printing the secret: the error, rendered with --verbose, shows no value', async () => {
    const { samLocalInvoke } = await import('../../src/sam/cli.js');
    const { renderError } = await import('../../src/cli/errors.js');
    vi.stubEnv('PATH', `${STANDIN_DIR}:${process.env.PATH ?? ''}`);
    vi.stubEnv('SAM_STANDIN_SCENARIO', 'slow-leaky');
    vi.stubEnv('SAM_STANDIN_CANARY', 'sekret-value-123456');
    try {
      // The real adapter and the stand-in sam; only the timeout is shortened. It leaves the stand-in
      // (a node script) time to start and install its SIGINT handler even on a loaded machine.
      const { deps } = fakes({ runSam: (samOptions) => samLocalInvoke({ ...samOptions, timeoutMs: 2_500, killGraceMs: 1_000 }) });
      const error = await invoke(await options(), deps).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'sam-timeout' });
      const rendered = renderError(error, true);
      expect(rendered.text).toContain('appid=****');
      expect(`${rendered.text}\n${JSON.stringify(rendered.json)}`).not.toContain('sekret-value-123456');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('bad event JSON is a usage error before anything runs', async () => {
    const { deps, samCalls } = fakes();
    await expect(invoke(await options({ eventText: '{nope' }), deps)).rejects.toMatchObject({ exitCode: 2, code: 'event-not-json' });
    expect(samCalls).toHaveLength(0);
  });
});

describe('pure pieces', () => {
  const run = (status: InvokeRun['status'], mode: InvokeRun['mode'] = 'remote'): InvokeRun => ({ mode, status, function: {}, classification: { code: status === 'failed' ? 'timeout' : 'ok', summary: status === 'failed' ? 'timed out' : 'fine' } });
  it.each([
    ['succeeded', 'succeeded', 'works locally and deployed'],
    ['succeeded', 'failed', 'works locally, fails deployed: timed out'],
    ['failed', 'succeeded', 'fails locally, works deployed: timed out'],
    ['failed', 'failed', 'fails locally and deployed: timed out'],
  ] as const)('headline: local %s, remote %s', (local, remote, headline) => {
    expect(headlineOf(run(local, 'local'), run(remote))).toBe(headline);
  });

  it.each([
    [{ SECRET_NAME: 'openweatherapi', UNITS: 'metric' }, 'openweatherapi'],
    [{ OPENWEATHER_SECRET_ID: 'prod/owm' }, 'prod/owm'],
    [{ NAME: 'x', KEY: SECRET_ARN }, SECRET_ARN],
    [{ SECRETS_MANAGER_ENDPOINT: 'https://x', UNITS: 'metric' }, undefined],
  ])('secretIdFromEnvironment(%j)', (env, expected) => {
    expect(secretIdFromEnvironment(env)).toBe(expected);
  });

  it('a session ARN becomes its role ARN in the trust statement', () => {
    expect(principalArn('arn:aws:sts::123456789012:assumed-role/Dev/jane@example.com')).toBe('arn:aws:iam::123456789012:role/Dev');
    expect(trustStatementFor('arn:aws:iam::123456789012:user/jane')).toEqual({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/jane' }, Action: 'sts:AssumeRole' });
  });

  it.each([
    [[], {}, { mode: 'local', asDeployedRole: false, redact: true }],
    [['Fn'], { remote: true, qualifier: 'live', redact: false }, { mode: 'remote', functionId: 'Fn', qualifier: 'live', redact: false }],
    [[], { compare: true, event: '-', stackName: 's', template: 't.yaml', secretId: 'x', asDeployedRole: true }, { mode: 'compare', event: '-', stackName: 's', templatePath: 't.yaml', secretId: 'x', asDeployedRole: true }],
  ])('normaliseInvokeOptions(%j, %j)', (positional, raw, expected) => {
    expect(normaliseInvokeOptions(positional, raw)).toMatchObject(expected);
  });

  it.each([
    [['invoke'], [], { mode: 'local', redact: true, asDeployedRole: false }],
    [['invoke', 'WeatherFunction', '--no-redact', '--event', 'e.json'], ['WeatherFunction'], { mode: 'local', functionId: 'WeatherFunction', redact: false, event: 'e.json' }],
    [['--region', 'eu-west-1', 'invoke', '--compare', '--stack-name', 'weather', '--json'], [], { mode: 'compare', stackName: 'weather' }],
    [['invoke', 'weather', '--remote', '--qualifier', '3', '--secret-id', 'owm'], ['weather'], { mode: 'remote', functionId: 'weather', qualifier: '3', secretId: 'owm' }],
    [['invoke', '--as-deployed-role', '--template', 'build/template.yaml'], [], { asDeployedRole: true, templatePath: 'build/template.yaml' }],
    [['invoke', '--runtime', 'host', '--as-deployed-role', '--via-role', 'arn:aws:iam::1:role/Dev'], [], { mode: 'local', runtime: 'host', asDeployedRole: true, viaRole: 'arn:aws:iam::1:role/Dev' }],
    [['invoke', '--compare', '--runtime', 'host'], [], { mode: 'compare', runtime: 'host' }],
  ])('argv %j through commander', async (argv, args, expected) => {
    let seen: { name: string; args: string[]; options: Record<string, unknown> } | undefined;
    const program = buildProgram('0.0.0', async (name, _load, command) => {
      seen = { name, args: command.args, options: command.opts() };
    });
    await program.parseAsync(['node', 'weather-secrets', ...argv]);
    expect(seen?.name).toBe('invoke');
    expect(seen?.args).toEqual(args);
    expect(normaliseInvokeOptions(seen!.args, seen!.options)).toMatchObject(expected);
  });

  it('refuses two modes, and --as-deployed-role with --remote', () => {
    expect(() => normaliseInvokeOptions([], { local: true, remote: true })).toThrow(/Choose one of --local, --remote/);
    expect(() => normaliseInvokeOptions([], { remote: true, asDeployedRole: true })).toThrow(/applies to local runs/);
    expect(() => normaliseInvokeOptions([], { runtime: 'lambda' })).toThrow(/must be container or host/);
    expect(() => normaliseInvokeOptions([], { remote: true, runtime: 'host' })).toThrow(/--runtime applies to local runs/);
    expect(() => normaliseInvokeOptions([], { viaRole: 'arn:aws:iam::1:role/Dev' })).toThrow(/--via-role applies with --as-deployed-role/);
  });

  it('summarises a check-policy result: the first error finding and the first fix', () => {
    const summary = summariseCheckPolicy({ verdict: 'denied', findings: [{ severity: 'info', message: 'i' }, { severity: 'error', message: 'e', fix: 'f' }] });
    expect(summary).toEqual({ verdict: 'denied', summary: 'e', fix: 'f' });
  });
});
