/** Pure renderers for `check-policy --all`: the human table, SARIF 2.1.0, JUnit XML and GitHub annotations. */
import { relative, sep } from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { ScanCheck, ScanResult } from '../../check/scan.js';
import { FINDING_CODES, FINDING_CODES_ANCHOR } from '../../check/finding-codes.js';

export type ScanFormat = 'human' | 'json' | 'sarif' | 'junit' | 'github';

const label = (c: ScanCheck) => (c.suppressed ? 'suppressed' : c.verdict);
const primary = (c: ScanCheck) => c.findings.find((f) => f.code === c.code);

export function renderScanTable(result: ScanResult, style: ChalkInstance): string {
  const rows = result.checks.map((c) => [c.function.name, c.secret.id, label(c), c.code ?? '', where(c)]);
  const head = ['FUNCTION', 'SECRET', 'VERDICT', 'CODE', 'WHERE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const paint = (text: string, c: ScanCheck) => (c.suppressed ? style.dim(text) : c.verdict === 'allowed' ? style.green(text) : c.verdict === 'denied' ? style.red(text) : style.yellow(text));
  const lines = [style.bold(head.map((h, i) => h.padEnd(widths[i]!)).join('  ').trimEnd())];
  result.checks.forEach((c, n) => lines.push(rows[n]!.map((cell, i) => (i === 2 ? paint(cell.padEnd(widths[i]!), c) : cell.padEnd(widths[i]!))).join('  ').trimEnd()));
  const s = result.summary;
  lines.push('', `${s.checks} checks (${result.method}): ${s.allowed} allowed, ${s.denied} denied, ${s.undetermined} undetermined, ${s.suppressed} suppressed; ${s.failing} failing (--fail-on ${result.failOn}).`);
  if (result.functionsWithoutSecret.length) lines.push(style.dim(`Reading no secret (not checked): ${result.functionsWithoutSecret.map((f) => f.name).join(', ')}.`));
  for (const c of result.checks.filter((x) => x.verdict !== 'allowed')) {
    const f = primary(c);
    lines.push('', `${style.bold(c.function.name)} → ${c.secret.id}: ${c.suppressed ? `suppressed (${c.suppressed.reason})` : label(c).toUpperCase()}`);
    if (f) lines.push(`  ${f.code}: ${f.message}`);
    if (f?.fix && !c.suppressed) lines.push(`  ${style.bold('fix:')}`, ...f.fix.split('\n').map((l) => `    ${l}`));
  }
  return lines.join('\n');
}

function where(c: ScanCheck): string {
  if (!c.location) return c.stack ?? '';
  return `${displayPath(c.location.file)}${c.location.line ? `:${c.location.line}` : ''}`;
}

/** Paths relative to the working folder, with `/`: what CI systems and SARIF viewers expect. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return (rel && !rel.startsWith('..') ? rel : file).split(sep).join('/');
}

export interface SarifOptions {
  version: string;
  /** The README every rule's help URI points into. */
  readmeUrl: string;
  cwd?: string;
}

export function renderSarif(result: ScanResult, options: SarifOptions): string {
  const used = result.checks.map((c) => c.code).filter((c): c is string => Boolean(c));
  const ids = [...new Set([...Object.keys(FINDING_CODES), ...used])];
  const rules = ids.map((id) => ({
    id,
    name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: FINDING_CODES[id] ?? `Finding ${id}` },
    helpUri: `${options.readmeUrl}#${FINDING_CODES_ANCHOR}`,
    help: { text: `${FINDING_CODES[id] ?? id}. See ${options.readmeUrl}#${FINDING_CODES_ANCHOR}` },
    defaultConfiguration: { level: id.startsWith('undetermined') || id.endsWith('-unverified') || id === 'secret-unresolved' ? 'warning' : 'error' },
  }));
  const results = result.checks.filter((c) => c.verdict !== 'allowed').map((c) => sarifResult(c, ids, options.cwd));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'weather-secrets', version: options.version, informationUri: options.readmeUrl, rules } },
      ...(result.method === 'static' ? { originalUriBaseIds: { '%SRCROOT%': { uri: `file://${(options.cwd ?? process.cwd()).split(sep).join('/').replace(/\/?$/, '/')}` } } } : {}),
      results,
    }],
  };
  return JSON.stringify(sarif, null, 2);
}

function sarifResult(c: ScanCheck, ids: string[], cwd?: string) {
  const ruleId = c.code ?? 'undetermined';
  const f = primary(c);
  const text = `${c.function.name} cannot be shown to read ${c.secret.id} (${c.verdict}): ${f?.message ?? 'see the check'}${f?.fix ? `\nFix:\n${f.fix}` : ''}`;
  const physical = c.location ? { physicalLocation: { artifactLocation: { uri: displayPath(c.location.file, cwd), uriBaseId: '%SRCROOT%' }, ...(c.location.line ? { region: { startLine: c.location.line, ...(c.location.col ? { startColumn: c.location.col } : {}) } } : {}) } } : {};
  return {
    ruleId,
    ruleIndex: ids.indexOf(ruleId),
    level: c.verdict === 'denied' ? 'error' : 'warning',
    message: { text },
    locations: [{ ...physical, logicalLocations: [{ name: c.function.name, kind: 'function', ...(c.stack ? { fullyQualifiedName: `${c.stack}:${c.function.name}` } : {}) }] }],
    ...(c.suppressed ? { suppressions: [{ kind: 'inSource', justification: c.suppressed.reason }] } : {}),
    properties: { verdict: c.verdict, secret: c.secret.id, secretSource: c.secret.source, style: c.style },
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One testsuite per template (or stack), one testcase per function × secret. */
export function renderJunit(result: ScanResult): string {
  const groups = new Map<string, ScanCheck[]>();
  for (const c of result.checks) {
    const key = c.location ? displayPath(c.location.file) : c.stack ?? 'deployed';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="weather-secrets check-policy --all" tests="${result.summary.checks}" failures="${result.summary.failing}">`];
  for (const [name, checks] of groups) {
    const failures = checks.filter((c) => c.failing).length;
    const skipped = checks.filter((c) => c.suppressed).length;
    lines.push(`  <testsuite name="${xml(name)}" tests="${checks.length}" failures="${failures}" skipped="${skipped}">`);
    for (const c of checks) {
      const f = primary(c);
      lines.push(`    <testcase classname="${xml(name)}" name="${xml(`${c.function.name} reads ${c.secret.id}`)}">`);
      if (c.suppressed) lines.push(`      <skipped message="${xml(`suppressed: ${c.suppressed.reason}`)}"/>`);
      else if (c.failing) lines.push(`      <failure type="${xml(c.code ?? c.verdict)}" message="${xml(`${c.verdict}: ${f?.message ?? ''}`)}">${xml(f?.fix ?? '')}</failure>`);
      else if (c.verdict === 'undetermined') lines.push(`      <system-out>${xml(`undetermined (not failing with --fail-on ${result.failOn}): ${f?.message ?? ''}`)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}

/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`. */
export function renderGithub(result: ScanResult): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines = result.checks.filter((c) => c.verdict !== 'allowed').map((c) => {
    const level = c.suppressed ? 'notice' : c.failing ? 'error' : 'warning';
    const f = primary(c);
    const loc = c.location ? [`file=${prop(displayPath(c.location.file))}`, ...(c.location.line ? [`line=${c.location.line}`] : []), ...(c.location.col ? [`col=${c.location.col}`] : [])] : [];
    const message = `${c.function.name} → ${c.secret.id}: ${c.suppressed ? `suppressed (${c.suppressed.reason})` : c.verdict}. ${f?.message ?? ''}${f?.fix && !c.suppressed ? `\n${f.fix}` : ''}`;
    return `::${level} ${[...loc, `title=${prop(`weather-secrets ${c.code ?? c.verdict}`)}`].join(',')}::${data(message)}`;
  });
  const s = result.summary;
  lines.push(`${s.checks} checks: ${s.allowed} allowed, ${s.denied} denied, ${s.undetermined} undetermined, ${s.suppressed} suppressed; ${s.failing} failing (--fail-on ${result.failOn}).`);
  return lines.join('\n');
}
