/**
 * `weather-secrets doctor`: walks the whole chain — who and where, the template, the deployed function,
 * the secret, permissions, network, and optionally both runs — and ends with the root cause and its fix.
 */
import type { SecretsStore } from '../aws/secrets-manager.js';
import type { StsApi } from '../aws/sts.js';
import { isWeatherSecretsError } from '../core/errors.js';
import type { ResolvedContext } from '../config/resolve.js';
import { checkStatic } from '../check/static.js';
import { resolveLiveSecret } from '../check/live-secret.js';
import { environmentCheck, functionCheck, networkCheck, staticPolicyCheck } from '../doctor/function-checks.js';
import { secretChecks } from '../doctor/secret-checks.js';
import { check, type DoctorCheck, type DoctorResult } from '../doctor/types.js';
import { displayTokens } from '../template/tokens.js';
import { invokeCheck } from './compose.js';
import type { InvokeResult } from './invoke.js';
import { checkLocated, findTemplate, locateDeployedFunction, templateSecretHint, type CheckPolicyDeps } from './check-policy.js';

export type { DoctorResult, DoctorCheck } from '../doctor/types.js';

export interface DoctorOptions {
  functionName?: string;
  secretId?: string;
  templatePath?: string;
  stackName?: string;
  key: string;
  invoke: boolean;
}

export interface DoctorDeps extends CheckPolicyDeps {
  context: ResolvedContext;
  sts: () => Promise<StsApi>;
  secretsIn: (region: string) => Promise<SecretsStore>;
  /** `invoke --compare` for the function; wired by the CLI. */
  invokeCompare?: (functionName: string | undefined) => Promise<InvokeResult>;
}

export async function doctor(options: DoctorOptions, deps: DoctorDeps): Promise<DoctorResult> {
  const templatePath = guard(() => findTemplate({ ...options, static: false }, deps));
  // Who-am-I and the function lookup need nothing from each other: both go out at once.
  const locating = locateDeployedFunction({ ...options, static: false }, deps, templatePath.value).catch((e: Error) => e);
  const checks: DoctorCheck[] = [await callerCheck(deps), configCheck(options, deps)];
  const staticResult = templatePath.value
    ? await checkStatic({ templatePath: templatePath.value, functionId: options.functionName, secretId: options.secretId, region: deps.region, parameterOverrides: deps.parameterOverrides }).catch((e: Error) => e)
    : undefined;
  checks.push(templateCheck(templatePath.value, staticResult, templatePath.error, options.functionName));
  checks.push(staticPolicyCheck(staticResult instanceof Error ? undefined : staticResult, staticResult instanceof Error ? 'the template could not be analysed' : undefined));
  if (checks[0]!.status === 'error') return finish(checks);

  const located = await locating;
  if (located instanceof Error) {
    checks.push(check('function', 'Deployed function', isWeatherSecretsError(located) && located.exitCode === 2 ? 'fail' : 'error', located.message, { fix: isWeatherSecretsError(located) ? located.hint : undefined }));
    return finish(checks);
  }
  const { fn } = located;
  checks.push(functionCheck(fn, located.source, deps.region), environmentCheck(located.analysis, fn));
  const store = (await deps.clients()).secrets;
  // The secret is resolved once and shared with the permission check; its own checks run beside it.
  const secret = await resolveLiveSecret(store, fn.environment, deps.region, options.secretId, templateSecretHint(located.analysis));
  const [secretResults, live] = await Promise.all([
    secretChecks({ secretId: secret.id, source: secret.source, region: deps.region, key: options.key, description: secret.description, store, storeIn: deps.secretsIn }),
    checkLocated(located, templatePath.value, { ...options, static: false }, deps, secret).catch((e: Error) => e),
  ]);
  checks.push(...secretResults);
  checks.push(permissionsCheck(live), networkCheck(fn));
  if (options.invoke && deps.invokeCompare) checks.push(invokeCheck(await deps.invokeCompare(options.functionName).catch((e: Error) => e)));
  return finish(checks);
}

async function callerCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  try {
    const me = await (await deps.sts()).getCallerIdentity();
    return check('caller', 'Who am I', 'pass', `${me.arn} (account ${me.account})`, { detail: { ...me } });
  } catch (error) {
    return check('caller', 'Who am I', 'error', (error as Error).message, { fix: isWeatherSecretsError(error) ? error.hint : undefined });
  }
}

function configCheck(options: DoctorOptions, deps: DoctorDeps): DoctorCheck {
  const c = deps.context;
  const stack = options.stackName ? `${options.stackName} (--stack-name)` : deps.samconfigStackName ? `${deps.samconfigStackName} (${c.samOrigin.stack_name})` : 'none';
  const parts = [`region ${c.region.value} (${c.region.source})`, `profile ${c.profile ? `${c.profile.value} (${c.profile.source})` : 'default chain'}`, `stack ${stack}`];
  if (c.endpointUrl) parts.push(`endpoint ${c.endpointUrl.value}`);
  if (deps.template) parts.push(`template ${deps.template.display} (${deps.template.reason})`);
  parts.push(c.samconfig ? `samconfig ${c.samconfig.path}` : 'no samconfig');
  const note = deps.template?.buildNote;
  return check('config', 'Where', note ? 'warn' : 'pass', parts.join(', '), { ...(note && { fix: note.message }), detail: { region: c.region, profile: c.profile, stack, endpoint: c.endpointUrl, template: deps.template?.display, samconfig: c.samconfig?.path, parameterOverrides: c.parameterOverrides.source } });
}

function templateCheck(path: string | undefined, result: unknown, error?: Error, functionName?: string): DoctorCheck {
  if (!path) return check('template', 'Template', 'skipped', error?.message ?? 'no template found');
  // A deployed name given in a folder with a template is not the template's fault.
  if (result instanceof Error && functionName && isWeatherSecretsError(result) && result.code === 'function-not-found') {
    return check('template', 'Template', 'skipped', `${functionName} is not a function of ${path}; it is taken as the deployed function's name.`);
  }
  if (result instanceof Error) return check('template', 'Template', 'fail', result.message, { fix: isWeatherSecretsError(result) ? result.hint : undefined });
  const r = result as { function: { logicalId?: string }; secret: { id: string; source: string } };
  return check('template', 'Template', 'pass', `${path}: function ${r.function.logicalId} reads ${r.secret.id} (from ${r.secret.source})`);
}

function permissionsCheck(live: Awaited<ReturnType<typeof checkLocated>> | Error): DoctorCheck {
  if (live instanceof Error) return check('permissions', 'Role can read the secret', 'error', live.message);
  const first = live.findings.find((f) => f.severity === 'error');
  const how = live.identityEvaluation === 'iam-simulation' ? "IAM's simulator + evaluator" : 'evaluator';
  if (live.verdict === 'allowed') {
    const summary = `${live.role.arn} may read ${live.secret.arn ?? live.secret.id} (${how})`;
    // Allowed as far as IAM goes: an organization's SCPs/RCPs were not read.
    const org = live.findings.find((f) => f.code === 'organization-policies-not-verified' || f.code === 'organization-unknown');
    return org ? check('permissions', 'Role can read the secret', 'warn', `${summary}. ${org.message}`, { fix: org.fix }) : check('permissions', 'Role can read the secret', 'pass', summary);
  }
  // Undetermined is "could not check" (exit 3), never a pass.
  if (live.verdict === 'undetermined') {
    const why = live.findings.find((f) => f.code === 'undetermined') ?? live.findings.find((f) => f.severity === 'warning');
    return check('permissions', 'Role can read the secret', 'error', why?.message ?? 'could not be determined', { fix: why?.fix });
  }
  return check('permissions', 'Role can read the secret', 'fail', first?.message ?? 'denied', { fix: first?.fix, detail: { code: first?.code, role: live.role.arn, action: 'secretsmanager:GetSecretValue', secret: live.secret.arn ?? live.secret.id } });
}

function finish(checks: DoctorCheck[]): DoctorResult {
  // The deployed side decides: a broken template that is not deployed is reported, but the root cause
  // is the first failing link of what actually runs, when there is one.
  const order = ['caller', 'function', 'secret', 'secret-deletion', 'permissions', 'secret-shape', 'environment', 'static-policy', 'template', 'invoke'];
  const failing = checks.filter((c) => c.status === 'fail' || c.status === 'error').sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const root = failing[0];
  return displayTokens({ command: 'doctor', ok: !root, checks, rootCause: root ? { check: root.id, message: root.summary } : undefined, fix: root?.fix });
}

function guard<T>(run: () => T): { value?: T; error?: Error } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: error as Error };
  }
}
