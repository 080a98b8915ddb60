import { describe, expect, it } from 'vitest';
import { colorLevel } from '../../src/cli/io.js';

describe('colour decisions', () => {
  it.each([
    ['a TTY gets colour', {}, {}, true, 2],
    ['a pipe gets none', {}, {}, false, 0],
    ['--json never', { json: true }, { FORCE_COLOR: '3' }, true, 0],
    ['--no-color never', { color: false }, {}, true, 0],
    ['NO_COLOR never', {}, { NO_COLOR: '1' }, true, 0],
    ['an empty NO_COLOR is ignored', {}, { NO_COLOR: '' }, true, 2],
    ['FORCE_COLOR on a pipe', {}, { FORCE_COLOR: '1' }, false, 1],
    ['FORCE_COLOR=0 on a TTY', {}, { FORCE_COLOR: '0' }, true, 0],
  ] as const)('%s', (_n, flags, env, isTTY, level) => {
    expect(colorLevel(flags, env, isTTY, 2)).toBe(level);
  });
});
