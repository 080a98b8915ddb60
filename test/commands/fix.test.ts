import { chmod, copyFile, lstat, mkdir, mkdtemp, readFile, readdir, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { fix, type FixDeps, type FixOptions } from '../../src/commands/fix.js';
import { normaliseFixOptions, type FixFlags } from '../../src/cli/handlers/fix.js';
import { locateTemplate } from '../../src/target/template.js';
import { collectingReporter } from '../../src/core/reporter.js';
import { writeFileAtomic } from '../../src/fix/index.js';

const TEMPLATES = join(import.meta.dirname, '..', 'fixtures', 'templates');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ws-fix-'));
});

function deps(): FixDeps & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: async (path, text) => {
      written.push(path);
      await writeFileAtomic(path, text);
    },
    reporter: collectingReporter(),
  };
}

/** The template as the CLI locates it: --template, else SAM_TEMPLATE_FILE, else the source template in the folder. */
const options = (over: Partial<Omit<FixOptions, 'template'>> & { template?: string; envTemplateFile?: string } = {}): FixOptions => {
  const { template, envTemplateFile, ...rest } = over;
  return { write: false, ...rest, template: locateTemplate({ cwd: dir, explicit: template, envTemplateFile, purpose: 'judge' }) };
};

describe('fix (command)', () => {
  test('without write: returns the diff, leaves the file byte-identical', async () => {
    await copyFile(join(TEMPLATES, 'blog-placeholder.yaml'), join(dir, 'template.yaml'));
    const before = await readFile(join(dir, 'template.yaml'));
    const d = deps();
    const result = await fix(options(), d);
    expect(result).toMatchObject({ command: 'fix', template: join(dir, 'template.yaml'), function: 'OpenWeatherFunction', status: 'would-change', written: false });
    expect(result.diff).toMatch(/^--- a\/.*template\.yaml\n\+\+\+ b\/.*template\.yaml\n/);
    expect(d.written).toEqual([]);
    expect(await readFile(join(dir, 'template.yaml'))).toEqual(before);
  });

  test('with write: writes atomically, keeps the mode, leaves no temp file; a second run has nothing to do', async () => {
    const path = join(dir, 'template.yaml');
    await copyFile(join(TEMPLATES, 'no-suffix.yaml'), path);
    await chmod(path, 0o640);
    const first = await fix(options({ write: true }), deps());
    expect(first).toMatchObject({ status: 'changed', written: true });
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['template.yaml']);
    expect(await readFile(path, 'utf8')).toContain('secret:openweatherapi-??????');
    const second = await fix(options({ write: true }), deps());
    expect(second).toMatchObject({ status: 'nothing-to-do', written: false, changes: [], diff: '' });
  });

  test('the source template is edited, never the build copy under .aws-sam', async () => {
    await mkdir(join(dir, '.aws-sam', 'build'), { recursive: true });
    await copyFile(join(TEMPLATES, 'no-suffix.yaml'), join(dir, '.aws-sam', 'build', 'template.yaml'));
    await copyFile(join(TEMPLATES, 'no-suffix.yaml'), join(dir, 'template.yaml'));
    const d = deps();
    await fix(options({ write: true }), d);
    expect(d.written).toEqual([join(dir, 'template.yaml')]);
  });

  test('--template (relative to cwd) and SAM_TEMPLATE_FILE pick the file', async () => {
    await mkdir(join(dir, 'infra'));
    await copyFile(join(TEMPLATES, 'long-form.json'), join(dir, 'infra', 'stack.json'));
    expect((await fix(options({ template: 'infra/stack.json' }), deps())).template).toBe(join(dir, 'infra', 'stack.json'));
    expect((await fix(options({ envTemplateFile: 'infra/stack.json' }), deps())).status).toBe('nothing-to-do');
  });

  test('through a symlink the target file is replaced and the link stays', async () => {
    await copyFile(join(TEMPLATES, 'no-suffix.yaml'), join(dir, 'real.yaml'));
    await symlink(join(dir, 'real.yaml'), join(dir, 'template.yaml'));
    await fix(options({ write: true }), deps());
    expect((await lstat(join(dir, 'template.yaml'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'real.yaml'), 'utf8')).toContain('openweatherapi-??????');
  });

  test('no template: a usage error naming the files looked for', async () => {
    expect(() => options()).toThrow(expect.objectContaining({ code: 'template-not-found', exitCode: 2 }));
  });

  test('an external role: status external-role, the statement, no write', async () => {
    await copyFile(join(TEMPLATES, 'globals-env.yaml'), join(dir, 'template.yaml'));
    const d = deps();
    const result = await fix(options({ functionId: 'PlainFunction', write: true }), d);
    expect(result.status).toBe('external-role');
    expect(result.externalRoleStatement).toContain('secretsmanager:GetSecretValue');
    expect(d.written).toEqual([]);
  });
});

describe('normaliseFixOptions', () => {
  test.each<[string, string[], Record<string, unknown>, Partial<FixFlags>]>([
    ['defaults', [], {}, { functionId: undefined, secretId: undefined, template: undefined, write: false }],
    ['all given', ['Fn'], { secretId: 's', template: 't.yaml', write: true, kmsKeyId: 'k' }, { functionId: 'Fn', secretId: 's', template: 't.yaml', write: true, kmsKeyId: 'k' }],
    ['empty strings are absent', [''], { secretId: '' }, { functionId: undefined, secretId: undefined }],
  ])('%s', (_name, positional, opts, expected) => {
    expect(normaliseFixOptions(positional, opts)).toMatchObject(expected);
  });
});
