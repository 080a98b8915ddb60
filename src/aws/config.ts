/**
 * The one description of how to reach AWS, built once per run from the resolved context and handed to
 * every client factory. Credentials come from the SDK's standard chain (env, shared files, SSO,
 * credential_process); `profile` only selects which profile that chain reads.
 *
 * Retries are left to the SDK so AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and a profile's `max_attempts` /
 * `retry_mode` work as they do for the AWS CLI (the SDK's own default is 3 attempts, standard mode).
 */
import type { ResolvedContext } from '../config/resolve.js';
import { EnvironmentError } from '../core/errors.js';

export interface AwsTimeouts {
  /** How long to wait for a TCP/TLS connection. */
  connectMs: number;
  /** How long a request may sit without a byte from AWS before it fails. */
  requestMs: number;
  /** The same for Lambda Invoke, which waits for the function itself (up to 15 minutes). */
  invokeMs: number;
}

export interface AwsClientConfig {
  region: string;
  profile?: string;
  /** An explicit --endpoint-url. AWS_ENDPOINT_URL(_*) keep working through the SDK itself. */
  endpoint?: string;
  /** Defaults to DEFAULT_TIMEOUTS. */
  timeouts?: AwsTimeouts;
  /** HTTPS_PROXY / HTTP_PROXY (any case) is set: route through proxy-agent, which honours NO_PROXY. */
  useProxy?: boolean;
  /**
   * The retry mode when neither AWS_RETRY_MODE nor the profile's `retry_mode` sets one (the SDK's own
   * default is `standard`). A live scan sends hundreds of IAM calls: it asks for `adaptive`, whose
   * client-side rate limiter backs off when IAM throttles.
   */
  defaultRetryMode?: 'standard' | 'adaptive';
}

export const DEFAULT_TIMEOUTS: AwsTimeouts = { connectMs: 5_000, requestMs: 30_000, invokeMs: 910_000 };

/** User settings, documented in the README: WEATHER_SECRETS_REQUEST_TIMEOUT_MS and _INVOKE_TIMEOUT_MS. */
export function timeoutsFromEnv(env: NodeJS.ProcessEnv): AwsTimeouts {
  const request = positiveMs(env.WEATHER_SECRETS_REQUEST_TIMEOUT_MS);
  return {
    connectMs: Math.min(DEFAULT_TIMEOUTS.connectMs, request ?? Infinity),
    requestMs: request ?? DEFAULT_TIMEOUTS.requestMs,
    invokeMs: positiveMs(env.WEATHER_SECRETS_INVOKE_TIMEOUT_MS) ?? DEFAULT_TIMEOUTS.invokeMs,
  };
}

export function positiveMs(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : undefined;
}

export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'].some((name) => (env[name] ?? '') !== '');
}

export function awsClientConfig(context: ResolvedContext, env: NodeJS.ProcessEnv = process.env): AwsClientConfig {
  return {
    region: context.region.value,
    profile: context.profile?.value,
    endpoint: context.endpointUrl?.value,
    timeouts: timeoutsFromEnv(env),
    useProxy: proxyConfigured(env),
  };
}

/**
 * Settings shared by every SDK client. `throwOnRequestTimeout` matters: without it the handler only
 * logs a warning when `requestTimeout` passes and the request waits forever (node-http-handler 4.x).
 * The proxy agent is loaded only when a proxy is set, so a normal start-up does not pay for it.
 */
export async function sdkClientOptions(config: AwsClientConfig, serviceId: SdkServiceId, kind: 'default' | 'invoke' = 'default') {
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const agents = config.useProxy ? await proxyAgents() : {};
  const endpoint = config.endpoint ?? (await profileEndpoint(config.profile, serviceId));
  const timeouts = config.timeouts ?? DEFAULT_TIMEOUTS;
  const requestTimeout = kind === 'invoke' ? timeouts.invokeMs : timeouts.requestMs;
  return {
    region: config.region,
    ...(config.profile ? { profile: config.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(config.defaultRetryMode ? { retryMode: await retryModeProvider(config.defaultRetryMode, config.profile) } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: timeouts.connectMs,
      requestTimeout,
      throwOnRequestTimeout: true,
      ...agents,
    }),
  };
}

/** The SDK's own lookup of the retry mode (env, then the profile), with another default. */
export async function retryModeProvider(fallback: string, profile: string | undefined): Promise<() => Promise<string>> {
  const [{ loadConfig }, { NODE_RETRY_MODE_CONFIG_OPTIONS }] = await Promise.all([import('@smithy/core/config'), import('@smithy/core/retry')]);
  return loadConfig({ ...NODE_RETRY_MODE_CONFIG_OPTIONS, default: fallback }, profile ? { profile } : {});
}

async function proxyAgents() {
  const { ProxyAgent } = await import('proxy-agent');
  const agent = new ProxyAgent();
  return { httpAgent: agent, httpsAgent: agent };
}

/** The SDK's `serviceId` of each client the tool builds: it names AWS_ENDPOINT_URL_<ID> and the services section key. */
export type SdkServiceId = 'Secrets Manager' | 'Lambda' | 'IAM' | 'KMS' | 'STS' | 'CloudFormation' | 'EC2' | 'Organizations';

/**
 * The SDK reads configured endpoints (a profile's `endpoint_url`, its `services` section) only for the
 * profile named by AWS_PROFILE (or `default`), not for one passed in code (--profile, samconfig
 * `profile`). For that case this follows the SDK's own order (@smithy/core's getEndpointUrlConfig,
 * which it does not export; "Service-specific endpoints" in the AWS SDKs and Tools reference guide):
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL (both left to the SDK), then the profile's services
 * section entry for this service, then its `endpoint_url`; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the
 * profile's `ignore_configured_endpoint_urls` turn the configured ones off.
 */
export async function profileEndpoint(profile: string | undefined, serviceId: SdkServiceId, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (!profile || profile === (env.AWS_PROFILE || 'default')) return undefined;
  const envSuffix = serviceId.split(' ').map((w) => w.toUpperCase()).join('_');
  if (env[`AWS_ENDPOINT_URL_${envSuffix}`] || env.AWS_ENDPOINT_URL || isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return undefined;
  let files: Awaited<ReturnType<typeof import('@smithy/core/config').loadSharedConfigFiles>>;
  try {
    files = await (await import('@smithy/core/config')).loadSharedConfigFiles();
  } catch {
    return undefined;
  }
  const settings = { ...files.credentialsFile?.[profile], ...files.configFile?.[profile] };
  if (isTrue(settings.ignore_configured_endpoint_urls)) return undefined;
  if (settings.services) {
    const section = files.configFile?.[`services.${settings.services}`];
    if (!section) {
      throw new EnvironmentError(`Profile ${profile} names services section "${settings.services}", which the AWS config file does not have.`, {
        code: 'profile-services-missing',
        hint: `Add [services ${settings.services}] to the AWS config file, or remove "services" from [profile ${profile}].`,
      });
    }
    const url = section[`${serviceId.split(' ').map((w) => w.toLowerCase()).join('_')}.endpoint_url`];
    if (typeof url === 'string' && url.trim() !== '') return url.trim();
  }
  const value = settings.endpoint_url;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isTrue(value: string | undefined): boolean {
  return /^true$/i.test((value ?? '').trim());
}
