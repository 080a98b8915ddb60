/**
 * Checks an OpenWeather API key before it is stored. The key travels only in the request's query
 * string (OpenWeather's `appid`); it is never put in a message, and the URL is never reported.
 */
import { EnvironmentError, UsageError } from '../core/errors.js';

export const DEFAULT_OPENWEATHER_BASE_URL = 'https://api.openweathermap.org';
/** Vienna, as in the original story. */
const PROBE_PATH = '/data/2.5/weather?lat=48.208176&lon=16.373819&units=metric&appid=';

export interface VerifyResult {
  status: 'valid' | 'rate-limited';
  httpStatus: number;
}

export async function verifyOpenWeatherKey(
  key: string,
  options: { baseUrl?: string; timeoutMs?: number; fetchImpl?: typeof fetch } = {},
): Promise<VerifyResult> {
  const base = (options.baseUrl ?? DEFAULT_OPENWEATHER_BASE_URL).replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await doFetch(`${base}${PROBE_PATH}${encodeURIComponent(key)}`, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    const code = networkCode(error);
    throw new EnvironmentError(`Could not reach OpenWeather at ${base} to verify the key (${code}). Nothing was stored.`, {
      code: 'verify-unreachable',
      hint: 'Check your network or OPENWEATHER_BASE_URL, or run without --verify.',
      // The cause is reduced to its code: fetch errors can carry the request URL, which holds the key.
      cause: new Error(code),
    });
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status === 401) {
    throw new UsageError('OpenWeather rejected the key (401 Unauthorized). Nothing was stored.', {
      code: 'key-rejected',
      hint: 'Check the key on https://home.openweathermap.org/api_keys; new keys can take up to two hours to activate.',
    });
  }
  if (response.status === 429) return { status: 'rate-limited', httpStatus: 429 };
  if (!response.ok) {
    throw new EnvironmentError(`OpenWeather answered ${response.status} while verifying the key. Nothing was stored.`, {
      code: 'verify-failed',
      hint: 'Try again later, or run without --verify.',
    });
  }
  return { status: 'valid', httpStatus: response.status };
}

function networkCode(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return e?.cause?.code ?? e?.name ?? 'network error';
}
