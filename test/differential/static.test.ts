/**
 * The static check against AWS's SAM translator + iam-simulate on generated templates (harness.ts).
 * CI: 2,000 cases on a fixed seed. Nightly size: `npm run test:differential -- ` with DIFF_SEEDS=N
 * (N runs of 2,000 cases on consecutive seeds). A failing case prints a minimal template.
 */
import { describe, expect, it } from 'vitest';
import { disagreements, figures, report, runStatic } from './harness.js';
import { minimise } from './minimise.js';

const SEEDS = Number(process.env.DIFF_SEEDS ?? 1);
const CASES = Number(process.env.DIFF_CASES ?? 2000);

describe('differential: check-policy --static against aws-sam-translator + iam-simulate', () => {
  it(`${SEEDS * CASES} generated templates: no false "can read", no crash, >= 99% agreement where knowable`, async () => {
    const outcomes = [];
    for (let s = 0; s < SEEDS; s++) outcomes.push(...(await runStatic(1 + s * CASES, CASES)));
    const f = figures(outcomes);
    console.log(report(outcomes));
    const bad = disagreements(outcomes);
    const shown = [];
    for (const o of bad.filter((b) => b.tool === 'allowed' || b.tool === 'crash').concat(bad).slice(0, 3)) {
      shown.push(`seed ${o.seed} [${o.tags.join(',')}]: truth ${o.truth}, tool ${o.tool}: ${o.detail}\n${await minimise(o.seed)}`);
    }
    if (shown.length) console.log(shown.join('\n\n'));
    expect(f.cases).toBeGreaterThanOrEqual(CASES * SEEDS * 0.9);
    expect({ falseCanRead: f.falseAllow, crashes: f.crashes }).toEqual({ falseCanRead: 0, crashes: 0 });
    expect(f.agree / f.knowable).toBeGreaterThanOrEqual(0.99);
  }, 2_400_000);
});
