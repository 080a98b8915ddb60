/**
 * Translates AWS SDK errors into the tool's taxonomy, at the adapter, keeping the original as `cause`.
 * Core code never inspects SDK error names.
 */
import { AwsError, EnvironmentError } from '../core/errors.js';

interface SdkLikeError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
/** The credentials themselves are bad (expired, unknown key): not a permission problem. */
const BAD_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException', 'InvalidClientTokenId', 'RequestExpired', 'TokenRefreshRequired']);

export function awsErrorName(error: unknown): string | undefined {
  return (error as SdkLikeError | undefined)?.name;
}

export function translateAwsError(error: unknown, service: string, operation: string): EnvironmentError {
  if (error instanceof EnvironmentError) return error;
  const e = (error ?? {}) as SdkLikeError;
  const name = e.name ?? 'Error';
  const where = `${service} ${operation}`;
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(name)) {
    // The SDK's own words matter here (e.g. "The SSO session associated with this profile has expired"):
    // they say what to do, so they are part of the message, not only of --verbose.
    const detail = firstLine(e.message);
    const sso = /\bSSO\b|sso_|Token is expired|refresh/i.test(detail);
    return new EnvironmentError(`No usable AWS credentials for ${where}${detail ? `: ${detail}` : '.'}`, {
      code: sso ? 'sso-login-required' : 'no-credentials',
      hint: sso ? 'Run `aws sso login` (with --profile if you use one), then try again.' : 'Run `aws configure` or `aws sso login`, set AWS_PROFILE, or pass --profile.',
      cause: error,
    });
  }
  if (BAD_CREDENTIALS.has(name)) {
    const expired = /Expired|RequestExpired|TokenRefresh/.test(name);
    return new AwsError(`AWS rejected the credentials for ${where} (${name}): ${firstLine(e.message)}`, {
      code: expired ? 'credentials-expired' : 'credentials-invalid',
      service, operation, awsCode: name,
      hint: expired
        ? 'The session has expired: refresh it (`aws sso login`, or get new temporary credentials), then try again.'
        : 'The access key is not known to AWS here: check AWS_ACCESS_KEY_ID / the profile, and --region/--endpoint-url.',
      cause: error,
    });
  }
  if (isRequestTimeout(e)) {
    return new EnvironmentError(`${where} got no answer in time (the request timed out).`, {
      code: 'request-timeout',
      hint: 'AWS or the endpoint stalled. Check your network or proxy; WEATHER_SECRETS_REQUEST_TIMEOUT_MS sets how long to wait.',
      cause: error,
    });
  }
  const networkCode = findNetworkCode(error);
  if (networkCode || name === 'TimeoutError') {
    return new EnvironmentError(`Cannot reach the ${service} endpoint (${networkCode ?? 'timed out'}) for ${operation}.`, {
      code: 'endpoint-unreachable',
      hint: 'Check your network, HTTPS_PROXY/NO_PROXY, --endpoint-url / AWS_ENDPOINT_URL, and --region.',
      cause: error,
    });
  }
  if (name === 'SyntaxError' || /Deserialization error|Expected closing tag|Unexpected token/i.test(e.message ?? '')) {
    return new AwsError(`${where}: the endpoint's answer is not a valid AWS response (${firstLine(e.message).slice(0, 120)}).`, {
      code: 'invalid-response', service, operation, awsCode: name,
      hint: 'Something between you and AWS (a proxy, a captive portal, a wrong --endpoint-url) answered instead of AWS.',
      cause: error,
    });
  }
  if (THROTTLING.has(name)) {
    return new AwsError(`AWS throttled ${where}, still after retries.`, {
      code: 'throttled', service, operation, awsCode: name, hint: 'Wait a moment and run it again.', cause: error,
    });
  }
  if (ACCESS_DENIED.has(name)) {
    return new AwsError(`AWS denied ${where}: ${firstLine(e.message)}`, {
      code: 'access-denied', service, operation, awsCode: name,
      hint: 'The credentials in use lack this permission; see "Using it against a real AWS account" in the README.',
      cause: error,
    });
  }
  return new AwsError(`${where} failed: ${name}: ${firstLine(e.message)}`, {
    code: 'aws-error', service, operation, awsCode: name, cause: error,
  });
}

/** node-http-handler with throwOnRequestTimeout: a TimeoutError "Request timed out" / "Connection timeout". */
function isRequestTimeout(e: SdkLikeError): boolean {
  return (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.code === 'RequestTimeout') && /timed out|timeout/i.test(e.message ?? '');
}

function findNetworkCode(error: unknown): string | undefined {
  for (let e = error as { code?: string; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code && NETWORK_CODES.has(e.code)) return e.code;
    const nested = e.errors?.find((x) => NETWORK_CODES.has((x as { code?: string }).code ?? ''));
    if (nested) return (nested as { code: string }).code;
    e = e.cause as typeof e;
  }
  return undefined;
}

function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0]!.slice(0, 500);
}
