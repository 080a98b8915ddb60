/**
 * check-policy --all, offline: every function × every secret it reads, in each style of template
 * people deploy from (SAM, plain CloudFormation, CDK's cdk.out with a nested stack, Serverless's
 * compiled template), judged by the same static check as one function.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanStatic, type ScanResult } from '../../src/check/scan.js';
import { loadIacTemplates } from '../../src/template/iac.js';

const IAC = join(import.meta.dirname, '..', 'fixtures', 'iac');

async function scan(path: string, failOn: 'denied' | 'undetermined' = 'undetermined'): Promise<ScanResult> {
  const templates = await loadIacTemplates(IAC, path);
  return scanStatic({ templates, region: 'eu-central-1', parameterOverrides: {}, failOn });
}

const rows = (r: ScanResult) => r.checks.map((c) => [c.function.name, c.secret.id, c.suppressed ? 'suppressed' : c.verdict, c.code ?? '']);

describe('check-policy --all (static)', () => {
  it('SAM: each function with its secret; a function reading none is listed apart', async () => {
    const r = await scan('sam/template.yaml');
    expect(r.templates).toEqual([expect.objectContaining({ style: 'sam' })]);
    expect(rows(r)).toEqual([
      ['CurrentWeatherFunction', 'openweatherapi', 'allowed', ''],
      ['ForecastFunction', 'openweatherapi', 'denied', 'arn-missing-suffix'],
      ['LegacyFunction', 'openweatherapi', 'suppressed', 'no-grant'],
    ]);
    expect(r.functionsWithoutSecret.map((f) => f.name)).toEqual(['HealthFunction']);
    expect(r.checks[2]!.suppressed).toEqual({ reason: 'being retired in Q1; reads the key from SSM meanwhile' });
    expect(r.summary).toMatchObject({ checks: 3, allowed: 1, denied: 2, suppressed: 1, failing: 1 });
  });

  it('plain CloudFormation: a secret the environment names and one the role grants are both checked', async () => {
    const r = await scan('cloudformation/template.yaml');
    expect(r.templates[0]!.style).toBe('cloudformation');
    expect(rows(r)).toEqual([
      ['WeatherFunction', 'openweatherapi', 'allowed', ''],
      ['ReportFunction', 'reports/smtp', 'denied', 'arn-wrong-name'],
      ['ReportFunction', 'openweatherapi', 'allowed', ''],
    ]);
    expect(r.checks[2]!.secret.source).toBe('granted by read-openweather');
    // No SAM transform, no SAM: deployed by CloudFormation.
    expect(r.checks[1]!.findings[0]!.fix).toMatch(/Policies of role WeatherRole, then run `aws cloudformation deploy`/);
  });

  it('CDK: every stack of cdk.out/manifest.json and its nested stack, named by aws:cdk:path', async () => {
    const r = await scan('cdk.out');
    expect(r.templates.map((t) => [t.style, t.stack])).toEqual([['cdk', 'WeatherStack'], ['cdk', 'WeatherStack/Alerts']]);
    expect(rows(r)).toEqual([
      // grantRead: GetSecretValue+DescribeSecret on !Ref, kms:Decrypt with kms:ViaService, in an AWS::IAM::Policy with Roles: [!Ref role].
      ['WeatherStack/WeatherFunction', 'weather/openweather', 'allowed', ''],
      ['WeatherStack/ForecastFunction', 'weather/openweather', 'denied', 'no-grant'],
      // fromSecretNameV2(...).grantRead: Fn::Join ...:secret:weather/alerts-??????
      ['WeatherStack/Alerts/AlertsFunction', 'weather/alerts', 'allowed', ''],
      ['WeatherStack/Alerts/DigestFunction', 'weather/alerts', 'suppressed', 'no-grant'],
    ]);
    expect(r.checks[1]!.secret).toEqual({ id: 'weather/openweather', logicalId: 'ApiKey5B8E1A27', source: 'Environment.Variables.SECRET_ARN' });
    expect(r.checks[3]!.location?.file).toMatch(/WeatherStackAlertsA1B2C3D4\.nested\.template\.json$/);
  });

  it('CDK: the fix is CDK code and `cdk deploy`, not a YAML patch', async () => {
    const denied = (await scan('cdk.out')).checks[1]!;
    const fixes = denied.findings.map((f) => f.fix ?? '').join('\n');
    expect(fixes).toContain('apiKey.grantRead(forecastFunction);');
    expect(fixes).toContain('apiKeyKey.grantDecrypt(forecastFunction)');
    expect(fixes).toContain('`cdk deploy`');
    expect(fixes).not.toMatch(/sam deploy|Policies:|fix --write/);
  });

  it('Serverless: the compiled template, functions named by FunctionName, fix in serverless.yml', async () => {
    const r = await scan('serverless');
    expect(r.templates[0]!.style).toBe('serverless');
    expect(rows(r)).toEqual([
      ['weather-api-dev-current', 'weather/openweather', 'denied', 'arn-missing-suffix'],
      ['weather-api-dev-current', 'weather/forecast', 'allowed', ''],
      ['weather-api-dev-forecast', 'weather/forecast', 'allowed', ''],
      ['weather-api-dev-forecast', 'weather/openweather', 'denied', 'arn-missing-suffix'],
    ]);
    expect(r.checks[0]!.findings[0]!.fix).toMatch(/serverless\.yml[\s\S]*secret:weather\/openweather-\?\?\?\?\?\?/);
  });

  it('locates each check at the function in its source template', async () => {
    const r = await scan('sam/template.yaml');
    expect(r.checks[1]!.location).toEqual({ file: expect.stringMatching(/sam\/template\.yaml$/), line: 27, col: 3 });
  });

  it('--fail-on denied lets an undetermined check pass; a suppression needs a reason', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp(join((await import('node:os')).tmpdir(), 'ws-scan-'));
    const file = join(dir, 'template.yaml');
    await writeFile(file, `Transform: AWS::Serverless-2016-10-31
Parameters:
  SecretName: { Type: String }
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, Handler: a.h, CodeUri: a/, Environment: { Variables: { SECRET_NAME: !Ref Missing } } }
  B:
    Type: AWS::Serverless::Function
    Metadata: { weather-secrets: { suppress: [{ code: no-grant }] } }
    Properties: { Runtime: python3.12, Handler: a.h, CodeUri: a/, Environment: { Variables: { SECRET_NAME: openweatherapi } } }
`);
    const strict = await scanStatic({ templates: await loadIacTemplates(dir, 'template.yaml'), region: 'eu-central-1', parameterOverrides: {}, failOn: 'undetermined' });
    expect(strict.checks.map((c) => [c.function.name, c.verdict, c.failing])).toEqual([['A', 'undetermined', true], ['B', 'denied', true]]);
    expect(strict.checks[1]!.findings.map((f) => f.code)).toContain('suppression-without-reason');
    const lenient = await scanStatic({ templates: await loadIacTemplates(dir, 'template.yaml'), region: 'eu-central-1', parameterOverrides: {}, failOn: 'denied' });
    expect(lenient.checks.map((c) => c.failing)).toEqual([false, true]);
  });
});
