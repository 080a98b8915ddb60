import { describe, expect, test } from 'vitest';
import { fixTemplate } from '../../src/fix/index.js';
import { commentLines, fixture, readVerdict, removedLines, type SecretUnderTest } from './support.js';

const NAMED = (name: string): SecretUnderTest => ({ arn: `arn:aws:secretsmanager:eu-central-1:123456789012:secret:${name}-AbC123` });
const OPENWEATHER = NAMED('openweatherapi');

interface Case {
  file: string;
  functionId?: string;
  secretId?: string;
  codes: string[];
  secret: SecretUnderTest;
  /** What the lines a fix removes may contain: only the values it corrects. */
  removable?: RegExp;
}

const CASES: Case[] = [
  { file: 'test/fixtures/templates/blog-placeholder.yaml', codes: ['rewrite-secret-arn'], secret: OPENWEATHER, removable: /SecretArn:/ },
  { file: 'test/fixtures/templates/no-suffix.yaml', codes: ['rewrite-secret-arn'], secret: OPENWEATHER, removable: /SecretArn:/ },
  { file: 'test/fixtures/templates/wildcard-suffix.yaml', codes: [], secret: OPENWEATHER },
  { file: 'test/fixtures/templates/similar-name.yaml', codes: ['rewrite-secret-arn'], secret: OPENWEATHER, removable: /SecretArn:/ },
  { file: 'test/fixtures/templates/other-region.yaml', codes: [], secret: { arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:openweatherapi-AbC123' } },
  { file: 'test/fixtures/templates/other-region.yaml', secretId: 'openweatherapi', codes: ['rewrite-secret-arn'], secret: OPENWEATHER, removable: /SecretArn:/ },
  { file: 'test/fixtures/templates/secret-resource.yaml', codes: [], secret: { arn: '{{resource:OpenWeatherSecret}}' } },
  { file: 'test/fixtures/templates/explicit-role.yaml', codes: [], secret: OPENWEATHER },
  { file: 'test/fixtures/templates/managed-only.yaml', codes: [], secret: OPENWEATHER },
  { file: 'test/fixtures/templates/role-plus-policies.yaml', codes: ['add-role-policy'], secret: OPENWEATHER },
  { file: 'test/fixtures/templates/parameter-name/template.yaml', codes: [], secret: NAMED('openweatherapi-dev') },
  { file: 'test/fixtures/templates/cmk-with-decrypt.yaml', codes: [], secret: { arn: '{{resource:OpenWeatherSecret}}', keyLogicalId: 'WeatherKey' } },
  { file: 'test/fixtures/templates/cmk-without-decrypt.yaml', codes: ['add-kms-decrypt'], secret: { arn: '{{resource:OpenWeatherSecret}}', keyLogicalId: 'WeatherKey' } },
  { file: 'test/fixtures/templates/long-form.json', codes: [], secret: OPENWEATHER },
  { file: 'test/fixtures/templates/globals-env.yaml', functionId: 'OpenWeatherFunction', codes: [], secret: OPENWEATHER },
  { file: 'test/fixtures/templates/rotation-and-attached.yaml', codes: ['add-secret-env'], secret: OPENWEATHER },
  { file: 'test/fixtures/fix/no-policies.yaml', codes: ['add-secret-policy', 'add-secret-env'], secret: OPENWEATHER },
  { file: 'test/fixtures/fix/single-string-policy.yaml', codes: ['add-secret-policy'], secret: OPENWEATHER, removable: /^\s+Policies: AWSLambdaBasicExecutionRole/ },
  { file: 'test/fixtures/fix/unindented-seq.yaml', codes: ['add-secret-policy'], secret: OPENWEATHER },
  { file: 'test/fixtures/fix/needs-fix.json', codes: ['rewrite-secret-arn'], secret: OPENWEATHER, removable: /"SecretArn"/ },
  { file: 'test/fixtures/fix/role-placeholder.yaml', codes: ['rewrite-secret-arn'], secret: OPENWEATHER, removable: /Resource:/ },
  { file: 'test/fixtures/fix/cmk-no-policies.yaml', codes: ['add-secret-policy', 'add-kms-decrypt', 'add-secret-env'], secret: { arn: '{{resource:OpenWeatherSecret}}', keyLogicalId: 'WeatherKey' } },
  { file: 'examples/openweather/template.yaml', codes: ['add-secret-policy'], secret: OPENWEATHER },
];

describe.each(CASES)('fix $file $secretId', ({ file, functionId, secretId, codes, secret, removable }) => {
  const before = fixture(file);
  const result = fixTemplate({ text: before, path: file, functionId, secretId });

  test(`changes: ${codes.join(', ') || 'none'}`, () => {
    expect(result.changes.map((c) => c.code)).toEqual(codes);
    expect(result.diff === '').toBe(codes.length === 0);
    if (codes.length === 0) expect(result.after).toBe(before);
  });

  test('afterwards the evaluator allows the read (and denied it before, when a grant was changed)', () => {
    expect(readVerdict(result.after, file, functionId, secret)).toBe('allowed');
    const grants = codes.filter((c) => c !== 'add-secret-env');
    expect(readVerdict(before, file, functionId, secret) === 'allowed').toBe(grants.length === 0);
  });

  test('a second run changes nothing', () => {
    const again = fixTemplate({ text: result.after, path: file, functionId, secretId });
    expect(again.changes).toEqual([]);
    expect(again.after).toBe(result.after);
    expect(again.diff).toBe('');
  });

  test('comments survive and only the corrected lines are taken away', () => {
    expect(commentLines(result.after)).toEqual(expect.arrayContaining(commentLines(before)));
    const removed = removedLines(before, result.after);
    if (!removable) expect(removed).toEqual([]);
    else for (const line of removed) expect(line).toMatch(removable);
  });
});

describe('the edited YAML keeps the way it was written', () => {
  test('a double-quoted !Sub stays a double-quoted !Sub', () => {
    const { after } = fixTemplate({ text: fixture('test/fixtures/templates/blog-placeholder.yaml'), path: 'blog-placeholder.yaml' });
    expect(after).toContain('SecretArn: !Sub "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:openweatherapi-??????"');
  });

  test('a quoted plain string becomes a !Sub in the same quotes', () => {
    const { after } = fixTemplate({ text: fixture('test/fixtures/fix/role-placeholder.yaml'), path: 'role-placeholder.yaml' });
    expect(after).toContain("Resource: !Sub 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:openweatherapi-??????'");
  });

  test('a hard-coded other region becomes ${AWS::Region}, in place', () => {
    const { after, changes } = fixTemplate({ text: fixture('test/fixtures/templates/other-region.yaml'), path: 'other-region.yaml', secretId: 'openweatherapi' });
    expect(changes[0]!.description).toMatch(/region is hard-coded as us-east-1/);
    expect(after).toContain('SecretArn: !Sub arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:openweatherapi-??????');
    expect(after.match(/AWSSecretsManagerGetSecretValuePolicy/g)).toHaveLength(1);
  });

  test('new lines follow the file: 4-space indentation, a secret resource by !Ref, the key by !Ref', () => {
    const { after } = fixTemplate({ text: fixture('test/fixtures/fix/no-policies.yaml'), path: 'no-policies.yaml' });
    expect(after).toContain('            Policies:\n                - AWSSecretsManagerGetSecretValuePolicy:\n');
    expect(after).toContain('            Environment:\n                Variables:\n                    SECRET_NAME: openweatherapi\n');
    const cmk = fixTemplate({ text: fixture('test/fixtures/fix/cmk-no-policies.yaml'), path: 'cmk-no-policies.yaml' }).after;
    expect(cmk).toContain('SecretArn: !Ref OpenWeatherSecret\n        - KMSDecryptPolicy:\n            KeyId: !Ref WeatherKey\n');
    expect(cmk).toContain('SECRET_ARN: !Ref OpenWeatherSecret');
  });

  test('a single-string Policies becomes a list that keeps that entry first', () => {
    const { after } = fixTemplate({ text: fixture('test/fixtures/fix/single-string-policy.yaml'), path: 'single-string-policy.yaml' });
    expect(after).toMatch(/Policies:\n {8}- AWSLambdaBasicExecutionRole # logs only, for now\n {8}- AWSSecretsManagerGetSecretValuePolicy:/);
    // A line the serialiser would restyle (two spaces before its comment) is left exactly as written.
    expect(after).toContain("SECRET_NAME: 'openweatherapi'   # the console default name");
  });

  test('a template role gets an inline policy; its Version is quoted for YAML 1.1 readers', () => {
    const { after, notes } = fixTemplate({ text: fixture('test/fixtures/templates/role-plus-policies.yaml'), path: 'role-plus-policies.yaml' });
    expect(after).toContain("      Policies:\n        - PolicyName: weather-secrets-read-secret\n          PolicyDocument:\n            Version: '2012-10-17'\n");
    expect(notes.map((n) => n.code)).toEqual(['role-overrides-policies']);
  });

  test('the parameter that names the secret is used in the policy too', () => {
    const { after } = fixTemplate({ text: fixture('examples/openweather/template.yaml'), path: 'template.yaml' });
    expect(after).toContain('SecretArn: !Sub arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${SecretName}-??????');
  });

  test('JSON keeps its hand-formatted lines and its trailing newline', () => {
    const before = fixture('test/fixtures/fix/needs-fix.json');
    const { after } = fixTemplate({ text: before, path: 'needs-fix.json' });
    expect(after.split('\n')).toHaveLength(before.split('\n').length);
    expect(after).toContain('"Stage": { "Type": "String", "Default": "dev" }');
    expect(after.endsWith('}\n')).toBe(true);
  });
});
