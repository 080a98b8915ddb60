/**
 * CDK's cloud assembly (`cdk synth` writes cdk.out/): manifest.json lists each stack and its template
 * file; a nested stack is an AWS::CloudFormation::Stack whose `aws:asset:path` metadata names its own
 * template file beside the parent's. Offline, nothing more is needed to judge what each stack grants.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { isRecord, loadTemplate, type LoadedTemplate } from './load.js';

export interface CdkStackTemplate {
  /** `WeatherStack`, or `WeatherStack/Alerts` for a nested stack. */
  stack: string;
  template: LoadedTemplate;
  /** The logical ID of the AWS::CloudFormation::Stack in the parent, for a nested stack. */
  nestedIn?: { stack: string; logicalId: string };
}

/** Every stack of the assembly at `manifestPath` (cdk.out/manifest.json), nested stacks after their parent. */
export async function loadCdkAssembly(manifestPath: string): Promise<CdkStackTemplate[]> {
  const manifest = await readManifest(manifestPath);
  const dir = dirname(manifestPath);
  const out: CdkStackTemplate[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (!isRecord(artifact) || artifact.type !== 'aws:cloudformation:stack') continue;
    const props = isRecord(artifact.properties) ? artifact.properties : {};
    if (typeof props.templateFile !== 'string') continue;
    const name = typeof artifact.displayName === 'string' ? artifact.displayName : artifactId;
    await addStack(dir, join(dir, props.templateFile), name, undefined, out);
  }
  return out;
}

async function addStack(dir: string, file: string, stack: string, nestedIn: CdkStackTemplate['nestedIn'], out: CdkStackTemplate[]): Promise<void> {
  // A stack nested twice by mistake must not loop forever.
  if (out.some((s) => s.template.path === file)) return;
  const template = await loadTemplate(file);
  out.push({ stack, template, ...(nestedIn ? { nestedIn } : {}) });
  for (const [logicalId, resource] of Object.entries(template.body.Resources as Record<string, Record<string, unknown>>)) {
    if (resource.Type !== 'AWS::CloudFormation::Stack' || !isRecord(resource.Metadata)) continue;
    const asset = resource.Metadata['aws:asset:path'];
    if (typeof asset !== 'string' || !existsSync(join(dir, asset))) continue;
    await addStack(dir, join(dir, asset), `${stack}/${nestedStackName(resource.Metadata['aws:cdk:path'], logicalId)}`, { stack, logicalId }, out);
  }
}

/** `WeatherStack/Alerts.NestedStack/Alerts.NestedStackResource` → `Alerts`. */
function nestedStackName(cdkPath: unknown, logicalId: string): string {
  if (typeof cdkPath !== 'string') return logicalId;
  const parts = cdkPath.split('/');
  return (parts[parts.length - 2] ?? logicalId).replace(/\.NestedStack$/, '');
}

async function readManifest(path: string): Promise<{ artifacts?: Record<string, unknown> }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read CDK manifest ${path}: ${(error as Error).message}`, { code: 'template-unreadable', cause: error });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) return parsed as { artifacts?: Record<string, unknown> };
  } catch {
    // reported below
  }
  throw new UsageError(`${path} is not a CDK cloud assembly manifest (JSON with "artifacts").`, { code: 'template-malformed' });
}

/** `WeatherStack/WeatherFunction/Resource` → `WeatherStack/WeatherFunction`: the construct users wrote. */
export function constructPath(resource: unknown): string | undefined {
  const path = isRecord(resource) && isRecord(resource.Metadata) ? resource.Metadata['aws:cdk:path'] : undefined;
  return typeof path === 'string' ? path.replace(/\/(Resource|Default)$/, '') : undefined;
}
