/**
 * Shrinks a failing case: drops one part of the template at a time (a Policies entry, a property of the
 * function, another resource, a statement's Condition) and keeps the drop while truth and tool still
 * disagree the same way. Prints the result as the template a developer can paste and run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Case, generateCase } from './generate.js';
import { Translator, loadSnapshot, runTool } from './harness.js';
import { truthFor } from './truth.js';

type Json = Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every template one step smaller than `t`. */
function smaller(t: Json): Json[] {
  const out: Json[] = [];
  const resources = t.Resources as Record<string, Json>;
  const props = resources.WeatherFunction!.Properties as Json;
  const policies = Array.isArray(props.Policies) ? props.Policies : [];
  policies.forEach((_p, i) => { const c = clone(t); ((c.Resources as Record<string, Json>).WeatherFunction!.Properties as Json).Policies = policies.filter((_q, j) => j !== i); out.push(c); });
  for (const key of ['PermissionsBoundary', 'VpcConfig']) {
    if (key in props) { const c = clone(t); delete ((c.Resources as Record<string, Json>).WeatherFunction!.Properties as Json)[key]; out.push(c); }
  }
  for (const id of Object.keys(resources).filter((k) => k !== 'WeatherFunction')) { const c = clone(t); delete (c.Resources as Json)[id]; out.push(c); }
  const text = JSON.stringify(t);
  if (text.includes('"Condition":{')) {
    const c = JSON.parse(text.replace(/,"Condition":\{[^{}]*\{[^{}]*\}[^{}]*\}/, '')) as Json;
    if (JSON.stringify(c) !== text) out.push(c);
  }
  return out;
}

export async function minimise(seed: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-min-'));
  const snapshot = await loadSnapshot(dir);
  const translator = new Translator(snapshot.path);
  const original = generateCase(seed);
  // A smaller template that no longer translates or resolves (a dangling Ref) does not reproduce.
  const verdicts = async (c: Case): Promise<string | undefined> => {
    const t = await translator.translate(c.template);
    if (!t.ok) return undefined;
    const truth = await truthFor(t.cfn, snapshot, c.secretId).then((x) => x.answer, () => undefined);
    return truth && `${truth}/${(await runTool(dir, c)).verdict}`;
  };
  try {
    const target = await verdicts(original);
    let current = original;
    for (let progress = true; progress;) {
      progress = false;
      for (const candidate of smaller(current.template)) {
        const c = { ...current, template: candidate };
        if ((await verdicts(c)) === target) { current = c; progress = true; break; }
      }
    }
    return `minimal template (truth/tool ${target}${current.secretId ? `, --secret-id ${current.secretId}` : ''}):\n${stringify(current.template)}`;
  } finally {
    translator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
