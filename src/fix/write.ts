/** Writes the fixed template so a crash or Ctrl-C never leaves half a file: a temp file beside it, then rename. */
import { randomBytes } from 'node:crypto';
import { chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  // Through a symlink, replace the file it points at rather than the link itself.
  const target = await realpath(path);
  const mode = (await stat(target)).mode & 0o7777;
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', mode, flag: 'wx' });
    await chmod(temp, mode); // writeFile's mode is filtered by the umask; keep the file's own.
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
