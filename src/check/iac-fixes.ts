/**
 * The fix in the user's own language: a CDK app is fixed in its TypeScript (`secret.grantRead(fn)`)
 * and deployed with `cdk deploy`; a Serverless service in serverless.yml and `serverless deploy`.
 * Editing the synthesised template would be overwritten by the next synth, so no YAML patch for them.
 */
import type { Finding } from '../core/findings.js';
import type { IacStyle } from '../template/iac.js';

export interface IacFixInput {
  style: IacStyle;
  /** CDK construct ids: `ForecastFunction`, `ApiKey`, `ApiKeyKey`. */
  functionConstruct: string;
  secretConstruct?: string;
  keyConstruct?: string;
  secretName: string;
  stack?: string;
  region: string;
}

const GRANT_CODES = /^(no-grant|condition-not-met|arn-.*)$/;

export function fixesForStyle(findings: Finding[], input: IacFixInput): Finding[] {
  if (input.style === 'cloudformation') return findings.map((f) => (f.fix ? { ...f, fix: plainCloudFormation(f.fix) } : f));
  if (input.style !== 'cdk' && input.style !== 'serverless') return findings;
  return findings.map((f) => {
    if (!f.fix) return f;
    if (GRANT_CODES.test(f.code) && !f.code.endsWith('-unverified')) return { ...f, fix: input.style === 'cdk' ? cdkGrantRead(input) : serverlessStatements(input) };
    if (f.code === 'kms-decrypt-missing') return { ...f, fix: input.style === 'cdk' ? cdkGrantDecrypt(input) : serverlessStatements(input) };
    return { ...f, fix: f.fix.replace(/`sam (build && sam )?deploy`/g, input.style === 'cdk' ? '`cdk deploy`' : '`serverless deploy`').replace(/\nOr let weather-secrets edit the template:.*$/m, '') };
  });
}

/** Without the SAM transform there is no SAM: the same role snippet, deployed by CloudFormation. */
function plainCloudFormation(fix: string): string {
  return fix.replace(" (the function's Role; SAM ignores the function's own Policies)", '').replace(/`sam (build && sam )?deploy`/g, '`aws cloudformation deploy`');
}

const variable = (construct: string) => construct.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^./, (c) => c.toLowerCase());

function cdkGrantRead(input: IacFixInput): string {
  const fn = variable(input.functionConstruct);
  const secret = input.secretConstruct
    ? `${variable(input.secretConstruct)}.grantRead(${fn});`
    : `secretsmanager.Secret.fromSecretNameV2(this, 'ApiKeySecret', '${input.secretName}').grantRead(${fn});`;
  const lines = [`In your CDK app${input.stack ? ` (stack ${input.stack})` : ''}, grant the function read access, then run \`cdk deploy\`:`, `  ${secret}`];
  if (input.keyConstruct) lines.push(`  // grantRead also allows kms:Decrypt on the secret's key (${input.keyConstruct}) through Secrets Manager.`);
  return lines.join('\n');
}

function cdkGrantDecrypt(input: IacFixInput): string {
  const fn = variable(input.functionConstruct);
  const key = input.keyConstruct ? variable(input.keyConstruct) : 'key';
  return [
    `In your CDK app${input.stack ? ` (stack ${input.stack})` : ''}, let the function decrypt with the secret's key, then run \`cdk deploy\`:`,
    input.secretConstruct ? `  ${variable(input.secretConstruct)}.grantRead(${fn}); // covers kms:Decrypt on its key` : `  ${key}.grantDecrypt(${fn});`,
    ...(input.secretConstruct ? [`  // or only the key: ${key}.grantDecrypt(${fn});`] : []),
  ].join('\n');
}

function serverlessStatements(input: IacFixInput): string {
  return [
    'Add to serverless.yml, then run `serverless deploy`:',
    'provider:',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    '          Action: secretsmanager:GetSecretValue',
    `          Resource: arn:aws:secretsmanager:${input.region}:\${aws:accountId}:secret:${input.secretName}-??????`,
  ].join('\n');
}
