/**
 * The resources weather-secrets cares about, read out of a loaded template: Lambda functions (with SAM
 * Globals applied), secrets, IAM roles and KMS keys. Raw values are kept next to resolved ones so a
 * finding can quote what the user wrote and say what it means.
 */
import { isRecord, type LoadedTemplate } from './load.js';
import { resolveString, type ResolveContext, type Unresolved } from './intrinsics.js';

export type FunctionType = 'AWS::Serverless::Function' | 'AWS::Lambda::Function';

export interface EnvironmentVariable {
  name: string;
  raw: unknown;
  resolved: string | Unresolved;
  /** `Environment.Variables.NAME` */
  source: string;
  line?: number;
  /** Set by `Globals.Function.Environment` and not overridden by the function. */
  fromGlobals: boolean;
}

export interface TemplateFunction {
  logicalId: string;
  type: FunctionType;
  line?: number;
  /** Properties after SAM Globals were merged in (for AWS::Serverless::Function). */
  properties: Record<string, unknown>;
  runtime?: string;
  handler?: string;
  codeUri?: unknown;
  functionName?: string | Unresolved;
  environment: EnvironmentVariable[];
  vpcConfig?: unknown;
  /** `Role` as written; when set SAM creates no role and ignores `Policies`. */
  role?: unknown;
  /** `Policies` as written (SAM only). */
  policies?: unknown;
  permissionsBoundary?: unknown;
  tracing?: unknown;
}

export interface TemplateSecret {
  logicalId: string;
  line?: number;
  name?: string | Unresolved;
  /** Raw `KmsKeyId`; absent means the `aws/secretsmanager` managed key. */
  kmsKeyId?: unknown;
  kmsKeyIdResolved?: string | Unresolved;
}

export interface TemplateRole {
  logicalId: string;
  line?: number;
  roleName?: string | Unresolved;
  policies: unknown[];
  managedPolicyArns: unknown[];
  permissionsBoundary?: unknown;
}

export interface TemplateKey {
  logicalId: string;
  line?: number;
  keyPolicy?: unknown;
}

/** Function properties SAM refuses in `Globals.Function` (samtranslator/plugins/globals/globals.py). */
export const NOT_GLOBAL = ['Policies', 'Role', 'FunctionName', 'Events'] as const;

export function resourcesOfType(template: LoadedTemplate, ...types: string[]): Array<[string, Record<string, unknown>]> {
  const resources = template.body.Resources as Record<string, Record<string, unknown>>;
  return Object.entries(resources).filter(([, r]) => types.includes(r.Type as string));
}

export function listFunctions(template: LoadedTemplate, ctx: ResolveContext): TemplateFunction[] {
  const globals = globalFunctionProperties(template);
  return resourcesOfType(template, 'AWS::Serverless::Function', 'AWS::Lambda::Function').map(([logicalId, resource]) => {
    const type = resource.Type as FunctionType;
    const own = isRecord(resource.Properties) ? resource.Properties : {};
    // Globals apply to SAM functions only; a plain AWS::Lambda::Function never sees them.
    const properties = type === 'AWS::Serverless::Function' ? mergeGlobals(globals, own) : own;
    return describeFunction(template, ctx, logicalId, type, properties, own);
  });
}

export function findFunction(template: LoadedTemplate, ctx: ResolveContext, logicalId: string): TemplateFunction | undefined {
  return listFunctions(template, ctx).find((fn) => fn.logicalId === logicalId);
}

function describeFunction(
  template: LoadedTemplate,
  ctx: ResolveContext,
  logicalId: string,
  type: FunctionType,
  properties: Record<string, unknown>,
  own: Record<string, unknown>,
): TemplateFunction {
  const base = ['Resources', logicalId];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    logicalId,
    type,
    line: template.positionOf(base)?.line,
    properties,
    runtime: str(properties.Runtime),
    handler: str(properties.Handler),
    codeUri: type === 'AWS::Serverless::Function' ? properties.CodeUri : properties.Code,
    functionName: properties.FunctionName === undefined ? undefined : resolveString(properties.FunctionName, ctx),
    environment: environmentOf(template, ctx, logicalId, properties, own),
    vpcConfig: properties.VpcConfig,
    role: own.Role,
    policies: type === 'AWS::Serverless::Function' ? own.Policies : undefined,
    permissionsBoundary: properties.PermissionsBoundary,
    tracing: properties.Tracing ?? properties.TracingConfig,
  };
}

function environmentOf(
  template: LoadedTemplate,
  ctx: ResolveContext,
  logicalId: string,
  properties: Record<string, unknown>,
  own: Record<string, unknown>,
): EnvironmentVariable[] {
  const variables = variablesOf(properties);
  const ownVariables = variablesOf(own);
  return Object.entries(variables).map(([name, raw]) => {
    const fromGlobals = !(name in ownVariables);
    const path = fromGlobals
      ? ['Globals', 'Function', 'Environment', 'Variables', name]
      : ['Resources', logicalId, 'Properties', 'Environment', 'Variables', name];
    return {
      name,
      raw,
      resolved: resolveString(raw, ctx),
      source: `Environment.Variables.${name}`,
      line: template.positionOf(path)?.line,
      fromGlobals,
    };
  });
}

function variablesOf(properties: Record<string, unknown>): Record<string, unknown> {
  const env = properties.Environment;
  return isRecord(env) && isRecord(env.Variables) ? env.Variables : {};
}

/** Properties written under Globals.Function that SAM does not accept there. */
export function ignoredGlobalProperties(template: LoadedTemplate): string[] {
  const globals = template.body.Globals;
  const fn = isRecord(globals) ? globals.Function : undefined;
  return isRecord(fn) ? Object.keys(fn).filter((key) => (NOT_GLOBAL as readonly string[]).includes(key)) : [];
}

function globalFunctionProperties(template: LoadedTemplate): Record<string, unknown> {
  const globals = template.body.Globals;
  const fn = isRecord(globals) ? globals.Function : undefined;
  if (!isRecord(fn)) return {};
  return Object.fromEntries(Object.entries(fn).filter(([key]) => !(NOT_GLOBAL as readonly string[]).includes(key)));
}

/**
 * SAM's Globals rules: mappings merge (the function wins per key), lists concatenate (Globals first),
 * anything else—including an intrinsic function—is replaced by the function's own value.
 */
export function mergeGlobals(globals: unknown, local: unknown): Record<string, unknown> {
  return mergeValue(globals, local) as Record<string, unknown>;
}

function mergeValue(global: unknown, local: unknown): unknown {
  if (local === undefined) return global;
  if (global === undefined) return local;
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  if (isPlainMapping(global) && isPlainMapping(local)) {
    const out: Record<string, unknown> = { ...global };
    for (const [key, value] of Object.entries(local)) out[key] = mergeValue(global[key], value);
    return out;
  }
  return local;
}

/** A mapping that is not an intrinsic function call (`{Ref: x}`, `{"Fn::If": [...]}`). */
function isPlainMapping(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return !(keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition'));
}

export function listSecrets(template: LoadedTemplate, ctx: ResolveContext): TemplateSecret[] {
  return resourcesOfType(template, 'AWS::SecretsManager::Secret').map(([logicalId, resource]) => {
    const props = isRecord(resource.Properties) ? resource.Properties : {};
    return {
      logicalId,
      line: template.positionOf(['Resources', logicalId])?.line,
      name: props.Name === undefined ? undefined : resolveString(props.Name, ctx),
      kmsKeyId: props.KmsKeyId,
      kmsKeyIdResolved: props.KmsKeyId === undefined ? undefined : resolveString(props.KmsKeyId, ctx),
    };
  });
}

export function listRoles(template: LoadedTemplate, ctx: ResolveContext): TemplateRole[] {
  return resourcesOfType(template, 'AWS::IAM::Role').map(([logicalId, resource]) => {
    const props = isRecord(resource.Properties) ? resource.Properties : {};
    return {
      logicalId,
      line: template.positionOf(['Resources', logicalId])?.line,
      roleName: props.RoleName === undefined ? undefined : resolveString(props.RoleName, ctx),
      policies: Array.isArray(props.Policies) ? props.Policies : [],
      managedPolicyArns: Array.isArray(props.ManagedPolicyArns) ? props.ManagedPolicyArns : [],
      permissionsBoundary: props.PermissionsBoundary,
    };
  });
}

export function listKeys(template: LoadedTemplate): TemplateKey[] {
  return resourcesOfType(template, 'AWS::KMS::Key').map(([logicalId, resource]) => ({
    logicalId,
    line: template.positionOf(['Resources', logicalId])?.line,
    keyPolicy: isRecord(resource.Properties) ? resource.Properties.KeyPolicy : undefined,
  }));
}
