/**
 * The parameter_overrides parser against the real SAM CLI's (samcli.cli.types.CfnParameterOverridesType
 * in .venv-sam), on the same inputs, in one Python process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseParameterOverrides } from '../../src/config/parameter-overrides.js';

const PYTHON = join(import.meta.dirname, '..', '..', '.venv-sam', 'bin', 'python');

const CASES: unknown[] = [
  'Key="Value" Key2="Value 2"',
  'SecretName=openweatherapi Stage=dev',
  "Name='single quoted'",
  'ParameterKey=SecretName,ParameterValue=owm ParameterKey=Stage,ParameterValue=prod',
  'ParameterKey=A,ParameterValue="x y" B=ignored',
  'Path=a\\ b\\ c',
  'Escaped="a \\"quote\\""',
  'A=1  B=2   C=3',
  'Empty="" Next=1',
  'Url=https://example.com/a?b=c',
  'K=v=w',
  ['A=1', 'B="two words"'],
  [['Nested=1'], 'Other=2'],
  { A: 'x', B: 2, C: true, D: null, E: ['a', ' b ', '', 'c'] },
  { $include: 'Inc=1', Own: 'y' },
  '',
  'file://params.yaml',
  'file://params.toml',
];

const BAD: unknown[] = ['no equals sign here', 'file://missing.yaml', 'file://params.json'];

function oracle(dir: string, inputs: unknown[]): Promise<Array<{ ok?: Record<string, string>; error?: string }>> {
  const script = `
import json, sys, os
os.chdir(sys.argv[1])
from samcli.cli.types import CfnParameterOverridesType
import click
out = []
for value in json.loads(sys.stdin.read()):
    try:
        out.append({"ok": CfnParameterOverridesType().convert(value, None, None)})
    except click.exceptions.BadParameter as e:
        out.append({"error": str(e)})
print(json.dumps(out))
`;
  return execa(PYTHON, ['-c', script, dir], { input: JSON.stringify(inputs) }).then((r) => JSON.parse(String(r.stdout)));
}

describe('parameter_overrides parse as SAM CLI 1.170 parses them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-overrides-'));
  writeFileSync(join(dir, 'params.yaml'), 'SecretName: from/yaml\nStage: null\nList: [a, b]\n$include: file://more.toml\n');
  writeFileSync(join(dir, 'more.toml'), 'Extra = "from toml"\n');
  writeFileSync(join(dir, 'params.toml'), 'SecretName = "from/toml"\nCount = 3\n');
  writeFileSync(join(dir, 'params.json'), '{}');

  it('gives the same values on every accepted form', async () => {
    const expected = await oracle(dir, CASES);
    const actual = CASES.map((value) => ({ ok: parseParameterOverrides(value, dir).values }));
    expect(actual).toEqual(expected);
  }, 60_000);

  it('refuses what SAM refuses, as a usage error (exit 2)', async () => {
    const expected = await oracle(dir, BAD);
    expect(expected.every((e) => e.error)).toBe(true);
    for (const value of BAD) expect(() => parseParameterOverrides(value, dir)).toThrow(expect.objectContaining({ code: 'parameter-overrides-invalid', exitCode: 2 }));
  }, 60_000);

  it('an unterminated quote does not backtrack for ever', () => {
    const started = Date.now();
    expect(() => parseParameterOverrides(`A="${'x\\ '.repeat(5000)}`, dir)).toThrow(/not a valid parameter override/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
