/**
 * check-policy --static over templates in the styles people really write: verdict and named cause.
 * No AWS at all: the deploying account is symbolic, the secret's suffix unknown.
 */
import { parseParameterOverrides as parseOverrides } from '../../src/config/parameter-overrides.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStatic } from '../../src/check/static.js';
import { loadSamconfig, samconfigParameters } from '../../src/config/samconfig.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'templates');

const fn = (policies: string, extra = '', env = 'SECRET_NAME: openweatherapi') => `Transform: AWS::Serverless-2016-10-31
Resources:
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          ${env}
${extra}      Policies:
${policies}
`;

const INLINE = {
  'hard-coded other region': fn(`        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Sub arn:aws:secretsmanager:us-east-1:\${AWS::AccountId}:secret:openweatherapi-??????`),
  'explicit IAM role without boundary': `Transform: AWS::Serverless-2016-10-31
Resources:
  WeatherRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }]
      Policies:
        - PolicyName: read-secret
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: !Sub arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-??????
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
      Role: !GetAtt WeatherRole.Arn
      Environment:
        Variables:
          SECRET_NAME: openweatherapi
`,
  'a literal suffix (cannot be checked offline)': fn(`        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Sub arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-AbCdEf`),
  'a resource policy in the template that denies everyone': `Transform: AWS::Serverless-2016-10-31
Resources:
  Sec:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: openweatherapi
  SecPolicy:
    Type: AWS::SecretsManager::ResourcePolicy
    Properties:
      SecretId: !Ref Sec
      ResourcePolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: NobodyReads
            Effect: Deny
            Principal: '*'
            Action: secretsmanager:GetSecretValue
            Resource: '*'
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          SECRET_ARN: !Ref Sec
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Ref Sec
`,
  'a resource policy that allows the function role': `Transform: AWS::Serverless-2016-10-31
Resources:
  Sec:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: openweatherapi
  SecPolicy:
    Type: AWS::SecretsManager::ResourcePolicy
    Properties:
      SecretId: !Ref Sec
      ResourcePolicy:
        Statement:
          - Effect: Allow
            Principal: { AWS: !GetAtt WeatherFunctionRole.Arn }
            Action: secretsmanager:GetSecretValue
            Resource: '*'
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          SECRET_ARN: !Ref Sec
`,
  'the secret named by its plain Name, the policy by !Ref': `Transform: AWS::Serverless-2016-10-31
Resources:
  Sec:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: openweatherapi
  WeatherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment:
        Variables:
          SECRET_NAME: openweatherapi
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Ref Sec
`,
  'a hard-coded account (may be the right one)': fn(`        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: arn:aws:secretsmanager:eu-central-1:111111111111:secret:openweatherapi-??????`),
  'the usual deny-without-TLS guard next to the grant': fn(`        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Sub arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-??????
        - Statement:
            - Effect: Deny
              Action: '*'
              Resource: '*'
              Condition: { Bool: { 'aws:SecureTransport': 'false' } }`),
  'an inline statement with -*': fn(`        - Statement:
            - Effect: Allow
              Action: [ "secretsmanager:GetSecretValue" ]
              Resource: !Sub "arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-*"`),
};

async function inlineTemplate(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-static-'));
  await writeFile(join(dir, 'template.yaml'), text);
  return join(dir, 'template.yaml');
}

const codes = (findings: Array<{ code: string; severity: string }>) => findings.filter((f) => f.severity !== 'info').map((f) => f.code);

describe('static check: templates as people write them', () => {
  it.each([
    ['the blog-style [xxxxxx] placeholder', 'blog-placeholder.yaml', 'denied', ['arn-placeholder-suffix']],
    ['no suffix', 'no-suffix.yaml', 'denied', ['arn-missing-suffix']],
    ['-??????', 'wildcard-suffix.yaml', 'allowed', []],
    ['!Ref to a secret resource', 'secret-resource.yaml', 'allowed', []],
    ['managed policies only (SecretsManagerReadWrite, ReadOnlyAccess: both shipped)', 'managed-only.yaml', 'allowed', []],
    ['an explicit deny with NotResource', 'deny-notresource.yaml', 'denied', ['explicit-deny']],
    ['Role plus Policies (SAM ignores Policies)', 'role-plus-policies.yaml', 'denied', ['no-grant', 'role-overrides-policies']],
    ['a customer-managed key with KMSDecryptPolicy', 'cmk-with-decrypt.yaml', 'allowed', []],
    ['a customer-managed key without KMSDecryptPolicy', 'cmk-without-decrypt.yaml', 'denied', ['kms-decrypt-missing']],
    ['the JSON long form', 'long-form.json', 'allowed', []],
    ['a similarly named other secret', 'similar-name.yaml', 'denied', ['arn-wrong-name']],
    ['an explicit role whose boundary is not in the template', 'explicit-role.yaml', 'undetermined', ['undetermined-offline', 'undetermined']],
  ] as const)('%s (%s): %s', async (_name, file, verdict, expected) => {
    const result = await checkStatic({ templatePath: join(FIXTURES, file), region: 'eu-central-1', parameterOverrides: {} });
    expect(result.verdict).toBe(verdict);
    expect(codes(result.findings)).toEqual(expected);
  });

  it.each([
    ['hard-coded other region', 'denied', ['arn-wrong-region']],
    ['explicit IAM role without boundary', 'allowed', []],
    ['a literal suffix (cannot be checked offline)', 'undetermined', ['arn-literal-suffix-unverified', 'depends-on-open-fact']],
    ['an inline statement with -*', 'allowed', []],
    ['a resource policy in the template that denies everyone', 'denied', ['resource-policy-denies']],
    ['a resource policy that allows the function role', 'allowed', []],
    ['the secret named by its plain Name, the policy by !Ref', 'allowed', []],
    ['a hard-coded account (may be the right one)', 'undetermined', ['arn-literal-account-unverified', 'depends-on-open-fact']],
    ['the usual deny-without-TLS guard next to the grant', 'allowed', []],
  ] as const)('%s: %s', async (name, verdict, expected) => {
    const result = await checkStatic({ templatePath: await inlineTemplate(INLINE[name]), region: 'eu-central-1', parameterOverrides: {} });
    expect(result.verdict).toBe(verdict);
    expect(codes(result.findings)).toEqual(expected);
  });

  it('a parameter-based name follows samconfig parameter_overrides', async () => {
    const dir = join(FIXTURES, 'parameter-name');
    const overrides = parseOverrides(samconfigParameters(await loadSamconfig(dir), 'default', ['deploy']).parameters.parameter_overrides).values;
    const result = await checkStatic({ templatePath: join(dir, 'template.yaml'), region: 'eu-central-1', parameterOverrides: overrides });
    expect(result.verdict).toBe('allowed');
    expect(result.secret.id).toBe('openweatherapi-prod');
    expect(result.secret.source).toContain('samconfig override');
  });

  it('names the fix as a SAM policy template with the -?????? ARN, never the blog placeholder', async () => {
    const result = await checkStatic({ templatePath: join(FIXTURES, 'blog-placeholder.yaml'), region: 'eu-central-1', parameterOverrides: {} });
    const fix = result.findings[0]!.fix!;
    expect(fix).toContain('AWSSecretsManagerGetSecretValuePolicy');
    expect(fix).toContain(':secret:openweatherapi-??????');
    expect(fix).not.toContain('[xxxxxx]');
  });

  it('shows the deploying account symbolically, never the internal sentinel', async () => {
    const result = await checkStatic({ templatePath: join(FIXTURES, 'no-suffix.yaml'), region: 'eu-central-1', parameterOverrides: {} });
    expect(JSON.stringify(result)).not.toContain('000000000000');
    expect(result.findings[0]!.message).toContain('${AWS::AccountId}');
  });

  it('the KMS fix adds KMSDecryptPolicy for the key', async () => {
    const result = await checkStatic({ templatePath: join(FIXTURES, 'cmk-without-decrypt.yaml'), region: 'eu-central-1', parameterOverrides: {} });
    expect(result.findings[0]!.fix).toContain('KMSDecryptPolicy');
  });
});
