/**
 * Deployed values for local runs beyond the stack's own resources: `Fn::ImportValue` reads another
 * stack's export (CloudFormation ListExports), and a dynamic reference (`{{resolve:...}}`) is named,
 * never resolved: CloudFormation resolves it at deploy time into the function's configuration, and
 * for a secret that value is exactly what must not be copied around.
 */
import type { CloudFormationExportsApi } from '../aws/cloudformation.js';
import { hasSymbolicTokens, isUnresolved, resolveString, type ResolveContext, type TemplateFunction } from '../template/index.js';

export interface DynamicReference {
  name: string;
  /** The reference as written, e.g. `{{resolve:secretsmanager:openweatherapi:SecretString:KEY}}`. */
  reference: string;
}

const DYNAMIC_REFERENCE = /\{\{resolve:[^}]*\}\}/;

/** Pure: the variables whose value holds a dynamic reference. */
export function dynamicReferences(fn: TemplateFunction): DynamicReference[] {
  return fn.environment.flatMap((v) => {
    const value = isUnresolved(v.resolved) ? (typeof v.raw === 'string' ? v.raw : '') : v.resolved;
    const match = DYNAMIC_REFERENCE.exec(value);
    return match ? [{ name: v.name, reference: match[0] }] : [];
  });
}

/** Pure: variable name -> export name, for variables written as `Fn::ImportValue: NAME` (or `!Sub` of it). */
export function importedExportNames(fn: TemplateFunction, ctx: ResolveContext): Record<string, string> {
  const names: Record<string, string> = {};
  for (const variable of fn.environment) {
    const raw = variable.raw as Record<string, unknown> | undefined;
    if (typeof raw !== 'object' || raw === null || !('Fn::ImportValue' in raw)) continue;
    const name = resolveString(raw['Fn::ImportValue'], ctx);
    if (!isUnresolved(name) && !hasSymbolicTokens(name)) names[variable.name] = name;
  }
  return names;
}

export interface ImportedValues {
  fill: Record<string, string>;
  /** Exports the template imports that no stack of the account exports (here). */
  missing: string[];
}

/** Reads the exports only when the function imports one. */
export async function importedValues(fn: TemplateFunction, ctx: ResolveContext, exportsApi: () => Promise<CloudFormationExportsApi>): Promise<ImportedValues> {
  const wanted = importedExportNames(fn, ctx);
  if (Object.keys(wanted).length === 0) return { fill: {}, missing: [] };
  const exports = await (await exportsApi()).listExports();
  const fill: Record<string, string> = {};
  const missing: string[] = [];
  for (const [variable, exportName] of Object.entries(wanted)) {
    if (exportName in exports) fill[variable] = exports[exportName]!;
    else missing.push(exportName);
  }
  return { fill, missing };
}
