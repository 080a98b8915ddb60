/**
 * The one description of how to reach AWS, built once per run from the resolved context and handed to
 * every client factory. Credentials come from the SDK's standard chain (env, shared files, SSO,
 * credential_process); `profile` only selects which profile that chain reads.
 */
import type { ResolvedContext } from '../config/resolve.js';

export interface AwsClientConfig {
  region: string;
  profile?: string;
  /** An explicit --endpoint-url. AWS_ENDPOINT_URL(_*) keep working through the SDK itself. */
  endpoint?: string;
}

export function awsClientConfig(context: ResolvedContext): AwsClientConfig {
  return {
    region: context.region.value,
    profile: context.profile?.value,
    endpoint: context.endpointUrl?.value,
  };
}

/** Settings shared by every SDK client: bounded connection time so a dead endpoint fails fast. */
export function sdkClientOptions(config: AwsClientConfig) {
  return {
    region: config.region,
    ...(config.profile ? { profile: config.profile } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
}
