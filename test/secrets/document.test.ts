import { describe, expect, it } from 'vitest';
import { parseSecretObject, planMerge, validateSecretId, validateValue } from '../../src/secrets/document.js';

describe('secret ids', () => {
  it.each([
    ['openweatherapi', []],
    ['prod/weather_api+key=1.0@team-x', []],
    ['arn:aws:secretsmanager:eu-central-1:123456789012:secret:openweatherapi-AbC123', []],
    ['openweatherapi-abc123', [expect.stringMatching(/ends in a hyphen and six characters/)]],
  ])('accepts %s', (id, warnings) => {
    expect(validateSecretId(id)).toEqual(warnings);
  });

  it.each(['', 'has space', 'star*', 'x'.repeat(513), 'arn:aws:secretsmanager:eu-central-1:1234:secret:x', 'arn:aws:s3:::bucket'])(
    'refuses %j with exit 2',
    (id) => {
      expect(() => validateSecretId(id)).toThrow(expect.objectContaining({ exitCode: 2, code: 'invalid-secret-id' }));
    },
  );

  it('refuses an empty value', () => {
    expect(() => validateValue('')).toThrow(expect.objectContaining({ code: 'empty-value' }));
  });
});

describe('parsing the existing secret', () => {
  it.each([
    ['{"A":"1"}', true, ''],
    ['plain-key', false, 'plain text'],
    ['[1,2]', false, 'JSON array'],
    ['"str"', false, 'JSON string'],
    ['null', false, 'JSON null'],
    [undefined, false, 'binary'],
  ])('%j', (text, ok, reason) => {
    const parsed = parseSecretObject(text);
    expect(parsed.ok).toBe(ok);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('merging one key', () => {
  it.each([
    ['adds to an empty secret', undefined, 'K', 'v', false, { K: 'v' }, [{ name: 'K', change: 'added' }]],
    ['keeps other keys', { A: 'a' }, 'K', 'v', false, { A: 'a', K: 'v' }, [{ name: 'A', change: 'kept' }, { name: 'K', change: 'added' }]],
    ['changes in place', { K: 'old', A: 'a' }, 'K', 'v', false, { K: 'v', A: 'a' }, [{ name: 'K', change: 'changed' }, { name: 'A', change: 'kept' }]],
    ['replacing drops the rest', { A: 'a' }, 'K', 'v', true, { K: 'v' }, [{ name: 'K', change: 'added' }, { name: 'A', change: 'removed' }]],
  ])('%s', (_n, current, key, value, replacing, object, keys) => {
    const plan = planMerge(current as Record<string, unknown> | undefined, key, value, replacing);
    expect(JSON.parse(plan.secretString)).toEqual(object);
    expect(plan.keys).toEqual(keys);
    expect(plan.unchanged).toBe(false);
  });

  it('an identical value is unchanged', () => {
    expect(planMerge({ K: 'v' }, 'K', 'v').unchanged).toBe(true);
  });

  it('counts bytes, not characters, against the 65,536 limit', () => {
    // 'é' is two bytes in UTF-8: 32,770 of them fit as characters but not as bytes.
    expect(() => planMerge(undefined, 'K', 'é'.repeat(32_770))).toThrow(expect.objectContaining({ code: 'value-too-large', exitCode: 2 }));
    expect(() => planMerge(undefined, 'K', 'e'.repeat(65_000))).not.toThrow();
  });
});
