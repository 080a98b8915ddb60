/**
 * Which templates `check-policy --all` reads, and in which style they were written: a SAM or plain
 * CloudFormation template, CDK's cloud assembly (cdk.out), or the Serverless Framework's compiled
 * template (.serverless/cloudformation-template-update-stack.json).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import { UsageError } from '../core/errors.js';
import { loadCdkAssembly } from './cdk.js';
import { isRecord, loadTemplate, type LoadedTemplate } from './load.js';
import { locateTemplate } from '../target/template.js';

export type IacStyle = 'sam' | 'cloudformation' | 'cdk' | 'serverless';

export interface IacTemplate {
  style: IacStyle;
  template: LoadedTemplate;
  /** The stack it deploys as, when the style says (CDK stack names; `WeatherStack/Alerts` nested). */
  stack?: string;
}

export const SERVERLESS_TEMPLATE = join('.serverless', 'cloudformation-template-update-stack.json');

/** `path` may be a template, a cdk.out folder or its manifest.json, or a Serverless project; else look in `cwd`. */
export async function loadIacTemplates(cwd: string, path: string | undefined, envTemplateFile?: string): Promise<IacTemplate[]> {
  const found = await findIacTemplates(cwd, path, envTemplateFile);
  return found;
}

/** Messages quote `cdk.out/Stack.template.json:12:3`, not an absolute path, when the file is under `cwd`. */
export function shortPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) && cwd === process.cwd() ? rel : path;
}

async function findIacTemplates(cwd: string, path: string | undefined, envTemplateFile?: string): Promise<IacTemplate[]> {
  const target = path ? (path.startsWith('/') ? path : join(cwd, path)) : undefined;
  if (target && existsSync(target) && statSync(target).isDirectory()) return fromFolder(target, path!, cwd);
  if (target && basename(target) === 'manifest.json') return cdk(target, cwd);
  if (target || envTemplateFile) return [await single(locateTemplate({ cwd, explicit: path, envTemplateFile, purpose: 'judge' }).path, cwd)];
  try {
    return [await single(locateTemplate({ cwd, purpose: 'judge' }).path, cwd)];
  } catch (error) {
    if ((error as { code?: string }).code !== 'template-not-found') throw error;
    return fromFolder(cwd, cwd, cwd);
  }
}

async function fromFolder(dir: string, shown: string, cwd: string): Promise<IacTemplate[]> {
  const candidates = [join(dir, 'manifest.json'), join(dir, 'cdk.out', 'manifest.json')];
  const manifest = candidates.find((c) => existsSync(c));
  if (manifest) return cdk(manifest, cwd);
  const serverless = [join(dir, SERVERLESS_TEMPLATE), join(dir, 'cloudformation-template-update-stack.json')].find((c) => existsSync(c));
  if (serverless) return [{ style: 'serverless', template: await loadTemplate(shortPath(serverless, cwd)) }];
  try {
    return [await single(locateTemplate({ cwd: dir, purpose: 'judge' }).path, cwd)];
  } catch {
    throw new UsageError(`No template found in ${shown}.`, {
      code: 'template-not-found',
      hint: 'Looked for a SAM/CloudFormation template (template.yaml), a CDK cloud assembly (cdk.out/manifest.json: run `cdk synth`) and a Serverless build (.serverless/: run `serverless package`).',
    });
  }
}

async function cdk(manifest: string, cwd: string): Promise<IacTemplate[]> {
  return (await loadCdkAssembly(shortPath(manifest, cwd))).map((s) => ({ style: 'cdk' as const, template: s.template, stack: s.stack }));
}

async function single(path: string, cwd: string): Promise<IacTemplate> {
  const template = await loadTemplate(shortPath(path, cwd));
  return { style: styleOf(template), template };
}

/** A template with the SAM transform is SAM; one with Serverless's deployment bucket is Serverless's. */
export function styleOf(template: LoadedTemplate): IacStyle {
  const transform = template.body.Transform;
  const transforms = Array.isArray(transform) ? transform : [transform];
  if (transforms.some((t) => typeof t === 'string' && t.startsWith('AWS::Serverless'))) return 'sam';
  const resources = template.body.Resources as Record<string, unknown>;
  if (Object.values(resources).some((r) => isRecord(r) && isRecord(r.Metadata) && typeof r.Metadata['aws:cdk:path'] === 'string')) return 'cdk';
  if ('ServerlessDeploymentBucket' in resources || basename(template.path) === basename(SERVERLESS_TEMPLATE)) return 'serverless';
  return 'cloudformation';
}
