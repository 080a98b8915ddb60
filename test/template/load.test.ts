import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { loadTemplate, parseTemplate } from '../../src/template/load.js';
import { FIXTURES } from './helpers.js';

/** Parses `Value: <yaml>` inside a minimal template and returns the long form of `<yaml>`. */
function longForm(yaml: string): unknown {
  const text = `Resources:\n  R:\n    Type: AWS::Test::Thing\n    Properties:\n      Value: ${yaml}\n`;
  const template = parseTemplate(text, 'template.yaml');
  return ((template.body.Resources as Record<string, { Properties: Record<string, unknown> }>).R!.Properties).Value;
}

describe('short tags become the long form CloudFormation documents', () => {
  test.each([
    ['!Ref SecretName', { Ref: 'SecretName' }],
    ['!Sub "arn:${AWS::Partition}:x"', { 'Fn::Sub': 'arn:${AWS::Partition}:x' }],
    ['!Sub ["${A}-x", {A: !Ref P}]', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'P' } }] }],
    ['!GetAtt WeatherRole.Arn', { 'Fn::GetAtt': ['WeatherRole', 'Arn'] }],
    ['!GetAtt [WeatherRole, Arn]', { 'Fn::GetAtt': ['WeatherRole', 'Arn'] }],
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!Join [":", [a, !Ref B]]', { 'Fn::Join': [':', ['a', { Ref: 'B' }]] }],
    ['!If [IsProd, a, !Ref AWS::NoValue]', { 'Fn::If': ['IsProd', 'a', { Ref: 'AWS::NoValue' }] }],
    ['!Select [0, !Split [",", "a,b"]]', { 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] }],
    ['!FindInMap [M, !Ref AWS::Region, K]', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'K'] }],
    ['!Base64 {"Fn::Sub": "x"}', { 'Fn::Base64': { 'Fn::Sub': 'x' } }],
    ['!GetAZs ""', { 'Fn::GetAZs': '' }],
    ['!ImportValue shared-secret-arn', { 'Fn::ImportValue': 'shared-secret-arn' }],
    ['!Equals [!Ref Stage, prod]', { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }],
    ['!And [!Condition A, !Or [!Condition B, !Not [!Condition C]]]', {
      'Fn::And': [{ Condition: 'A' }, { 'Fn::Or': [{ Condition: 'B' }, { 'Fn::Not': [{ Condition: 'C' }] }] }],
    }],
    ['!Cidr ["10.0.0.0/16", 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
  ])('%s', (yaml, expected) => {
    expect(longForm(yaml)).toEqual(expected);
  });

  test('an IAM date-like Version stays the string IAM expects', () => {
    expect(longForm('2012-10-17')).toBe('2012-10-17');
  });
});

describe('source positions', () => {
  test('a resource and an environment variable are reported at their line', async () => {
    const template = await loadTemplate(join(FIXTURES, 'blog-placeholder.yaml'));
    expect(template.where(['Resources', 'OpenWeatherFunction'])).toBe(`${template.path}:11:3`);
    expect(template.positionOf(['Resources', 'OpenWeatherFunction', 'Properties', 'Environment', 'Variables', 'SECRET_NAME'])).toEqual({ line: 21, col: 11 });
    expect(template.positionOf(['Resources', 'OpenWeatherFunction', 'Properties', 'Policies', 0])?.line).toBe(23);
  });

  test('inside a short tag, the long-form path points at the tag', async () => {
    const template = await loadTemplate(join(FIXTURES, 'blog-placeholder.yaml'));
    const arn = ['Resources', 'OpenWeatherFunction', 'Properties', 'Policies', 0, 'AWSSecretsManagerGetSecretValuePolicy', 'SecretArn'];
    expect(template.positionOf([...arn, 'Fn::Sub'])?.line).toBe(24);
  });

  test('a path the file does not have falls back to its nearest ancestor', async () => {
    const template = await loadTemplate(join(FIXTURES, 'blog-placeholder.yaml'));
    expect(template.positionOf(['Resources', 'OpenWeatherFunction', 'Properties', 'Role'])?.line).toBe(13);
  });

  test('JSON templates keep positions too', async () => {
    const template = await loadTemplate(join(FIXTURES, 'long-form.json'));
    expect(template.format).toBe('json');
    expect(template.positionOf(['Resources', 'OpenWeatherFunction'])?.line).toBe(8);
  });
});

describe('malformed templates are usage errors that name file:line:col', () => {
  test.each([
    ['malformed.yaml', /malformed\.yaml:6:16: malformed YAML: Nested mappings are not allowed/],
    ['malformed.json', /malformed\.json:\d+:\d+: malformed JSON: /],
  ])('%s', async (name, message) => {
    const error = await loadTemplate(join(FIXTURES, name)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).exitCode).toBe(2);
  });

  test('a template without Resources says where', () => {
    expect(() => parseTemplate('Parameters:\n  A:\n    Type: String\n', 'template.yaml')).toThrow(/^template\.yaml:1:1: the template has no Resources mapping/);
  });

  test('a resource without Type is reported at its line', () => {
    expect(() => parseTemplate('Resources:\n  Fn:\n    Properties: {}\n', 'template.yaml')).toThrow(/^template\.yaml:2:3: resource Fn has no Type/);
  });

  test('a duplicate key is an error, not a silent override', () => {
    const text = 'Resources:\n  Fn:\n    Type: A\n  Fn:\n    Type: B\n';
    expect(() => parseTemplate(text, 'template.yaml')).toThrow(/^template\.yaml:4:3: malformed YAML/);
  });

  test('a missing file is a usage error', async () => {
    await expect(loadTemplate(join(FIXTURES, 'nope.yaml'))).rejects.toThrow(/Cannot read template .*nope\.yaml/);
  });
});

