/**
 * Why did the function fail to read its secret? A pure reading of what an invoke left behind: the result
 * payload and the log text, plus whether the function sits in a VPC and whether it ran locally under
 * `sam local invoke` (the developer's credentials) or deployed (the execution role).
 *
 * Texts are those of the Secrets Manager, STS and KMS services as relayed by boto3 (botocore
 * ClientError) and the JavaScript SDK v3 (exception name as errorType). The summary may quote the
 * function's error message: redact it (src/invoke/redact.ts) before printing.
 */
import type { FunctionPayload } from './payload.js';
import { findTimeout } from './logs.js';

export type InvokeMode = 'local' | 'remote';

export type InvokeDiagnosisCode =
  | 'ok'
  | 'secret-access-denied'
  | 'kms-access-denied'
  | 'secret-not-found'
  | 'invalid-local-credentials'
  | 'timeout-vpc'
  | 'timeout'
  | 'unhandled-exception';

/** Which part of IAM evaluation said no, read from the AccessDenied message's tail. */
export type DenialReason =
  | 'no-identity-policy-allows'
  | 'no-resource-policy-allows'
  | 'explicit-deny-identity-policy'
  | 'explicit-deny-resource-policy'
  | 'permissions-boundary'
  | 'service-control-policy'
  | 'session-policy'
  | 'unspecified';

export interface AccessDeniedDetail {
  /** e.g. `arn:aws:sts::123456789012:assumed-role/WeatherFunctionRole/weather-fn`. */
  principal?: string;
  /** The role name when the principal is an assumed role. */
  role?: string;
  /** The session name; for a deployed Lambda function it is the function's name. */
  session?: string;
  /** As the service wrote it: a name or an ARN. */
  resource?: string;
  reason: DenialReason;
}

export interface InvokeDiagnosis {
  code: InvokeDiagnosisCode;
  summary: string;
  nextStep?: string;
  detail?: Record<string, unknown>;
}

export interface ClassifyInput {
  payload: FunctionPayload;
  /** Decoded LogResult (remote) or sam's stderr (local). */
  logs: string;
  mode: InvokeMode;
  functionConfig?: { vpcConfigured: boolean };
  /** Lambda Invoke's FunctionError header, when known. */
  functionError?: 'Handled' | 'Unhandled';
}

interface Evidence extends ClassifyInput {
  /** Payload and logs together: a handler may catch and log the error, then return normally. */
  text: string;
}

type Detector = (evidence: Evidence) => InvokeDiagnosis | undefined;

/** In order: specific AWS errors first, then timeouts, then any other failure. */
const DETECTORS: Detector[] = [detectSecretAccessDenied, detectKmsDenied, detectSecretNotFound, detectLocalCredentials, detectTimeout, detectUnhandled];

export function classifyInvoke(input: ClassifyInput): InvokeDiagnosis {
  const evidence: Evidence = { ...input, text: `${input.payload.raw}\n${input.logs}` };
  for (const detect of DETECTORS) {
    const diagnosis = detect(evidence);
    if (diagnosis) return diagnosis;
  }
  return { code: 'ok', summary: 'The function ran without an error.' };
}

const GET_SECRET_DENIED = /is not authorized to perform:? secretsmanager:GetSecretValue/;

function detectSecretAccessDenied({ text, mode }: Evidence): InvokeDiagnosis | undefined {
  if (!GET_SECRET_DENIED.test(text)) return undefined;
  const detail = parseAccessDenied(text);
  const who = detail.role ?? detail.principal ?? 'the caller';
  const what = detail.resource ?? 'the secret';
  const summary = `${who} may not call secretsmanager:GetSecretValue on ${what}: ${REASON_TEXT[detail.reason]}.`;
  const nextStep =
    mode === 'local'
      ? 'Locally, sam runs the function with YOUR credentials, not the function\'s role: grant your own identity access, or run `weather-secrets check-policy` to see whether the deployed role would be allowed.'
      : 'Run `weather-secrets check-policy` to see which statement is missing or denies, and the exact fix.';
  return { code: 'secret-access-denied', summary, nextStep, detail: { ...detail } };
}

const REASON_TEXT: Record<DenialReason, string> = {
  'no-identity-policy-allows': 'no identity-based policy allows it',
  'no-resource-policy-allows': "the secret's resource policy does not allow it (needed across accounts)",
  'explicit-deny-identity-policy': 'an identity-based policy explicitly denies it',
  'explicit-deny-resource-policy': "the secret's resource policy explicitly denies it",
  'permissions-boundary': 'the role\'s permissions boundary does not allow it',
  'service-control-policy': 'an Organizations service control policy denies it',
  'session-policy': 'the session policy does not allow it',
  unspecified: 'access denied',
};

const REASON_PATTERNS: Array<[RegExp, DenialReason]> = [
  [/explicit deny in a resource-based policy/, 'explicit-deny-resource-policy'],
  [/explicit deny in an identity-based policy/, 'explicit-deny-identity-policy'],
  [/permissions boundary/, 'permissions-boundary'],
  [/service control polic/, 'service-control-policy'],
  [/session policy/, 'session-policy'],
  [/no resource-based policy allows/, 'no-resource-policy-allows'],
  [/no identity-based policy allows/, 'no-identity-policy-allows'],
];

/** Reads `User: ARN is not authorized to perform: ACTION on resource: R because|with ...`. */
export function parseAccessDenied(text: string): AccessDeniedDetail {
  const line = text.split('\n').find((candidate) => GET_SECRET_DENIED.test(candidate)) ?? text;
  const principal = /User: (arn:[^\s"\\]+)/.exec(line)?.[1];
  const assumed = principal ? /:assumed-role\/([^/]+)\/(.+)$/.exec(principal) : null;
  const resource = /on resource: ([^\s"\\]+)/.exec(line)?.[1]?.replace(/[.,;]$/, '');
  const reason = REASON_PATTERNS.find(([pattern]) => pattern.test(line))?.[1] ?? 'unspecified';
  return {
    ...(principal && { principal }),
    ...(assumed?.[1] && { role: assumed[1] }),
    ...(assumed?.[2] && { session: assumed[2] }),
    ...(resource && { resource }),
    reason,
  };
}

function detectKmsDenied({ text }: Evidence): InvokeDiagnosis | undefined {
  if (!/Access to KMS is not allowed|is not authorized to perform:? kms:Decrypt/.test(text)) return undefined;
  return {
    code: 'kms-access-denied',
    summary: 'The secret is encrypted with a customer-managed KMS key, and the caller may not use it to decrypt ("Access to KMS is not allowed").',
    nextStep: 'Allow kms:Decrypt on that key in the role\'s policy and check the key policy delegates to IAM; `weather-secrets check-policy` shows the key.',
  };
}

function detectSecretNotFound({ text }: Evidence): InvokeDiagnosis | undefined {
  const named = /Secrets Manager can['’]t find the specified secret/.test(text);
  if (!named && !/ResourceNotFoundException[\s\S]{0,200}GetSecretValue|GetSecretValue[\s\S]{0,40}ResourceNotFoundException/.test(text)) {
    return undefined;
  }
  return {
    code: 'secret-not-found',
    summary: "Secrets Manager can't find the secret the function asked for.",
    nextStep: "Check the secret name (or ARN) the function reads and the region it runs in: a secret exists in one region only. `weather-secrets check-policy` prints both.",
  };
}

const BAD_LOCAL_CREDENTIALS = [
  /The security token included in the request is (?:invalid|expired)/,
  /ExpiredToken/,
  /Unable to locate credentials/, // botocore NoCredentialsError
  /Could not load credentials from any providers/, // JavaScript SDK v3 CredentialsProviderError
  /UnrecognizedClientException/,
];

function detectLocalCredentials({ text, mode }: Evidence): InvokeDiagnosis | undefined {
  if (mode !== 'local' || !BAD_LOCAL_CREDENTIALS.some((pattern) => pattern.test(text))) return undefined;
  return {
    code: 'invalid-local-credentials',
    summary: 'The function ran with your own AWS credentials (sam passes them into the container), and they are missing, invalid or expired.',
    nextStep: 'Refresh them (`aws sso login`, or new keys) and check with `aws sts get-caller-identity`; pass --profile if you use a named profile.',
  };
}

function detectTimeout({ text, payload, mode, functionConfig }: Evidence): InvokeDiagnosis | undefined {
  const timeout = findTimeout(text);
  if (!timeout) return undefined;
  const seconds = timeout.seconds;
  // sam does not emulate a VPC, so only a deployed function's timeout points at its network.
  if (mode === 'remote' && functionConfig?.vpcConfigured) {
    return {
      code: 'timeout-vpc',
      summary: `The function timed out after ${seconds} seconds; it runs in a VPC, where GetSecretValue hangs when the subnets reach neither a NAT gateway nor a Secrets Manager interface endpoint.`,
      nextStep: 'Add a Secrets Manager VPC interface endpoint (com.amazonaws.REGION.secretsmanager) with private DNS, or route the subnets through a NAT gateway.',
      detail: { seconds },
    };
  }
  return {
    code: 'timeout',
    summary: `The function timed out after ${seconds} seconds${payload.kind === 'empty' ? ' without a result' : ''}.`,
    nextStep: 'Look at the last log lines for the call that hung; raise Timeout in the template if the work is simply slow.',
    detail: { seconds },
  };
}

function detectUnhandled({ payload, functionError }: Evidence): InvokeDiagnosis | undefined {
  const error = payload.kind === 'json' ? payload.error : undefined;
  if (!error && functionError === undefined) return undefined;
  const type = error?.errorType ?? 'Error';
  const message = error?.errorMessage ?? payload.raw.trim();
  return {
    code: 'unhandled-exception',
    summary: `The function raised ${type}: ${message}`,
    nextStep: 'Read the stack trace in the logs; the error is in the function code, not in access to the secret.',
    detail: { errorType: type, errorMessage: message },
  };
}
