import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { fixTemplate, type FixTemplateInput } from '../../src/fix/index.js';
import { fixture } from './support.js';

function refusal(input: FixTemplateInput): UsageError {
  try {
    fixTemplate(input);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('fixTemplate did not refuse');
}

const SIMPLE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  SecretName:
    Type: String
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          SECRET_NAME: !Ref SecretName
`;

describe('fix refuses (exit 2) when it cannot edit safely, and says why', () => {
  test.each<[string, FixTemplateInput, string, RegExp]>([
    ['an explicit Deny (an added Allow would change nothing)', { text: fixture('test/fixtures/templates/deny-notresource.yaml'), path: 'deny-notresource.yaml' }, 'explicit-deny', /explicit Deny .*OnlyTheDatabaseSecret .*deny-notresource\.yaml:18:11/],
    ['Policies built with !If', { text: fixture('test/fixtures/templates/conditions.yaml'), path: 'conditions.yaml' }, 'policies-conditional', /conditions\.yaml:\d+:\d+: the policies use Fn::If/],
    ['an unknown function, listing the functions', { text: fixture('test/fixtures/templates/globals-env.yaml'), path: 'globals-env.yaml', functionId: 'Nope' }, 'function-not-found', /has no function Nope/],
    ['several functions and none named', { text: fixture('test/fixtures/templates/globals-env.yaml'), path: 'globals-env.yaml' }, 'function-ambiguous', /several functions/],
    ['malformed YAML, with file:line', { text: fixture('test/fixtures/templates/malformed.yaml'), path: 'malformed.yaml' }, 'template-malformed', /^malformed\.yaml:6:\d+: malformed YAML/],
    ['malformed JSON, with file:line', { text: fixture('test/fixtures/templates/malformed.json'), path: 'malformed.json' }, 'template-malformed', /^malformed\.json:\d+:\d+: malformed JSON/],
    ['an anchor shared with another function', { text: fixture('test/fixtures/fix/anchors.yaml'), path: 'anchors.yaml', functionId: 'OpenWeatherFunction' }, 'template-anchors', /anchor or alias/],
    ['a secret named by a parameter without a value', { text: SIMPLE, path: 't.yaml' }, 'secret-unresolvable', /SecretName/],
    ['a plain Lambda function without a role', { text: 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: a.b\n', path: 't.yaml' }, 'no-role', /no role to fix/],
  ])('%s', (_name, input, code, message) => {
    const error = refusal(input);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  test('the function list is in the hint', () => {
    const error = refusal({ text: fixture('test/fixtures/templates/globals-env.yaml'), path: 'globals-env.yaml', functionId: 'Nope' });
    expect(error.hint).toMatch(/OpenWeatherFunction, PlainFunction/);
  });
});

describe('a role managed outside the template', () => {
  test.each([
    ['an ARN string', 'test/fixtures/templates/globals-env.yaml', 'PlainFunction'],
    ['a parameter', 'test/fixtures/fix/external-role-parameter.yaml', undefined],
  ])('(%s): prints the IAM statement and changes nothing', (_name, file, functionId) => {
    const text = fixture(file);
    const result = fixTemplate({ text, path: file, functionId });
    expect(result.after).toBe(text);
    expect(result.changes).toEqual([]);
    expect(result.notes.map((n) => n.code)).toContain('external-role');
    const statement = JSON.parse(result.externalRoleStatement!) as { Statement: Array<{ Action: string; Resource: string }> };
    expect(statement.Statement[0]).toMatchObject({ Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:openweatherapi-??????' });
  });
});

describe('which secret', () => {
  test('--secret-id naming a secret resource of the template uses !Ref', () => {
    const text = fixture('test/fixtures/templates/secret-resource.yaml').replace(/      Policies:\n.*\n.*\n/, '');
    const { after } = fixTemplate({ text, path: 't.yaml', secretId: 'openweatherapi' });
    expect(after).toContain('SecretArn: !Ref OpenWeatherSecret');
  });

  test('no reference and no --secret-id: openweatherapi, and SECRET_NAME is added', () => {
    const { after, secret } = fixTemplate({ text: fixture('test/fixtures/fix/no-policies.yaml'), path: 'no-policies.yaml' });
    expect(secret.label).toBe('openweatherapi');
    expect(after).toContain('SECRET_NAME: openweatherapi');
  });

  test('--kms-key-id with a key id adds KMSDecryptPolicy', () => {
    const { after, changes } = fixTemplate({
      text: fixture('test/fixtures/templates/wildcard-suffix.yaml'),
      path: 'wildcard-suffix.yaml',
      kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    expect(changes.map((c) => c.code)).toEqual(['add-kms-decrypt']);
    expect(after).toContain('- KMSDecryptPolicy:\n            KeyId: 1234abcd-12ab-34cd-56ef-1234567890ab\n');
  });

  test('--kms-key-id with a key ARN adds a statement on exactly that ARN (it may be in another account)', () => {
    const arn = 'arn:aws:kms:eu-central-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { after } = fixTemplate({ text: fixture('test/fixtures/templates/wildcard-suffix.yaml'), path: 'w.yaml', kmsKeyId: arn });
    expect(after).toContain(`        - Statement:\n            - Effect: Allow\n              Action: kms:Decrypt\n              Resource: ${arn}\n`);
  });

  test('a KMS alias cannot be granted: refused with a hint', () => {
    const error = refusal({ text: fixture('test/fixtures/templates/wildcard-suffix.yaml'), path: 'w.yaml', kmsKeyId: 'alias/weather' });
    expect(error.code).toBe('kms-key-unresolvable');
  });
});

describe('odd but valid templates', () => {
  test('Windows line endings stay Windows line endings', () => {
    const text = fixture('test/fixtures/fix/no-policies.yaml').replace(/\n/g, '\r\n');
    const { after } = fixTemplate({ text, path: 'crlf.yaml' });
    expect(after).toContain('Policies:\r\n');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(fixTemplate({ text: after, path: 'crlf.yaml' }).changes).toEqual([]);
  });

  test('an Environment built with !If is left alone; the policy is still added', () => {
    const text = fixture('test/fixtures/fix/no-policies.yaml').replace('Timeout: 10', 'Timeout: 10\n            Environment: !If [IsProd, {Variables: {A: b}}, !Ref AWS::NoValue]');
    const { changes } = fixTemplate({ text, path: 'env-if.yaml' });
    expect(changes.map((c) => c.code)).toEqual(['add-secret-policy']);
  });
});
