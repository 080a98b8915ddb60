/**
 * What `invoke --local --runtime host` needs from the template: where the code is (CodeUri), which
 * handler (Handler), which language and version (Runtime), and the limits (Timeout, MemorySize, with
 * SAM Globals already merged). Pure: reads the template's function, touches no file.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { TemplateFunction } from '../../template/index.js';

export type HostLanguage = 'python' | 'nodejs';

export interface HostFunctionSpec {
  logicalId: string;
  language: HostLanguage;
  /** As the template says, e.g. `python3.12`, `nodejs20.x`. */
  runtime: string;
  /** The version the runtime stands for: `3.12` for Python, `20` for Node.js. */
  runtimeVersion: string;
  handler: string;
  /** Absolute path of the code folder. */
  codeDir: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Template features the host runtime does not reproduce, said as warnings. */
  notes: string[];
  /**
   * Where the function's local layers put their code, as Lambda mounts them under /opt: `python/` (and
   * `python/lib/pythonX.Y/site-packages`) or `nodejs/node_modules` (and `nodejs/nodeNN/node_modules`) of
   * each layer's ContentUri; for a layer sam builds (Metadata BuildMethod), its ContentUri itself.
   * Candidates: the caller keeps those that exist (PYTHONPATH / NODE_PATH).
   */
  layerPaths: string[];
}

/** Lambda's defaults when the template (and Globals) say nothing. */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

export function hostFunctionSpec(fn: TemplateFunction, templatePath: string, resources: Record<string, unknown> = {}): HostFunctionSpec {
  const runtime = fn.runtime;
  const parsed = runtime === undefined ? undefined : parseRuntime(runtime);
  if (fn.properties.PackageType === 'Image' || !parsed) {
    const what = fn.properties.PackageType === 'Image' ? 'a container image function' : `runtime ${runtime ?? '(none)'}`;
    throw new UsageError(`--runtime host runs Python and Node.js handlers; ${fn.logicalId} is ${what}.`, {
      code: 'host-runtime-unsupported',
      hint: 'Run it with sam and a container runtime (omit --runtime host), or deployed with --remote.',
    });
  }
  if (fn.handler === undefined) {
    throw new UsageError(`${fn.logicalId} has no Handler in the template.`, { code: 'host-handler-missing' });
  }
  return {
    logicalId: fn.logicalId,
    language: parsed.language,
    runtime: runtime!,
    runtimeVersion: parsed.version,
    handler: fn.handler,
    codeDir: codeDirOf(fn, templatePath),
    timeoutSeconds: positiveNumber(fn.properties.Timeout) ?? DEFAULT_TIMEOUT_SECONDS,
    memoryMb: positiveNumber(fn.properties.MemorySize) ?? DEFAULT_MEMORY_MB,
    ...layersOf(fn, templatePath, resources, parsed),
  };
}

/** The function's layers: local SAM layers give paths; any other (an ARN, a Lambda::LayerVersion in S3) a note. */
function layersOf(fn: TemplateFunction, templatePath: string, resources: Record<string, unknown>, runtime: { language: HostLanguage; version: string }): { layerPaths: string[]; notes: string[] } {
  const notes = fn.vpcConfig !== undefined ? [`${fn.logicalId} runs in a VPC when deployed; on this machine it uses your network.`] : [];
  const layerPaths: string[] = [];
  const layers = Array.isArray(fn.properties.Layers) ? fn.properties.Layers : [];
  for (const layer of layers) {
    const ref = layer !== null && typeof layer === 'object' && typeof (layer as { Ref?: unknown }).Ref === 'string' ? (layer as { Ref: string }).Ref : undefined;
    const resource = ref ? (resources[ref] as { Type?: string; Properties?: { ContentUri?: unknown }; Metadata?: { BuildMethod?: unknown } } | undefined) : undefined;
    const contentUri = resource?.Type === 'AWS::Serverless::LayerVersion' ? resource.Properties?.ContentUri : undefined;
    if (typeof contentUri !== 'string' || contentUri.startsWith('s3://')) {
      notes.push(`${fn.logicalId}'s layer ${ref ?? (typeof layer === 'string' ? layer : JSON.stringify(layer))} is not a local folder: the host runtime does not load it, so its packages must be installed locally.`);
      continue;
    }
    const dir = isAbsolute(contentUri) ? contentUri : resolve(dirname(templatePath), contentUri);
    if (typeof resource?.Metadata?.BuildMethod === 'string') layerPaths.push(dir);
    if (runtime.language === 'python') layerPaths.push(join(dir, 'python'), join(dir, 'python', 'lib', `python${runtime.version}`, 'site-packages'));
    else layerPaths.push(join(dir, 'nodejs', 'node_modules'), join(dir, 'nodejs', `node${runtime.version}`, 'node_modules'), ...(typeof resource?.Metadata?.BuildMethod === 'string' ? [join(dir, 'node_modules')] : []));
  }
  return { layerPaths, notes };
}

/** Pure: `python3.12` -> python 3.12, `nodejs20.x` -> nodejs 20; anything else undefined. */
export function parseRuntime(runtime: string): { language: HostLanguage; version: string } | undefined {
  const python = /^python(\d+\.\d+)$/.exec(runtime);
  if (python) return { language: 'python', version: python[1]! };
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  return node ? { language: 'nodejs', version: node[1]! } : undefined;
}

/** Pure: does the host's version (e.g. `3.11.7`, `22.4.0`) match the runtime's (`3.12`, `20`)? */
export function versionMatches(hostVersion: string, runtimeVersion: string): boolean {
  const host = hostVersion.split('.');
  const wanted = runtimeVersion.split('.');
  return wanted.every((part, i) => host[i] === part);
}

/** CodeUri is relative to the template's folder (as sam reads it); S3 locations have no local code. */
function codeDirOf(fn: TemplateFunction, templatePath: string): string {
  const codeUri = fn.codeUri ?? '.';
  if (typeof codeUri !== 'string' || codeUri.startsWith('s3://')) {
    throw new UsageError(`${fn.logicalId}'s code is not in a local folder (CodeUri ${JSON.stringify(codeUri)}).`, {
      code: 'host-code-not-local',
      hint: 'Point CodeUri at the folder with the handler, or run with sam (omit --runtime host).',
    });
  }
  return isAbsolute(codeUri) ? codeUri : resolve(dirname(templatePath), codeUri);
}

function positiveNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}


