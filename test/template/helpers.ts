/** Shared by the template tests: load a fixture and build a resolve context the way a command would. */
import { join } from 'node:path';
import { loadTemplate, type LoadedTemplate } from '../../src/template/load.js';
import { createResolveContext, type ResolveContext, type ResolveOptions } from '../../src/template/intrinsics.js';
import { findFunction, type TemplateFunction } from '../../src/template/functions.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'templates');

export interface Loaded {
  template: LoadedTemplate;
  ctx: ResolveContext;
  fn: TemplateFunction;
}

export async function loadFixture(
  name: string,
  options: ResolveOptions = { region: 'eu-central-1' },
  functionId = 'OpenWeatherFunction',
): Promise<Loaded> {
  const template = await loadTemplate(join(FIXTURES, name));
  const ctx = createResolveContext(template.body, options);
  const fn = findFunction(template, ctx, functionId);
  if (!fn) throw new Error(`fixture ${name} has no function ${functionId}`);
  return { template, ctx, fn };
}
