/** Shared by the editors: walking a long-form value and telling intrinsic function calls apart. */
import type { PathSegment } from '../template/index.js';
import { isRecord } from '../template/load.js';

/** `{"Fn::Sub": "..."}` → the string; undefined for anything else. */
export function subString(value: unknown): string | undefined {
  return isRecord(value) && Object.keys(value).length === 1 && typeof value['Fn::Sub'] === 'string' ? value['Fn::Sub'] : undefined;
}

export function pathText(path: readonly PathSegment[]): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
}
