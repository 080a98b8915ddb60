import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { findTemplate, locateTemplate } from '../../src/target/template.js';

const TEMPLATE = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Policies: []\n';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ws-target-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** Makes `file` look `seconds` older than now. */
function age(dir: string, file: string, seconds: number): void {
  const t = Date.now() / 1000 - seconds;
  utimesSync(join(dir, file), t, t);
}

describe('locateTemplate looks where sam looks', () => {
  test.each([
    [['template.yml', 'template.json'], 'template.yml'],
    [['template.json'], 'template.json'],
    [['.aws-sam/build/template.yaml'], '.aws-sam/build/template.yaml'],
  ])('%j → %s', (files, expected) => {
    const dir = project(Object.fromEntries(files.map((f) => [f, TEMPLATE])));
    expect(locateTemplate({ cwd: dir, purpose: 'judge' }).path).toBe(join(dir, expected));
  });

  test('an explicit path wins over SAM_TEMPLATE_FILE, which wins over the defaults; samconfig sits beside --template only', () => {
    const dir = project({ 'template.yaml': TEMPLATE, 'infra/app.yaml': TEMPLATE, 'env/env.yaml': TEMPLATE });
    expect(locateTemplate({ cwd: dir, explicit: 'infra/app.yaml', envTemplateFile: 'env/env.yaml', purpose: 'judge' })).toMatchObject({ path: join(dir, 'infra/app.yaml'), origin: 'explicit', samconfigDir: join(dir, 'infra') });
    // sam reads samconfig before it reads SAM_TEMPLATE_FILE: from the working folder (measured with SAM CLI 1.170).
    expect(locateTemplate({ cwd: dir, envTemplateFile: 'env/env.yaml', purpose: 'judge' })).toMatchObject({ path: join(dir, 'env/env.yaml'), origin: 'env', samconfigDir: dir });
  });

  test('nothing found: a usage error listing the names tried; nothing asked and nothing there is no template', () => {
    const dir = project({});
    const error = (() => { try { locateTemplate({ cwd: dir, purpose: 'judge' }); } catch (e) { return e; } })() as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.hint).toContain('.aws-sam/build/template.yaml, template.yaml, template.yml, template.json');
    expect(findTemplate({ cwd: dir, purpose: 'judge' })).toBeUndefined();
    expect(() => findTemplate({ cwd: dir, envTemplateFile: 'gone.yaml', purpose: 'judge' })).toThrow('Template gone.yaml (from SAM_TEMPLATE_FILE) does not exist.');
  });
});

describe('the build copy', () => {
  test('judging uses the source; a build copy older than it is named', () => {
    const dir = project({ 'template.yaml': TEMPLATE, '.aws-sam/build/template.yaml': TEMPLATE });
    age(dir, '.aws-sam/build/template.yaml', 60);
    const judged = locateTemplate({ cwd: dir, purpose: 'judge' });
    expect(judged.path).toBe(join(dir, 'template.yaml'));
    expect(judged.buildNote?.code).toBe('build-template-stale');
    const run = locateTemplate({ cwd: dir, purpose: 'run' });
    expect(run.path).toBe(join(dir, '.aws-sam/build/template.yaml'));
    expect(run.buildNote?.message).toContain('sam build');
  });

  test('a fresh build that only moved code locations is in step; one that differs otherwise is named', () => {
    const dir = project({ 'template.yaml': TEMPLATE, '.aws-sam/build/template.yaml': TEMPLATE.replace('CodeUri: src/', 'CodeUri: Fn') });
    age(dir, 'template.yaml', 60);
    expect(locateTemplate({ cwd: dir, purpose: 'judge' }).buildNote).toBeUndefined();
    expect(locateTemplate({ cwd: dir, purpose: 'run' }).buildNote).toBeUndefined();
    const edited = project({ 'template.yaml': TEMPLATE.replace('Policies: []', 'Policies: [AWSLambdaBasicExecutionRole]'), '.aws-sam/build/template.yaml': TEMPLATE });
    age(edited, 'template.yaml', 60);
    expect(locateTemplate({ cwd: edited, purpose: 'judge' }).buildNote?.code).toBe('build-template-differs');
  });
});
