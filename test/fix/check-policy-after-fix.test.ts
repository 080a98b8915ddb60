/**
 * The acceptance test: after `fix`, `check-policy --static` (checkStatic) says the function can
 * read the secret, for every template style it handles.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test } from 'vitest';
import { checkStatic } from '../../src/check/static.js';
import { fixTemplate } from '../../src/fix/index.js';
import { fixture } from './support.js';

const CASES: Array<[file: string, functionId?: string, secretId?: string]> = [
  ['test/fixtures/templates/blog-placeholder.yaml'],
  ['test/fixtures/templates/no-suffix.yaml'],
  ['test/fixtures/templates/similar-name.yaml'],
  ['test/fixtures/templates/other-region.yaml', undefined, 'openweatherapi'],
  ['test/fixtures/templates/role-plus-policies.yaml'],
  ['test/fixtures/templates/cmk-without-decrypt.yaml'],
  ['test/fixtures/templates/wildcard-suffix.yaml'],
  ['test/fixtures/templates/secret-resource.yaml'],
  ['test/fixtures/templates/long-form.json'],
  ['test/fixtures/fix/no-policies.yaml'],
  ['test/fixtures/fix/single-string-policy.yaml'],
  ['test/fixtures/fix/unindented-seq.yaml'],
  ['test/fixtures/fix/needs-fix.json'],
  ['test/fixtures/fix/role-placeholder.yaml'],
  ['examples/openweather/template.yaml'],
];

async function verdictAfterFix(file: string, functionId?: string, secretId?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-fix-check-'));
  const path = join(dir, basename(file));
  const { after } = fixTemplate({ text: fixture(file), path, functionId, secretId });
  await writeFile(path, after);
  const result = await checkStatic({ templatePath: path, functionId, secretId, region: 'eu-central-1', parameterOverrides: {} });
  return result.verdict;
}

test.each(CASES)('check-policy --static passes after fix: %s %s %s', async (file, functionId, secretId) => {
  expect(await verdictAfterFix(file, functionId, secretId)).toBe('allowed');
});

// `KmsKeyId: !GetAtt Key.Arn` must lead the static check to the key's policy just as `!Ref Key` does.
test('check-policy --static after fix: KmsKeyId written as !GetAtt Key.Arn', async () => {
  expect(await verdictAfterFix('test/fixtures/fix/cmk-no-policies.yaml')).toBe('allowed');
});
