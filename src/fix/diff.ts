/**
 * Unified diffs (jsdiff), and the step that keeps every untouched byte of the user's file: an edit is
 * made on a re-serialised copy, and only its hunks are carried over onto the original text.
 */
import { applyPatch, createPatch, createTwoFilesPatch, structuredPatch } from 'diff';

/** The diff `fix` prints: `a/`/`b/` names like git, three lines of context; '' when nothing changed. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
  // jsdiff starts with a `===` separator line; a bare `---`/`+++` header reads like git's.
  return patch.replace(/^=+\n/, '');
}

/**
 * `baseline` is `original` as the serialiser writes it back unedited, `edited` the same after the edit.
 * The hunks between them are applied to `original`, so lines the serialiser would restyle (comment
 * spacing, say) stay exactly as the user wrote them. Context lines may differ in style only, so a
 * little fuzz is allowed; `reserialise` then proves the result means exactly what `edited` means.
 * Undefined when no such result is found.
 */
export function carryOver(original: string, baseline: string, edited: string, reserialise: (text: string) => string): string | undefined {
  if (baseline === original) return edited;
  const aligned = alignedApply(original, baseline, edited);
  if (aligned !== undefined && sameMeaning(aligned, edited, reserialise)) return aligned;
  const patch = createPatch('template', baseline, edited, undefined, undefined, { context: 3 });
  for (const fuzzFactor of [0, 1, 2, 3]) {
    const patched = applyPatch(original, patch, { fuzzFactor });
    if (patched !== false && sameMeaning(patched, edited, reserialise)) return patched;
  }
  return undefined;
}

/**
 * The usual case: the serialiser restyled some lines but kept one line per line, so line n of the
 * baseline is line n of the original. Each changed range of the baseline is then replaced in the
 * original by the edited lines, whatever the original's style of the lines being replaced.
 */
function alignedApply(original: string, baseline: string, edited: string): string | undefined {
  const lines = original.split('\n');
  if (lines.length !== baseline.split('\n').length) return undefined;
  const { hunks } = structuredPatch('template', 'template', baseline, edited, undefined, undefined, { context: 0 });
  // From the last hunk back, so the line numbers of earlier hunks stay valid.
  for (const hunk of [...hunks].reverse()) {
    const added = hunk.lines.filter((line) => line.startsWith('+')).map((line) => line.slice(1));
    // A pure insertion (`-5,0`) goes after line 5; a replacement starts at line oldStart.
    lines.splice(hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1, hunk.oldLines, ...added);
  }
  return lines.join('\n');
}

function sameMeaning(candidate: string, edited: string, reserialise: (text: string) => string): boolean {
  try {
    return reserialise(candidate) === edited;
  } catch {
    return false;
  }
}
