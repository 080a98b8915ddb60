import { describe, expect, it } from 'vitest';
import { applyKeys, decodeStrictUtf8 } from '../../src/cli/secret-input.js';

describe('the hidden prompt applies keys, not escape sequences', () => {
  it.each([
    ['plain typing', 'abc', { value: 'abc' }],
    ['Left arrow (CSI) is ignored', 'ab\u001b[Dc', { value: 'abc' }],
    ['Up arrow in application mode (SS3) is ignored', 'ab\u001bOAc', { value: 'abc' }],
    ['bracketed paste markers are ignored', '\u001b[200~key123\u001b[201~', { value: 'key123' }],
    ['Delete key (CSI 3~) is ignored', 'ab\u001b[3~', { value: 'ab' }],
    ['Backspace edits', 'abd\u007fc', { value: 'abc' }],
    ['Backspace removes a whole emoji', 'a😀\u007f', { value: 'a' }],
    ['Enter ends', 'abc\rzzz', { value: 'abc', done: 'enter' }],
    ['Ctrl-C interrupts', 'ab\u0003', { value: 'ab', done: 'interrupt' }],
    ['another control character is refused', 'ab\u0001', { value: 'ab', done: 'control', control: '\u0001' }],
    ['NUL is refused', 'a\u0000', { value: 'a', done: 'control', control: '\u0000' }],
  ])('%s', (_name, chunk, expected) => {
    expect(applyKeys('', chunk)).toEqual(expected);
  });
});

describe('stdin must be UTF-8 without NUL', () => {
  it('decodes UTF-8', () => expect(decodeStrictUtf8(Buffer.from('café'))).toBe('café'));
  it('refuses invalid UTF-8', () => expect(() => decodeStrictUtf8(Buffer.from([0x61, 0xff]))).toThrow(/not valid UTF-8/));
  it('refuses NUL', () => expect(() => decodeStrictUtf8(Buffer.from('a\u0000b'))).toThrow(/NUL/));
});
