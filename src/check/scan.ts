/**
 * `check-policy --all`: every function of every template × every secret it reads, each judged by the
 * same single-function static check (checkStatic), then suppressions applied and the run summarised.
 * Offline: no AWS call. The live scan of a deployed stack is in scan-live.ts and returns the same shape.
 */
import type { Finding } from '../core/findings.js';
import type { Verdict } from '../policy/index.js';
import { constructPath } from '../template/cdk.js';
import { listFunctions, createResolveContext, analyseFunction, type FunctionAnalysis } from '../template/index.js';
import type { IacStyle, IacTemplate } from '../template/iac.js';
import { fixesForStyle } from './iac-fixes.js';
import { secretsReadBy } from './scan-secrets.js';
import { checkStatic, STATIC_ACCOUNT } from './static.js';
import { matchSuppression, suppressionsOf } from './suppress.js';
import type { CheckPolicyResult } from './types.js';

export type FailOn = 'denied' | 'undetermined';

export interface ScanLocation {
  file: string;
  line?: number;
  col?: number;
}

export interface ScanCheck {
  style: IacStyle | 'deployed';
  stack?: string;
  function: { logicalId?: string; name: string };
  /** `id` is the secret's name when the template gives one; `logicalId` its resource in the template. */
  secret: { id: string; logicalId?: string; source: string };
  verdict: Verdict;
  /** The finding that decides the verdict (the SARIF rule), when not allowed. */
  code?: string;
  findings: Finding[];
  suppressed?: { reason: string };
  /** Counts against --fail-on. */
  failing: boolean;
  location?: ScanLocation;
  chain: CheckPolicyResult['chain'];
  deciding?: CheckPolicyResult['deciding'];
}

export interface ScanResult {
  command: 'check-policy';
  scope: 'all';
  method: 'static' | 'live';
  region: string;
  failOn: FailOn;
  summary: { checks: number; allowed: number; denied: number; undetermined: number; suppressed: number; failing: number };
  templates: Array<{ path: string; style: IacStyle; stack?: string }>;
  /** Functions that name no secret and are granted none: nothing to check. */
  functionsWithoutSecret: Array<{ name: string; location?: ScanLocation }>;
  checks: ScanCheck[];
}

export interface StaticScanInput {
  templates: IacTemplate[];
  region: string;
  parameterOverrides: Record<string, string>;
  failOn: FailOn;
}

export async function scanStatic(input: StaticScanInput): Promise<ScanResult> {
  const checks: ScanCheck[] = [];
  const without: ScanResult['functionsWithoutSecret'] = [];
  for (const iac of input.templates) {
    const ctx = createResolveContext(iac.template.body, { region: input.region, accountId: STATIC_ACCOUNT, parameterOverrides: input.parameterOverrides });
    for (const fn of listFunctions(iac.template, ctx)) {
      const analysis = analyseFunction(iac.template, fn.logicalId, { region: input.region, accountId: STATIC_ACCOUNT, parameterOverrides: input.parameterOverrides });
      const found = await checksOfFunction(iac, analysis, input);
      if (found.length === 0) without.push({ name: functionName(iac, analysis), location: locationOf(iac, analysis.fn.logicalId) });
      checks.push(...found.map((c) => withFailing(c, input.failOn)));
    }
  }
  return summarise({ method: 'static', region: input.region, failOn: input.failOn, templates: input.templates.map((t) => ({ path: t.template.path, style: t.style, ...(t.stack ? { stack: t.stack } : {}) })), functionsWithoutSecret: without, checks });
}

async function checksOfFunction(iac: IacTemplate, analysis: FunctionAnalysis, input: StaticScanInput): Promise<ScanCheck[]> {
  const { secrets, unresolved } = secretsReadBy(analysis);
  const resource = (iac.template.body.Resources as Record<string, unknown>)[analysis.fn.logicalId];
  const suppressions = suppressionsOf(resource);
  const base = { style: iac.style, ...(iac.stack ? { stack: iac.stack } : {}), function: { logicalId: analysis.fn.logicalId, name: functionName(iac, analysis) }, location: locationOf(iac, analysis.fn.logicalId) };
  const out: ScanCheck[] = [];
  for (const secret of secrets) {
    const result = await checkStatic({ templatePath: iac.template.path, template: iac.template, functionId: analysis.fn.logicalId, secretId: secret.secretId, region: input.region, parameterOverrides: input.parameterOverrides });
    const findings = [...suppressions.problems, ...fixesForStyle(result.findings, fixInput(iac, analysis, result, input.region))];
    const check: ScanCheck = { ...base, secret: secretShown(analysis, result.secret.id, secret.source), verdict: result.verdict, ...decidingCode(result.verdict, findings), findings, failing: false, chain: result.chain, ...(result.deciding ? { deciding: result.deciding } : {}) };
    const names = [secret.secretId, result.secret.id, secretNameOf(analysis, secret.secretId)].filter((n): n is string => Boolean(n));
    const hit = check.verdict === 'allowed' ? undefined : matchSuppression(suppressions.entries, names, findings.map((f) => f.code));
    out.push(hit ? { ...check, suppressed: { reason: hit.reason } } : check);
  }
  for (const u of unresolved) {
    const finding: Finding = { code: 'secret-unresolved', severity: 'warning', message: `${u.source} names a secret the template alone can't resolve (${u.reason}).`, fix: 'Check it live (check-policy --stack-name NAME), or give the parameter a value (--parameter-overrides / samconfig).' };
    out.push({ ...base, secret: { id: '(unresolved)', source: u.source }, verdict: 'undetermined', code: finding.code, findings: [finding], failing: false, chain: [] });
  }
  return out;
}

/** A template secret by its Name (`weather/openweather`), with its logical ID beside it. */
function secretShown(analysis: FunctionAnalysis, id: string, source: string): ScanCheck['secret'] {
  const name = secretNameOf(analysis, id);
  return name ? { id: name, logicalId: id, source } : { id, source };
}

function decidingCode(verdict: Verdict, findings: Finding[]): { code?: string } {
  if (verdict === 'allowed') return {};
  const first = findings.find((f) => f.severity === 'error') ?? findings.find((f) => f.severity === 'warning' && f.code !== 'suppression-without-reason');
  return { code: first?.code ?? 'undetermined' };
}

export function withFailing(check: ScanCheck, failOn: FailOn): ScanCheck {
  const failing = !check.suppressed && (check.verdict === 'denied' || (check.verdict === 'undetermined' && failOn === 'undetermined'));
  return { ...check, failing };
}

export function summarise(parts: Omit<ScanResult, 'command' | 'scope' | 'summary'>): ScanResult {
  const count = (v: Verdict) => parts.checks.filter((c) => c.verdict === v).length;
  return {
    command: 'check-policy',
    scope: 'all',
    ...parts,
    summary: {
      checks: parts.checks.length,
      allowed: count('allowed'),
      denied: count('denied'),
      undetermined: count('undetermined'),
      suppressed: parts.checks.filter((c) => c.suppressed).length,
      failing: parts.checks.filter((c) => c.failing).length,
    },
  };
}

/** CDK: the construct path users wrote; Serverless: the deployed FunctionName; else the logical ID. */
function functionName(iac: IacTemplate, analysis: FunctionAnalysis): string {
  const resource = (iac.template.body.Resources as Record<string, unknown>)[analysis.fn.logicalId];
  if (iac.style === 'cdk') return constructPath(resource) ?? analysis.fn.logicalId;
  if (iac.style === 'serverless' && typeof analysis.fn.functionName === 'string') return analysis.fn.functionName;
  return analysis.fn.logicalId;
}

function locationOf(iac: IacTemplate, logicalId: string): ScanLocation {
  const pos = iac.template.positionOf(['Resources', logicalId]);
  return { file: iac.template.path, ...(pos ? { line: pos.line, col: pos.col } : {}) };
}

function secretNameOf(analysis: FunctionAnalysis, id: string): string | undefined {
  const s = analysis.secrets.find((x) => x.logicalId === id);
  return typeof s?.name === 'string' ? s.name : undefined;
}

/** Construct ids for a CDK fix: the last meaningful part of each resource's aws:cdk:path. */
function fixInput(iac: IacTemplate, analysis: FunctionAnalysis, result: CheckPolicyResult, region: string) {
  const resources = iac.template.body.Resources as Record<string, unknown>;
  const construct = (logicalId: string | undefined) => (logicalId ? constructPath(resources[logicalId])?.split('/').pop() : undefined);
  const secretResource = analysis.secrets.find((s) => s.logicalId === result.secret.id);
  const keyId = (result.secret.kmsKey ?? '').match(/key\/(?:key-|\{\{resource:)([A-Za-z0-9]+)(?:\}\})?$/)?.[1];
  return {
    style: iac.style,
    functionConstruct: construct(analysis.fn.logicalId) ?? analysis.fn.logicalId,
    secretConstruct: construct(secretResource?.logicalId),
    keyConstruct: construct(keyId),
    secretName: typeof secretResource?.name === 'string' ? secretResource.name : result.secret.id,
    stack: iac.stack,
    region,
  };
}
