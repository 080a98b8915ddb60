import { it } from 'vitest';
import { disagreements, runStatic } from './harness.js';
import { generateCase } from './generate.js';
it('debug', async () => {
  const first = Number(process.env.FIRST ?? 1), n = Number(process.env.N ?? 100);
  const out = await runStatic(first, n);
  for (const o of disagreements(out)) {
    const c = generateCase(o.seed);
    console.log(`#${o.seed} [${o.tags}] truth=${o.truth} tool=${o.tool} :: ${o.detail.slice(0, 300)}\n   ${JSON.stringify((c.template.Resources as any).WeatherFunction.Properties.Policies ?? (c.template.Resources as any).WeatherFunction.Properties.Role)} ${c.secretId ?? ''} ${Object.keys(c.template.Resources as object).join(',')} B=${JSON.stringify((c.template.Resources as any).WeatherFunction.Properties.PermissionsBoundary ?? '')}`);
  }
}, 900000);
