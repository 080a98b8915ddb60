/**
 * What one invocation (local through sam, or deployed through the Lambda API) left behind, as data.
 * Shared by src/invoke/local.ts and remote.ts and returned by src/commands/invoke.ts; rendered by
 * src/cli/render/invoke.ts. Every text in here has already been through the redactor.
 */
import type { EnvVarsFile } from './env-vars-file.js';
import type { InvokeDiagnosis, InvokeMode } from './classify.js';
import { classifyInvoke } from './classify.js';
import { findTimeout, parseReportLine } from './logs.js';
import { parsePayload, type FunctionPayload } from './payload.js';

export type RunStatus = 'succeeded' | 'failed' | 'not-run';

export interface EnvParity {
  stackName: string;
  /** Variables filled from the deployed stack's physical values (names only; values are names/ARNs). */
  filled: string[];
  /** Set when the stack could not be read: the run went ahead without the file. */
  warning?: string;
}

export interface RedactionInfo {
  /** true when a known secret's values are masked in this run's output. */
  applied: boolean;
  secretId?: string;
  /** Why nothing is masked (no secret known, unreadable, --no-redact). Never a value. */
  reason?: string;
  /** The secret could not be read: payload and logs were withheld (fail closed). */
  withheld?: boolean;
}

export interface InvokeRun {
  mode: InvokeMode;
  status: RunStatus;
  /** Template logical ID and/or deployed name, as far as known. */
  function: { logicalId?: string; name?: string };
  statusCode?: number;
  functionError?: string;
  executedVersion?: string;
  durationMs?: number;
  /** Parsed JSON when the payload is JSON, else its text; undefined when empty or not run. */
  payload?: unknown;
  payloadKind?: FunctionPayload['kind'];
  logTail?: string;
  classification?: InvokeDiagnosis;
  envParity?: EnvParity;
  /** Local runs: declared variables whose value came from --env-vars or the developer's shell (names only). */
  localVariables?: { envVarsFile?: string; fromFile: string[]; fromShell: string[] };
  asDeployedRole?: {
    roleArn: string;
    /** `assume-role` is exact; `session-policy` and `federation-token` emulate the role (see limits). */
    method?: 'assume-role' | 'session-policy' | 'federation-token';
    via?: string;
    sessionPolicies?: { policyArns: string[]; inlineChars: number; plaintextChars: number };
    limits?: string[];
  };
  /** Variables holding `{{resolve:...}}`: named, never resolved. */
  dynamicReferences?: Array<{ name: string; reference: string }>;
  /** How a `--runtime host` run ran. */
  host?: HostRunInfo;
  redaction?: RedactionInfo;
  /** Why the run could not happen (not-run only, in --compare). */
  error?: { code: string; message: string; hint?: string };
}

export interface HostRunInfo {
  runtime: string;
  interpreter: string;
  /** Where the interpreter was found. */
  origin: string;
  hostVersion?: string;
  /** false when the host's version is not the function's Runtime. */
  versionMatches?: boolean;
  requestId: string;
  /** Variables the template sets that have no value locally (left empty, as sam does). */
  emptyVariables: string[];
  /** A package the handler imports that this interpreter lacks, and how to install it. */
  missingPackage?: { name: string; hint: string };
}

export interface Observed {
  mode: InvokeMode;
  /** Raw payload text, already redacted. */
  payloadText: string;
  /** Log text (sam's stderr or the decoded LogResult), already redacted. */
  logs: string;
  functionError?: string;
  vpcConfigured?: boolean;
  /** Masks the decoded payload as well (JSON escapes hide a value from text masking). */
  redact?: (text: string) => string;
}

/**
 * Reads payload and logs into the common fields. A run failed when Lambda set FunctionError, the payload
 * is the runtime's error object, or the classifier recognised a failure in payload or logs (a timeout
 * leaves an empty payload; sam still exits 0 for all of these, aws-sam-cli issue 1081).
 */
export function readOutcome(observed: Observed): Pick<InvokeRun, 'status' | 'payload' | 'payloadKind' | 'logTail' | 'classification' | 'durationMs'> {
  const payload = parsePayload(observed.payloadText, observed.redact);
  const functionError = observed.functionError === 'Handled' || observed.functionError === 'Unhandled' ? observed.functionError : undefined;
  const classification = classifyInvoke({
    payload,
    logs: observed.logs,
    mode: observed.mode,
    ...(observed.vpcConfigured !== undefined && { functionConfig: { vpcConfigured: observed.vpcConfigured } }),
    ...(functionError && { functionError }),
  });
  const failed =
    observed.functionError !== undefined ||
    (payload.kind === 'json' && payload.error !== undefined) ||
    findTimeout(observed.logs) !== undefined ||
    classification.code !== 'ok';
  const report = parseReportLine(observed.logs);
  return {
    status: failed ? 'failed' : 'succeeded',
    ...(payload.kind === 'json' ? { payload: payload.value } : payload.kind === 'text' ? { payload: payload.raw.trim() } : {}),
    payloadKind: payload.kind,
    logTail: observed.logs,
    classification,
    ...(report?.durationMs !== undefined && { durationMs: report.durationMs }),
  };
}

/** What a local or deployed run needs to know; src/commands/invoke.ts adds the mode. */
export interface RunOptions {
  /** Template logical ID, or a deployed name or ARN (deployed runs). */
  functionId?: string;
  /** The event, already checked to be JSON. */
  eventText: string;
  qualifier?: string;
  stackName?: string;
  templatePath?: string;
  envTemplateFile?: string;
  asDeployedRole: boolean;
  /** `host`: run the handler as a child process here instead of in sam's container. */
  runtime?: 'container' | 'host';
  redact: boolean;
  secretId?: string;
  cwd: string;
  region: string;
  profile?: string;
  configEnv?: string;
  parameterOverrides: Record<string, string>;
  /** `--env-vars FILE` (or samconfig env_vars), read: local runs only. */
  envVars?: EnvVarsFile;
}
