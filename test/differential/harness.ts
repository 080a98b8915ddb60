/**
 * Differential harness: generated SAM templates, judged by AWS's SAM translator + iam-simulate
 * (truth.ts), compared with `check-policy --static --json` of the built CLI. Figures per class.
 */
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Case, REGION, type Tag, generateCase } from './generate.js';
import { type Answer, type Snapshot, truthFor } from './truth.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = process.env.DIFF_BIN ?? join(ROOT, 'bin', 'weather-secrets.cjs');

/** moto's managed-policy snapshot, dumped once per run by managed_snapshot.py. */
export async function loadSnapshot(dir: string): Promise<Snapshot & { names: Record<string, string>; path: string }> {
  const path = join(dir, 'snapshot.json');
  const out = await execa(join(ROOT, '.venv', 'bin', 'python'), [join(ROOT, 'scripts', 'lib', 'dump-managed-policies.py')], { maxBuffer: 64 * 1024 * 1024 });
  await writeFile(path, out.stdout);
  return { ...(JSON.parse(out.stdout) as Snapshot & { names: Record<string, string> }), path };
}

/** One long-lived translator process: a template per line in, a translation per line out. */
export class Translator {
  private readonly child;
  private readonly lines: AsyncIterator<string>;
  constructor(snapshotPath: string) {
    this.child = execa(join(ROOT, '.venv-sam', 'bin', 'python'), [join(import.meta.dirname, 'translate.py'), snapshotPath], {
      env: { AWS_DEFAULT_REGION: REGION, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' }, buffer: false, reject: false, stderr: 'ignore',
    });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }
  async translate(template: unknown): Promise<{ ok: true; cfn: Record<string, unknown> } | { ok: false; error: string }> {
    this.child.stdin!.write(`${JSON.stringify({ template })}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error('translator exited');
    return JSON.parse(next.value);
  }
  close(): void { this.child.stdin!.end(); }
}

export interface Outcome { seed: number; tags: Tag[]; truth: Answer | 'invalid'; tool: Answer | 'crash'; detail: string }

export async function runTool(dir: string, c: Case): Promise<{ verdict: Answer | 'crash'; detail: string }> {
  const file = join(dir, `t${c.seed}.json`);
  await writeFile(file, JSON.stringify(c.template, null, 1));
  const args = [BIN, 'check-policy', '--static', '--json', '--region', REGION, '--template', file, ...(c.secretId ? ['--secret-id', c.secretId] : [])];
  const run = await execa(process.execPath, args, { reject: false, timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1' }, extendEnv: false, cwd: dir });
  try {
    const json = JSON.parse(String(run.stdout)) as { verdict: Answer; findings: Array<{ code: string; message: string }> };
    if (![0, 1, 3].includes(run.exitCode ?? -1)) return { verdict: 'crash', detail: `exit ${run.exitCode}: ${String(run.stdout).slice(0, 300)}` };
    return { verdict: json.verdict, detail: json.findings.map((f) => `${f.code}: ${f.message}`).join(' | ').slice(0, 600) };
  } catch {
    return { verdict: 'crash', detail: `exit ${run.exitCode}: ${String(run.stderr).slice(0, 400)}` };
  }
}

/** Runs `count` cases from `firstSeed` with `parallel` CLI processes at once. */
export async function runStatic(firstSeed: number, count: number, parallel = 2): Promise<Outcome[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-diff-'));
  try {
    const snapshot = await loadSnapshot(dir);
    const translator = new Translator(snapshot.path);
    const started = Date.now();
    const prepared: Array<{ c: Case; truth: Answer | 'invalid'; error?: string }> = [];
    for (let seed = firstSeed; seed < firstSeed + count; seed++) {
      const c = generateCase(seed);
      const t = await translator.translate(c.template);
      prepared.push(t.ok ? { c, truth: (await truthFor(t.cfn, snapshot, c.secretId)).answer } : { c, truth: 'invalid', error: t.error });
    }
    translator.close();
    if (process.env.DIFF_TIMING) console.error(`truth side: ${Date.now() - started} ms`);
    const outcomes: Outcome[] = new Array(prepared.length);
    let next = 0;
    const worker = async () => {
      while (next < prepared.length) {
        const i = next++;
        const { c, truth, error } = prepared[i]!;
        const tool = truth === 'invalid' ? { verdict: 'undetermined' as const, detail: error ?? '' } : await runTool(dir, c);
        outcomes[i] = { seed: c.seed, tags: [...c.tags], truth, tool: tool.verdict, detail: tool.detail };
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return outcomes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Figures { cases: number; knowable: number; agree: number; falseAllow: number; falseDeny: number; undeterminedKnowable: number; denyOnOpen: number; crashes: number }

export function figures(outcomes: Outcome[]): Figures {
  const f: Figures = { cases: 0, knowable: 0, agree: 0, falseAllow: 0, falseDeny: 0, undeterminedKnowable: 0, denyOnOpen: 0, crashes: 0 };
  for (const o of outcomes) {
    if (o.truth === 'invalid') continue;
    f.cases++;
    if (o.tool === 'crash') { f.crashes++; continue; }
    if (o.tool === 'allowed' && o.truth !== 'allowed') f.falseAllow++;
    if (o.truth === 'undetermined') { if (o.tool === 'denied') f.denyOnOpen++; continue; }
    f.knowable++;
    if (o.tool === o.truth) f.agree++;
    else if (o.tool === 'denied') f.falseDeny++;
    else if (o.tool === 'undetermined') f.undeterminedKnowable++;
  }
  return f;
}

export function report(outcomes: Outcome[]): string {
  const classes = [...new Set(outcomes.flatMap((o) => o.tags))].sort();
  const row = (name: string, f: Figures) =>
    `${name.padEnd(16)} cases ${String(f.cases).padStart(5)}  knowable ${String(f.knowable).padStart(5)}  agree ${((100 * f.agree) / Math.max(1, f.knowable)).toFixed(1).padStart(5)}%  false-can-read ${f.falseAllow}  false-cannot ${f.falseDeny}  undet-knowable ${f.undeterminedKnowable}  cannot-on-open ${f.denyOnOpen}  crashes ${f.crashes}`;
  const invalid = outcomes.filter((o) => o.truth === 'invalid').length;
  return [row('all', figures(outcomes)), ...classes.map((t) => row(t, figures(outcomes.filter((o) => o.tags.includes(t))))), `(${invalid} generated templates rejected by the SAM translator, not counted)`].join('\n');
}

export function disagreements(outcomes: Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.truth !== 'invalid' && (o.tool === 'crash' || (o.tool === 'allowed' && o.truth !== 'allowed') || (o.truth !== 'undetermined' && o.tool !== o.truth)));
}

export function caseTemplate(seed: number): string {
  const c = generateCase(seed);
  return JSON.stringify({ secretId: c.secretId, template: c.template }, null, 1);
}

export const snapshotDate = (): string => (JSON.parse(readFileSync(join(ROOT, 'data', 'managed-policies.json'), 'utf8')) as { snapshotDate?: string }).snapshotDate ?? 'unknown';
