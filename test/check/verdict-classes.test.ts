/**
 * Issue 9, one table per class of wrong verdict: the static check on small templates, each row the
 * smallest template showing the class. Expected answers are AWS's (see the comments for the page).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStatic } from '../../src/check/static.js';

const SUB_ARN = '!Sub arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:openweatherapi-??????';
const GRANT = `        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: ${SUB_ARN}\n`;

function template(policies: string, { props = '', resources = '', head = '' } = {}): string {
  return `${head}Transform: AWS::Serverless-2016-10-31
Resources:
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          SECRET_NAME: openweatherapi
${props}      Policies:
${policies}${resources}`;
}

async function verdictOf(text: string, secretId?: string) {
  const dir = await mkdtemp(join(tmpdir(), 'ws-classes-'));
  await writeFile(join(dir, 'template.yaml'), text);
  if (process.env.SHOW_TEMPLATE) console.log(text);
  const result = await checkStatic({ templatePath: join(dir, 'template.yaml'), region: 'eu-west-1', parameterOverrides: {}, ...(secretId ? { secretId } : {}) });
  return { verdict: result.verdict, codes: result.findings.map((f) => f.code), text: JSON.stringify(result.findings) };
}

const statement = (effect: string, action: string, resource: string, condition = '') =>
  `        - Statement:\n            - Effect: ${effect}\n              ${action}\n              Resource: ${resource}\n${condition}`;

type Row = [string, string, 'allowed' | 'denied' | 'undetermined', string?];

const run = (rows: Row[]) => it.each(rows)('%s', async (_name, text, verdict, secretId) => {
  expect((await verdictOf(text, secretId)).verdict).toBe(verdict);
});

describe('class 1: unseen content is never assumed harmless', () => {
  run([
    ['a grant plus an unseen customer managed policy (it may deny)', template(`${GRANT}        - !Sub arn:aws:iam::\${AWS::AccountId}:policy/team\n`), 'undetermined'],
    ['no grant plus an unseen managed policy (it may allow)', template(`        - !Sub arn:aws:iam::\${AWS::AccountId}:policy/team\n`), 'undetermined'],
    ['an unseen managed policy, but a seen Deny applies in every case', template(`${GRANT}${statement('Deny', 'Action: "secretsmanager:*"', "'*'")}        - !Sub arn:aws:iam::\${AWS::AccountId}:policy/team\n`), 'denied'],
    ['an unseen boundary and no grant at all: denied whatever it holds', template(`        - AWSLambdaBasicExecutionRole\n`, { props: '      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/org-boundary\n' }), 'denied'],
    ['an unseen boundary over a grant', template(GRANT, { props: '      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/org-boundary\n' }), 'undetermined'],
  ]);
});

describe('class 2: a statement that can never match is "cannot read" before any unverified note', () => {
  run([
    ['no suffix at all', template(`        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: !Sub arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi\n`), 'denied'],
    ['a placeholder suffix', template(`        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: !Sub arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-XXXXXX\n`), 'denied'],
    ['wrong region, literal account', template(`        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: arn:aws:secretsmanager:us-east-1:111122223333:secret:openweatherapi-??????\n`), 'denied'],
    ['literal account, otherwise right: that account may be the deploying one', template(`        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: arn:aws:secretsmanager:eu-west-1:111122223333:secret:openweatherapi-??????\n`), 'undetermined'],
    ['literal suffix that may be the real one', template(`        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: !Sub arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-AbCdEf\n`), 'undetermined'],
  ]);

  it('the cause comes first, the unverified note after', async () => {
    const r = await verdictOf(template(`        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: arn:aws:secretsmanager:us-east-1:111122223333:secret:openweatherapi-??????\n`));
    expect(r.codes[0]).toMatch(/^arn-wrong-region|^no-grant/);
  });
});

describe('class 3: a full-ARN --secret-id is in the deploying account', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:openweatherapi-AbCdEf';
  run([
    ['the canonical !Sub ${AWS::AccountId} pattern matches it', template(GRANT), 'allowed', arn],
    ['a Deny written with ${AWS::AccountId} applies to it', template(`${GRANT}${statement('Deny', 'Action: secretsmanager:GetSecretValue', `!Sub arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:*`)}`), 'denied', arn],
  ]);
});

describe('class 4: VPC functions', () => {
  const ip = (operator: string, block: string) => `              Condition:\n                ${operator}:\n                  aws:SourceIp: ${block}\n`;
  const vpc = '      VpcConfig:\n        SubnetIds: [subnet-1]\n        SecurityGroupIds: [sg-1]\n';
  const noEndpoint = "              Condition:\n                'Null':\n                  aws:SourceVpce: 'true'\n";
  run([
    ['a grant requiring no VPC endpoint, outside a VPC', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, noEndpoint)), 'allowed'],
    ['the same grant in a VPC function: the endpoint may exist', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, noEndpoint), { props: vpc }), 'undetermined'],
    // Through a NAT aws:SourceIp is a public address; through an endpoint it is absent: a private range matches neither.
    ['IpAddress of a private range in a VPC function: no route matches it', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, ip('IpAddress', '10.0.0.0/8')), { props: vpc }), 'denied'],
    ['NotIpAddress of a private range in a VPC function: every route is outside it', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, ip('NotIpAddress', '10.0.0.0/8')), { props: vpc }), 'allowed'],
    ['IpAddress 0.0.0.0/0 in a VPC function: through an endpoint there is no aws:SourceIp', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, ip('IpAddress', '0.0.0.0/0')), { props: vpc }), 'undetermined'],
    ['a grant only through an endpoint, in a VPC function: the endpoint may not exist', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, "              Condition:\n                'Null':\n                  aws:SourceVpce: 'false'\n"), { props: vpc }), 'undetermined'],
    ['a grant only through an endpoint, outside a VPC', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, "              Condition:\n                'Null':\n                  aws:SourceVpce: 'false'\n")), 'denied'],
  ]);

  it('when the route decides, the finding names it', async () => {
    const r = await verdictOf(template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, ip('IpAddress', '0.0.0.0/0')), { props: vpc }));
    expect(r.codes).toContain('depends-on-open-fact');
    expect(r.text).toMatch(/interface endpoint or a NAT gateway/);
  });
});

describe('class 5: AWS managed policies are shipped, as policies and as boundaries', () => {
  run([
    ['SecretsManagerReadWrite', template('        - SecretsManagerReadWrite\n'), 'allowed'],
    ['AdministratorAccess', template('        - AdministratorAccess\n'), 'allowed'],
    ['PowerUserAccess', template('        - PowerUserAccess\n'), 'allowed'],
    ['ReadOnlyAccess describes secrets but never reads them', template('        - ReadOnlyAccess\n'), 'denied'],
    ['AmazonS3ReadOnlyAccess: known to be unrelated', template('        - AmazonS3ReadOnlyAccess\n'), 'denied'],
    ['a grant inside a PowerUserAccess boundary', template(GRANT, { props: '      PermissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess\n' }), 'allowed'],
    ['a grant inside a ReadOnlyAccess boundary', template(GRANT, { props: '      PermissionsBoundary: arn:aws:iam::aws:policy/ReadOnlyAccess\n' }), 'denied'],
  ]);
});

const keyed = (keyProps: string, extra = '') => `  Key:
    Type: AWS::KMS::Key
${keyProps}  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: openweatherapi
      KmsKeyId: !Ref Key
      Tags:
        - Key: env
          Value: prod
${extra}`;

describe('class 6: a key without KeyPolicy gets the default key policy (it delegates to IAM)', () => {
  run([
    ['no KeyPolicy, KMSDecryptPolicy granted', template(`${GRANT}        - KMSDecryptPolicy:\n            KeyId: !Ref Key\n`, { resources: keyed('') }), 'allowed'],
    ['no KeyPolicy, no kms:Decrypt in IAM', template(GRANT, { resources: keyed('') }), 'denied'],
  ]);
});

describe('class 7: conditions', () => {
  const cond = (c: string) => `              Condition:\n${c}`;
  run([
    ['VersionStage StringEqualsIfExists AWSCURRENT: the current value is readable', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, cond("                StringEqualsIfExists:\n                  secretsmanager:VersionStage: AWSCURRENT\n"))), 'allowed'],
    ['VersionStage StringEquals AWSCURRENT: only if the read names the stage', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, cond("                StringEquals:\n                  secretsmanager:VersionStage: AWSCURRENT\n"))), 'undetermined'],
    ['IpAddress 0.0.0.0/0 outside a VPC', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, cond("                IpAddress:\n                  aws:SourceIp: 0.0.0.0/0\n"))), 'allowed'],
    ['IpAddress of a private range outside a VPC', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, cond("                IpAddress:\n                  aws:SourceIp: 10.0.0.0/8\n"))), 'denied'],
    ['IpAddress of some public range', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, cond("                IpAddress:\n                  aws:SourceIp: 52.0.0.0/8\n"))), 'undetermined'],
    ['aws:ResourceTag from the template secret', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', "'*'", cond("                StringEquals:\n                  aws:ResourceTag/env: prod\n")), { resources: keyed('') }).replace('      KmsKeyId: !Ref Key\n', ''), 'allowed'],
    ['kms:ResourceAliases from the template alias', template(`${GRANT}${statement('Allow', 'Action: kms:Decrypt', "'*'", cond("                ForAnyValue:StringEquals:\n                  kms:ResourceAliases: alias/weather\n"))}`, { resources: keyed('', '  Alias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/weather\n      TargetKeyId: !Ref Key\n') }), 'allowed'],
  ]);

  it('a failed kms:ViaService condition is named as such', async () => {
    const keyPolicy = "    Properties:\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n            Principal: '*'\n            Action: kms:Decrypt\n            Resource: '*'\n            Condition:\n              StringEquals:\n                kms:ViaService: ssm.eu-west-1.amazonaws.com\n";
    const r = await verdictOf(template(GRANT, { resources: keyed(keyPolicy) }));
    expect(r.verdict).toBe('denied');
    expect(r.text).toMatch(/kms:ViaService/);
    expect(r.text).not.toMatch(/neither allows the role nor delegates/);
  });

  it('the VersionStage premise is stated', async () => {
    const r = await verdictOf(template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN, cond("                StringEqualsIfExists:\n                  secretsmanager:VersionStage: AWSCURRENT\n"))));
    expect(r.codes).toContain('premise-current-version');
  });
});

describe('class 8: template forms', () => {
  const ifNoValue = (cond: string) => `        - !If\n          - ${cond}\n          - SecretsManagerReadWrite\n          - !Ref AWS::NoValue\n`;
  const conditions = 'Parameters:\n  Stage:\n    Type: String\n    Default: dev\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\n  IsDev: !Equals [!Ref Stage, dev]\n';
  run([
    ['!If that takes AWS::NoValue drops the entry', template(ifNoValue('IsProd'), { head: conditions }), 'denied'],
    ['!If that takes the policy keeps it', template(ifNoValue('IsDev'), { head: conditions }), 'allowed'],
    ['FindInMap with DefaultValue', template(`        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: !FindInMap\n              - Arns\n              - !Ref AWS::Region\n              - secret\n              - DefaultValue: ${SUB_ARN}\n`, { head: 'Mappings:\n  Arns:\n    us-east-1:\n      secret: none\n' }).replace('Transform: AWS::Serverless-2016-10-31', 'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]'), 'allowed'],
  ]);
});

describe('class 8: Fn::ForEach is expanded, or undetermined, never malformed', () => {
  const loop = (collection: string) => `  Fn::ForEach::Guards:
    - Stage
    - ${collection}
    - Deny\${Stage}:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: !Sub deny-\${Stage}
          Roles: [!Ref WeatherFunctionRole]
          PolicyDocument:
            Statement:
              - Effect: Deny
                Action: secretsmanager:GetSecretValue
                Resource: !Sub arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:\${Stage}*
`;
  const head = 'Parameters:\n  Names:\n    Type: CommaDelimitedList\n';
  const lx = (t: string) => t.replace('Transform: AWS::Serverless-2016-10-31', 'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]');
  run([
    ['a literal collection whose Deny covers the secret', lx(template(GRANT, { resources: loop('[dev, openweather]') })), 'denied'],
    ['a literal collection whose Denies miss it', lx(template(GRANT, { resources: loop('[dev, test]') })), 'allowed'],
    ['a collection from a parameter without a Default', lx(template(GRANT, { head, resources: loop('!Ref Names') })), 'undetermined'],
  ]);
});

describe('class 10: NotAction and Action forms of one statement agree', () => {
  run([
    ['Allow Action secretsmanager:GetSecretValue', template(statement('Allow', 'Action: secretsmanager:GetSecretValue', SUB_ARN)), 'allowed'],
    ['Allow NotAction iam:* (covers it)', template(statement('Allow', 'NotAction: "iam:*"', SUB_ARN)), 'allowed'],
    ['Deny Action secretsmanager:* over a grant', template(`${GRANT}${statement('Deny', 'Action: "secretsmanager:*"', SUB_ARN)}`), 'denied'],
    ['Deny NotAction s3:* over a grant (covers it)', template(`${GRANT}${statement('Deny', 'NotAction: "s3:*"', SUB_ARN)}`), 'denied'],
    ['Allow NotAction secretsmanager:* (excludes it)', template(statement('Allow', 'NotAction: "secretsmanager:*"', SUB_ARN)), 'denied'],
  ]);
});
