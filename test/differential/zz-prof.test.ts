import { it } from 'vitest';
import { Translator, loadSnapshot } from './harness.js';
import { generateCase } from './generate.js';
import { truthFor } from './truth.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
it('prof', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ws-prof-'));
  let t = Date.now();
  const snap = await loadSnapshot(dir);
  console.log('snapshot', Date.now() - t); t = Date.now();
  const tr = new Translator(snap.path);
  const cfns = [];
  for (let s = 1; s <= 100; s++) { const c = generateCase(s); cfns.push([c, await tr.translate(c.template)] as const); }
  console.log('translate 100', Date.now() - t); t = Date.now();
  let worlds = 0;
  for (const [c, r] of cfns) if (r.ok) worlds += (await truthFor(r.cfn, snap, c.secretId)).worlds;
  console.log('truth 100', Date.now() - t, 'worlds', worlds);
  tr.close();
}, 600000);
