import { describe, expect, test } from 'vitest';
import { findSecretReference, findSecretReferences } from '../../src/template/secret-ref.js';
import type { ResolveOptions } from '../../src/template/intrinsics.js';
import { loadFixture } from './helpers.js';

async function reference(name: string, options: ResolveOptions = { region: 'eu-central-1' }, functionId?: string) {
  const { template, ctx, fn } = await loadFixture(name, options, functionId);
  return { best: findSecretReference(template, fn, ctx), all: findSecretReferences(template, fn, ctx) };
}

describe('which secret the function reads', () => {
  test.each<[string, Record<string, unknown>]>([
    ['blog-placeholder.yaml', { variable: 'SECRET_NAME', value: 'openweatherapi', kind: 'name', via: 'literal', line: 21, confidence: 'medium' }],
    ['globals-env.yaml', { variable: 'SECRET_NAME', value: 'openweatherapi', kind: 'name', fromGlobals: true, line: 9 }],
    ['other-region.yaml', { variable: 'SECRET_ARN', value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:openweatherapi-AbC123', kind: 'arn', confidence: 'high' }],
    ['long-form.json', { variable: 'SECRET_NAME', value: 'openweatherapi', via: 'parameter', parameter: { name: 'SecretName', origin: 'default' } }],
    ['conditions.yaml', { variable: 'SECRET_NAME', value: 'openweatherapi-dev', via: 'expression' }],
  ])('%s', async (fixture, expected) => {
    const { best } = await reference(fixture);
    expect(best).toMatchObject({ source: `Environment.Variables.${String(expected.variable)}`, ...expected });
  });

  test('a parameter: the samconfig override is what the deployed function gets', async () => {
    const { best } = await reference('parameter-name/template.yaml', { region: 'eu-central-1', parameterOverrides: { SecretName: 'openweatherapi-prod' } });
    expect(best).toMatchObject({ value: 'openweatherapi-prod', via: 'parameter', parameter: { name: 'SecretName', origin: 'override' } });
  });

  test('!Ref to a secret of the template: its name, and no KMS key to worry about', async () => {
    const { best } = await reference('secret-resource.yaml');
    expect(best).toMatchObject({
      variable: 'SECRET_ARN',
      value: '{{resource:OpenWeatherSecret}}',
      kind: 'resource',
      via: 'resource',
      confidence: 'high',
      resource: { logicalId: 'OpenWeatherSecret', line: 3, name: 'openweatherapi', needsKmsDecrypt: false },
    });
  });

  test('a secret encrypted with a template key needs kms:Decrypt on that key', async () => {
    const { best } = await reference('cmk-without-decrypt.yaml');
    expect(best?.resource).toEqual({
      logicalId: 'OpenWeatherSecret',
      line: 15,
      name: 'openweatherapi',
      kmsKeyId: { Ref: 'WeatherKey' },
      kmsKeyResolved: '{{resource:WeatherKey}}',
      kmsKeyLogicalId: 'WeatherKey',
      kmsKeyArn: 'arn:aws:kms:eu-central-1:{{AWS::AccountId}}:key/{{resource:WeatherKey}}',
      key: { kind: 'customer', keyArn: 'arn:aws:kms:eu-central-1:{{AWS::AccountId}}:key/{{resource:WeatherKey}}', keyLogicalId: 'WeatherKey' },
      needsKmsDecrypt: true,
    });
  });

  test('the key ARN the secret needs is spelled exactly as KMSDecryptPolicy resolves it', async () => {
    const { best } = await reference('cmk-with-decrypt.yaml');
    expect(best?.resource?.kmsKeyArn).toBe('arn:aws:kms:eu-central-1:{{AWS::AccountId}}:key/{{resource:WeatherKey}}');
  });

  test('an imported ARN is a candidate, marked unresolved with the reason', async () => {
    const { all } = await reference('conditions.yaml');
    expect(all.find((r) => r.variable === 'IMPORTED_SECRET_ARN')).toMatchObject({
      kind: 'unresolved',
      value: { unresolved: true, reason: 'Fn::ImportValue shared-weather-secret-arn is exported by another stack' },
    });
  });

  test('variables about the service, not a secret, are not candidates', async () => {
    const { all } = await reference('rotation-and-attached.yaml', { region: 'eu-central-1' }, 'RotationFunction');
    expect(all).toEqual([]);
  });

  test('variables without SECRET in the name and no ARN are ignored', async () => {
    const { all } = await reference('globals-env.yaml');
    expect(all.map((r) => r.variable)).toEqual(['SECRET_NAME']);
  });
});
