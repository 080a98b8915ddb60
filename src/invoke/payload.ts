/**
 * A Lambda function's result payload, read the same way whether it came from `sam local invoke`'s
 * stdout or from the Lambda Invoke API. Neither tells us reliably that the function failed: sam exits 0
 * with the error object on stdout (aws-sam-cli issue 1081), and Invoke's StatusCode is 200 either way.
 * So the payload's shape is the signal.
 */
import { redactParsed } from './redact.js';

/** The object the Lambda runtimes return when a handler throws (Python, Node.js, Java, ...). */
export interface LambdaErrorShape {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}

export type FunctionPayload =
  | { kind: 'empty'; raw: string }
  | { kind: 'json'; raw: string; value: unknown; error?: LambdaErrorShape }
  | { kind: 'text'; raw: string };

/**
 * `redact` masks the decoded value too (see redactParsed): the raw text was masked already, but a value
 * written with JSON escapes (`\u0043ANARY`) only shows once decoded. Then `raw`, which the classifier
 * quotes, becomes the masked value re-encoded.
 */
export function parsePayload(text: string, redact?: (text: string) => string): FunctionPayload {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty', raw: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { kind: 'text', raw: text };
  }
  const value = redact ? redactParsed(parsed, redact) : parsed;
  const raw = value === parsed || JSON.stringify(value) === JSON.stringify(parsed) ? text : JSON.stringify(value);
  const error = asLambdaError(value);
  return error ? { kind: 'json', raw, value, error } : { kind: 'json', raw, value };
}

/**
 * Detects the runtime's error object. `errorMessage` alone is enough (the Node.js runtime omits
 * `errorType` for non-Error throws; a timeout from the Lambda API carries only `errorMessage`),
 * but a handler's own `{"errorMessage": ...}` result is then indistinguishable: that is how Lambda
 * itself reports it too.
 */
export function asLambdaError(value: unknown): LambdaErrorShape | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.errorMessage !== 'string') return undefined;
  const keys = Object.keys(record);
  const known = new Set(['errorType', 'errorMessage', 'stackTrace', 'requestId', 'cause', 'trace']);
  if (!keys.every((key) => known.has(key))) return undefined;
  const errorType = typeof record.errorType === 'string' ? record.errorType : 'Error';
  const stackTrace = toStackTrace(record.stackTrace ?? record.trace);
  return stackTrace
    ? { errorType, errorMessage: record.errorMessage, stackTrace }
    : { errorType, errorMessage: record.errorMessage };
}

/** Python gives a list of strings (each possibly multi-line); Node.js a list of lines; Java a list too. */
function toStackTrace(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((line): line is string => typeof line === 'string');
}

/** The payload as it should be shown: indented JSON when it is JSON, the text otherwise. */
export function formatPayload(payload: FunctionPayload): string {
  if (payload.kind === 'json') return JSON.stringify(payload.value, null, 2);
  return payload.raw.trim();
}
