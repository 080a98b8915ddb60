/**
 * What a run left in the TMPDIR it was given. Node 22's on-disk compile cache (`module.enableCompileCache()`
 * in bin/, under `$TMPDIR/node-compile-cache`) is Node's own cache of our compiled modules: it is meant
 * to stay between runs, so it is not a leftover. It still must never hold a secret, so its bytes are
 * searched for every canary and any hit is reported as a leftover too.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const COMPILE_CACHE_DIR = 'node-compile-cache';

export async function tempLeftovers(dir: string, canaries: readonly string[] = []): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const leftovers: string[] = [];
  for (const entry of (await readdir(dir, { recursive: true })).map(String)) {
    const inCache = entry === COMPILE_CACHE_DIR || entry.startsWith(`${COMPILE_CACHE_DIR}/`);
    if (!inCache) {
      leftovers.push(entry);
      continue;
    }
    const full = join(dir, entry);
    if (!(await stat(full)).isFile()) continue;
    const bytes = await readFile(full);
    for (const canary of canaries) {
      if (bytes.includes(Buffer.from(canary, 'utf8'))) leftovers.push(`${entry} (holds a canary)`);
    }
  }
  return leftovers;
}
