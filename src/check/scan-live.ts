/**
 * The live scan: every function of a deployed stack (nested stacks included) or of the region, each
 * checked by the single live check (checkLive) over caching adapters, a few at a time.
 */
import type { FunctionConfiguration, LambdaApi } from '../aws/lambda.js';
import type { FunctionLister } from '../aws/lambda-list.js';
import type { CloudFormationApi } from '../aws/cloudformation.js';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import { cachedLiveDeps, limiter } from './live-cache.js';
import { checkLive, type LiveDeps } from './live.js';
import { summarise, withFailing, type FailOn, type ScanCheck, type ScanResult } from './scan.js';

export interface LiveScanClients extends LiveDeps {
  lambda: LambdaApi;
  stacks: Pick<CloudFormationApi, 'stackResources'>;
  functions: FunctionLister;
}

export interface LiveScanInput {
  /** A stack; else every function of the region. */
  stackName?: string;
  region: string;
  failOn: FailOn;
  progress?: (done: number, total: number) => void;
}

interface Deployed {
  fn: FunctionConfiguration;
  stack?: string;
  logicalId?: string;
}

export const FUNCTION_CONCURRENCY = 8;
export const LOOKUP_CONCURRENCY = 16;

export async function scanLive(input: LiveScanInput, clients: LiveScanClients): Promise<ScanResult> {
  const deployed = input.stackName ? await stackFunctions(input.stackName, input.region, clients) : (await clients.functions.listAll()).map((fn) => ({ fn }));
  const deps = cachedLiveDeps(clients);
  await deps.prepareRoles(deployed.map((d) => d.fn.role.split('/').pop()!));
  const slot = limiter(FUNCTION_CONCURRENCY);
  let done = 0;
  const errors: unknown[] = [];
  const checks = await Promise.all(deployed.map((d) => slot(async () => {
    const check = await checkOne(d, input, deps).catch((error: unknown) => {
      errors.push(error);
      return failedCheck(d, error);
    });
    input.progress?.(++done, deployed.length);
    return withFailing(check, input.failOn);
  })));
  // Every check failing the same way (no credentials, endpoint down) is an environment error, not a result.
  if (deployed.length > 0 && errors.length === deployed.length) throw errors[0];
  return summarise({ method: 'live', region: input.region, failOn: input.failOn, templates: [], functionsWithoutSecret: [], checks });
}

async function stackFunctions(stackName: string, region: string, clients: LiveScanClients): Promise<Deployed[]> {
  const listed = await clients.stacks.stackResources(stackName);
  const resources = listed?.map((r) => ({ ...r, stack: [stackName, ...(r.nestedIn ?? [])].join('/') }));
  if (!resources) throw new UsageError(`No stack ${stackName} in ${region}.`, { code: 'stack-not-found', hint: 'Check --stack-name and --region.' });
  // Lambda allows far more GetFunctionConfiguration calls per second than IAM allows role reads.
  const slot = limiter(LOOKUP_CONCURRENCY);
  const found = await Promise.all(resources.filter((r) => r.type === 'AWS::Lambda::Function' && r.physicalId).map((r) => slot(async () => {
    const fn = await clients.lambda.getFunctionConfiguration(r.physicalId);
    return fn ? { fn, stack: r.stack, logicalId: r.logicalId } : undefined;
  })));
  return found.filter((d): d is { fn: FunctionConfiguration; stack: string; logicalId: string } => d !== undefined);
}

async function checkOne(d: Deployed, input: LiveScanInput, deps: LiveDeps): Promise<ScanCheck> {
  const source = d.stack ? `${d.logicalId} in stack ${d.stack}` : 'deployed name';
  const result = await checkLive({ fn: d.fn, functionSource: source, logicalId: d.logicalId, region: input.region }, deps);
  const first = result.findings.find((f) => f.severity === 'error') ?? result.findings.find((f) => f.severity === 'warning');
  return {
    style: 'deployed',
    ...(d.stack ? { stack: d.stack } : {}),
    function: { ...(d.logicalId ? { logicalId: d.logicalId } : {}), name: d.fn.name },
    secret: { id: result.secret.id, source: result.secret.source },
    verdict: result.verdict,
    ...(result.verdict === 'allowed' ? {} : { code: first?.code ?? 'undetermined' }),
    findings: result.findings,
    failing: false,
    chain: result.chain,
    ...(result.deciding ? { deciding: result.deciding } : {}),
  };
}

function failedCheck(d: Deployed, error: unknown): ScanCheck {
  const finding: Finding = { code: 'check-failed', severity: 'warning', message: `The check of ${d.fn.name} could not run: ${(error as Error).message}` };
  return { style: 'deployed', ...(d.stack ? { stack: d.stack } : {}), function: { name: d.fn.name }, secret: { id: '(unknown)', source: 'not reached' }, verdict: 'undetermined', code: finding.code, findings: [finding], failing: false, chain: [] };
}
