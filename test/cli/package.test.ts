/** What `npm install weather-secrets` delivers: licence, metadata, no dangling source maps, working README links. */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the npm package', () => {
  it('ships LICENSE (MIT), README, the CLI and no source maps', async () => {
    const run = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(run.stdout)[0].files as Array<{ path: string }>).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/weather-secrets.cjs', 'dist/cli/main.js']));
    expect(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.license).toBe('MIT');
  });

  it('has repository, homepage and bugs; builds in prepack, not prepare', () => {
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\/.+\/issues$/);
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.prepack).toMatch(/build/);
  });

  it('README links work from the package page: absolute URLs or anchors of its own headings', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
    for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (target!.startsWith('#')) expect(anchors, `README link ${target}`).toContain(target!.slice(1));
      else expect(target, 'a relative link breaks on npmjs.com').toMatch(/^https?:\/\//);
    }
  });
});
