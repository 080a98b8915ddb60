import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { analyseFunction, analyseTemplateFunction, parseTemplate } from '../../src/template/index.js';
import { FIXTURES } from './helpers.js';

const fn = (properties: string) => `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
${properties}`;

describe('analyseFunction', () => {
  test('the only function is picked without naming it', async () => {
    const analysis = await analyseTemplateFunction(join(FIXTURES, 'secret-resource.yaml'), undefined, { region: 'eu-central-1' });
    expect(analysis.fn.logicalId).toBe('OpenWeatherFunction');
    expect(analysis.secretReferences[0]?.resource?.name).toBe('openweatherapi');
    expect(analysis.secrets.map((s) => s.logicalId)).toEqual(['OpenWeatherSecret']);
  });

  test('several functions and none named: a usage error listing them', async () => {
    const error = await analyseTemplateFunction(join(FIXTURES, 'globals-env.yaml'), undefined, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toBe('Functions in the template: OpenWeatherFunction, PlainFunction.');
  });

  test('a function that does not exist', async () => {
    await expect(analyseTemplateFunction(join(FIXTURES, 'blog-placeholder.yaml'), 'Weather', {})).rejects.toThrow(/has no function Weather/);
  });
});

describe('Policies in their less common shapes', () => {
  test('a single managed policy name instead of a list', () => {
    const template = parseTemplate(fn('      Policies: SecretsManagerReadWrite\n'), 'template.yaml');
    const { permissions } = analyseFunction(template, 'Fn', { region: 'eu-central-1' });
    expect(permissions.policies.map((p) => p.name)).toContain('arn:aws:iam::aws:policy/SecretsManagerReadWrite');
  });

  test('a single inline document instead of a list', () => {
    const text = fn('      Policies:\n        Statement:\n          - Effect: Allow\n            Action: secretsmanager:GetSecretValue\n            Resource: "*"\n');
    const { permissions } = analyseFunction(parseTemplate(text, 'template.yaml'), 'Fn', {});
    expect(permissions.policies[1]).toMatchObject({ name: 'FnRolePolicy0', document: { Statement: [{ Effect: 'Allow', Resource: '*' }] } });
  });

  test('a bare secret name as SecretArn: IAM will reject the policy, and the note says so', () => {
    const text = fn('      Policies:\n        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: openweatherapi\n');
    const { permissions } = analyseFunction(parseTemplate(text, 'template.yaml'), 'Fn', {});
    expect(permissions.notes).toEqual([{
      code: 'resource-not-an-arn',
      message: 'template.yaml:8:11 (Policies[0] AWSSecretsManagerGetSecretValuePolicy): statement 0 Resource "openweatherapi" is not an ARN; IAM rejects the policy at deploy time',
    }]);
  });

  test('a policy template without its parameter is undetermined', () => {
    const text = fn('      Policies:\n        - KMSDecryptPolicy: {}\n');
    const { permissions } = analyseFunction(parseTemplate(text, 'template.yaml'), 'Fn', {});
    expect(permissions.undetermined).toEqual(['template.yaml:8:11 (Policies[0] KMSDecryptPolicy): KMSDecryptPolicy needs KeyId (SAM rejects the template without it)']);
  });

  test('a managed policy from the template (AWS::IAM::ManagedPolicy via !Ref) is read from the template', () => {
    const text = fn('      Policies:\n        - !Ref ReadWeatherSecret\n') + `  ReadWeatherSecret:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: secretsmanager:GetSecretValue
            Resource: !Sub arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:openweatherapi-??????
`;
    const { permissions } = analyseFunction(parseTemplate(text, 'template.yaml'), 'Fn', { region: 'eu-central-1' });
    expect(permissions.policies[1]).toMatchObject({
      name: 'ReadWeatherSecret',
      document: { Statement: [{ Resource: 'arn:aws:secretsmanager:eu-central-1:{{AWS::AccountId}}:secret:openweatherapi-??????' }] },
    });
  });
});
