/** The shipped AWS managed policies (data/managed-policies.json, generated from a dated snapshot). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { patternTouches, relevantStatements } from '../../scripts/generate-managed-policies.mjs';
import { findManagedPolicy } from '../../src/template/managed-policies.js';

const data = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'managed-policies.json'), 'utf8'));

describe('generator filter', () => {
  it.each([
    ['*', true], ['secretsmanager:GetSecretValue', true], ['kms:Decrypt', true], ['SecretsManager:*', true], ['k*:*', true],
    ['s3:*', false], ['logs:CreateLogGroup', false], ['secretsmanagerx:*', false],
  ])('%s touches secretsmanager/kms: %s', (pattern, expected) => {
    expect(patternTouches(pattern)).toBe(expected);
  });

  it('keeps NotAction statements and only the relevant actions of a list', () => {
    expect(relevantStatements({ Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:Decrypt'], Resource: '*' }, { Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }))
      .toEqual([{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*' }, { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]);
  });
});

describe('shipped data', () => {
  it('is dated, sourced and licensed', () => {
    expect(data.snapshotDate).toMatch(/^\d{4}-\d\d-\d\d/);
    expect(data.source).toMatch(/moto/);
    expect(data.licence).toMatch(/Apache-2.0/);
  });

  it.each(['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'SecretsManagerReadWrite', 'AWSKeyManagementServicePowerUser'])('ships %s with content', (name) => {
    expect(findManagedPolicy(name)?.document.Statement).not.toEqual([]);
  });

  it('knows unrelated policies by ARN, with no statements (as policy or boundary)', () => {
    expect(findManagedPolicy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')?.document.Statement).toEqual([]);
    expect(findManagedPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).toBeDefined();
  });
});
