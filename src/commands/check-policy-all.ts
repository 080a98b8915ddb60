/**
 * `weather-secrets check-policy --all`: every function and every secret it reads. From the templates
 * (SAM, CloudFormation, CDK's cdk.out, Serverless's .serverless) with no AWS call, or live: every
 * function of a deployed stack (--stack-name, nested stacks included) or of the region (--all-functions).
 */
import { isAbsolute, relative } from 'node:path';
import type { Reporter } from '../core/reporter.js';
import { scanStatic, type FailOn, type ScanResult } from '../check/scan.js';
import { loadIacTemplates } from '../template/iac.js';
import type { LiveScanClients } from '../check/scan-live.js';

export interface CheckAllOptions {
  templatePath?: string;
  stackName?: string;
  allFunctions: boolean;
  failOn: FailOn;
}

export interface CheckAllDeps {
  region: string;
  cwd: string;
  envTemplateFile?: string;
  parameterOverrides: Record<string, string>;
  /** Built only for a live scan. */
  clients: () => Promise<LiveScanClients>;
  reporter: Reporter;
  /** Progress "N of M functions" for a live scan; the CLI passes one only on a TTY without --json. */
  progress?: (done: number, total: number) => void;
}

export async function checkPolicyAll(options: CheckAllOptions, deps: CheckAllDeps): Promise<ScanResult> {
  if (options.stackName || options.allFunctions) {
    const { scanLive } = await import('../check/scan-live.js');
    return scanLive({ stackName: options.stackName, region: deps.region, failOn: options.failOn, progress: deps.progress }, await deps.clients());
  }
  const templates = await loadIacTemplates(deps.cwd, options.templatePath, deps.envTemplateFile);
  deps.reporter.progress(`Checking ${templates.length} template${templates.length === 1 ? '' : 's'} (static, no AWS calls)...`);
  const result = await scanStatic({ templates, region: deps.region, parameterOverrides: deps.parameterOverrides, failOn: options.failOn });
  return relativePaths(result, deps.cwd);
}

/** `cdk.out/WeatherStack.template.json` rather than an absolute path, when under the working folder. */
function relativePaths(result: ScanResult, cwd: string): ScanResult {
  const short = (p: string) => {
    const rel = relative(cwd, p);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
  };
  return {
    ...result,
    templates: result.templates.map((t) => ({ ...t, path: short(t.path) })),
    functionsWithoutSecret: result.functionsWithoutSecret.map((f) => (f.location ? { ...f, location: { ...f.location, file: short(f.location.file) } } : f)),
    checks: result.checks.map((c) => (c.location ? { ...c, location: { ...c.location, file: short(c.location.file) } } : c)),
  };
}
