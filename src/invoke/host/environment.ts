/**
 * The environment a host run's handler sees: the developer's shell (a plain child process, so a
 * variable such as OPENWEATHER_BASE_URL reaches it) minus every AWS_* setting, then Lambda's own
 * variables, the template's variables with their deployed values, and the chosen credentials.
 * AWS endpoint overrides pass through, so the handler talks to the same AWS weather-secrets talks to.
 * Pure.
 */
import { delimiter } from 'node:path';
import type { HostFunctionSpec } from './spec.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface HostEnvironmentInput {
  spec: HostFunctionSpec;
  /** The parent's environment. */
  parent: NodeJS.ProcessEnv;
  region: string;
  /** The deployed name when known, else the logical ID (as sam does). */
  functionName: string;
  /** The template's variables, with deployed values where the template has intrinsics. */
  variables: Record<string, string>;
  credentials?: Credentials;
  endpointUrl?: string;
}

/** AWS_* variables that still make sense for a handler on this machine. */
const KEPT_AWS = /^AWS_(?:ENDPOINT_URL(?:_[A-Z0-9_]+)?|CA_BUNDLE|USE_FIPS_ENDPOINT|USE_DUALSTACK_ENDPOINT|SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)$/;

export function hostEnvironment(input: HostEnvironmentInput): Record<string, string> {
  const { spec, region, functionName } = input;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.parent)) {
    if (value === undefined || (/^AWS_/.test(name) && !KEPT_AWS.test(name))) continue;
    env[name] = value;
  }
  Object.assign(env, input.variables);
  Object.assign(env, {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'weather-secrets-host',
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    LAMBDA_TASK_ROOT: spec.codeDir,
    _HANDLER: spec.handler,
    // What sam sets in its containers too: code that switches endpoints for local runs keeps working.
    AWS_SAM_LOCAL: 'true',
    TZ: ':UTC',
  });
  // Lambda mounts layers under /opt and puts them on the path after the function's own code.
  if (spec.layerPaths.length > 0) {
    const name = spec.language === 'python' ? 'PYTHONPATH' : 'NODE_PATH';
    env[name] = [...spec.layerPaths, ...(input.parent[name] ? [input.parent[name]] : [])].join(delimiter);
  }
  if (input.endpointUrl) env.AWS_ENDPOINT_URL = input.endpointUrl;
  if (input.credentials) {
    env.AWS_ACCESS_KEY_ID = input.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = input.credentials.secretAccessKey;
    if (input.credentials.sessionToken) env.AWS_SESSION_TOKEN = input.credentials.sessionToken;
  }
  // Shared files would let boto3 or the SDK pick other credentials than the chosen ones.
  env.AWS_CONFIG_FILE = '/dev/null';
  env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  return env;
}
