import { describe, expect, it } from 'vitest';
import { validateAwsInput } from '../../src/config/validate.js';
import { shortenLongWords } from '../../src/cli/errors.js';

describe('--region and --endpoint-url are checked before any AWS call', () => {
  it.each(['eu-central-1', 'us-east-1', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1', 'ap-southeast-2'])('accepts %s', (region) => {
    expect(() => validateAwsInput({ region })).not.toThrow();
  });
  it.each(['', ' ', 'not a region', 'EU-CENTRAL-1', 'eu-central', 'eu_central_1', 'eu-central-1;rm', 'mars-1'])('refuses region %j', (region) => {
    expect(() => validateAwsInput({ region })).toThrow(/--region/);
  });
  it.each(['http://127.0.0.1:5000', 'https://secretsmanager.eu-central-1.amazonaws.com'])('accepts %s', (endpointUrl) => {
    expect(() => validateAwsInput({ endpointUrl })).not.toThrow();
  });
  it.each(['', 'not a url', 'ftp://host/', '127.0.0.1:5000', 'http://'])('refuses endpoint %j', (endpointUrl) => {
    expect(() => validateAwsInput({ endpointUrl })).toThrow(/--endpoint-url/);
  });
});

describe('messages shorten 5,000-character names', () => {
  it('keeps the start, the end and the length', () => {
    const text = shortenLongWords(`No secret ${'N'.repeat(4990)}END here.`);
    expect(text.length).toBeLessThan(150);
    expect(text).toMatch(/^No secret N+…N*END \(4993 characters\) here\.$/);
  });
  it('leaves ordinary text alone', () => expect(shortenLongWords('arn:aws:secretsmanager:eu-central-1:123456789012:secret:openweatherapi-AbCdEf')).toContain('AbCdEf'));
});
