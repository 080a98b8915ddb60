#!/usr/bin/env node
// Prints start-up figures: a bare `node`, `weather-secrets --help`, `--version`, and loading the SDK
// clients, as medians of N runs. Figures only, no pass/fail: machines here are noisy.
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'weather-secrets.cjs');
const runs = Number(process.env.RUNS ?? 15);
const cases = [
  ['node -e 0', ['-e', '0']],
  ['weather-secrets --help', [bin, '--help']],
  ['weather-secrets --version', [bin, '--version']],
  ['import 3 SDK clients', ['--input-type=module', '-e', "await Promise.all(['@aws-sdk/client-secrets-manager','@aws-sdk/client-lambda','@aws-sdk/client-iam'].map((m) => import(m)))"]],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let base;
for (const [name, args] of cases) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const m = median(times);
  base ??= m;
  console.log(`${name.padEnd(28)} median ${m.toFixed(0).padStart(5)} ms  (${(m / base).toFixed(2)}x node -e 0, ${runs} runs)`);
}
