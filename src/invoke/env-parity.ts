/**
 * Environment parity for `sam local invoke`. sam cannot resolve a variable such as
 * `SECRET_ARN: !Ref OpenWeatherSecret` (the secret's ARN only exists once deployed), so locally the
 * function sees an empty or wrong value and diverges from the deployed one. When the stack is known we
 * fill such variables from its physical IDs through an `--env-vars` file.
 *
 * The file holds names and ARNs only (never a secret value), in a private directory (0700, the file
 * 0600) that the caller removes when sam is done, also on error or Ctrl-C.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackResource } from '../aws/cloudformation.js';
import { hasSymbolicTokens, isUnresolved, resourceToken, substituteTokens, type TemplateFunction } from '../template/index.js';

export interface DeployedValues {
  /** The variables sam cannot resolve, with the deployed stack's values. */
  fill: Record<string, string>;
  /** Every variable whose value is known (literals plus `fill`): used to find the secret's name. */
  known: Record<string, string>;
}

/** Pure: which variables to fill, from the function's resolved environment and the stack's resources. */
export function deployedValues(fn: TemplateFunction, resources: StackResource[] | undefined, known: { stackName?: string; region?: string }): DeployedValues {
  const physical: Record<string, string> = {};
  // The root stack's resources only: a nested stack's logical IDs belong to its own template.
  for (const r of resources ?? []) if (r.physicalId && !r.nestedIn?.length) physical[resourceToken(r.logicalId)] = r.physicalId;
  const accountId = resources?.map((r) => /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(r.physicalId)?.[1]).find(Boolean);
  const fill: Record<string, string> = {};
  const values: Record<string, string> = {};
  for (const variable of fn.environment) {
    const resolved = variable.resolved;
    if (isUnresolved(resolved)) continue;
    if (!hasSymbolicTokens(resolved)) {
      values[variable.name] = resolved;
      continue;
    }
    const value = substituteTokens(resolved, { ...known, ...(accountId && { accountId }), resources: physical });
    // A value with a token left (a !GetAtt attribute, an unknown account) would be wrong: leave it to sam.
    if (resources === undefined || hasSymbolicTokens(value)) continue;
    fill[variable.name] = value;
    values[variable.name] = value;
  }
  return { fill, known: values };
}

/** sam's --env-vars format for one function: `{"LogicalId": {"VAR": "value"}}`. */
export function envVarsDocument(logicalId: string, fill: Record<string, string>): string {
  return `${JSON.stringify({ [logicalId]: fill }, null, 2)}\n`;
}

export interface PrivateDir {
  path: string;
  /** Writes a file readable by the owner only. */
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

/** A fresh directory only the current user can enter (mkdtemp creates it 0700). */
export async function createPrivateDir(base: string = tmpdir()): Promise<PrivateDir> {
  const path = await mkdtemp(join(base, 'weather-secrets-invoke-'));
  return {
    path,
    async write(name, text) {
      const file = join(path, name);
      // 'wx': never follow or reuse a file someone else planted; mode applies at creation.
      await writeFile(file, text, { mode: 0o600, flag: 'wx' });
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
