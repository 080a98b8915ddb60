import { describe, expect, it } from 'vitest';
import { formatPayload, parsePayload } from '../../src/invoke/payload.js';

describe('parsePayload', () => {
  it.each([
    ['a handler result', '{"statusCode": 200, "body": "{\\"temp\\": 4.5}"}', 'json', undefined],
    ['sam stdout with a trailing newline', '{"ok": true}\n', 'json', undefined],
    ['a bare string result', '"sunny"', 'json', undefined],
    ['null (handler returned None)', 'null', 'json', undefined],
    ['nothing at all (sam after a timeout)', '', 'empty', undefined],
    ['whitespace only', ' \n', 'empty', undefined],
    ['text that is not JSON', 'Internal Server Error', 'text', undefined],
    [
      'Python runtime error (exit 0 from sam, issue 1081)',
      '{"errorMessage": "\'apiKey\'", "errorType": "KeyError", "requestId": "abc", "stackTrace": ["  File \\"/var/task/app.py\\", line 18\\n"]}',
      'json',
      { errorType: 'KeyError', errorMessage: "'apiKey'", stackTrace: ['  File "/var/task/app.py", line 18\n'] },
    ],
    [
      'Node.js runtime error (trace, not stackTrace)',
      '{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading \'apiKey\')","trace":["TypeError: Cannot read ...","    at Runtime.handler (file:///var/task/index.mjs:12:30)"]}',
      'json',
      { errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'apiKey')", stackTrace: ['TypeError: Cannot read ...', '    at Runtime.handler (file:///var/task/index.mjs:12:30)'] },
    ],
    [
      'deployed timeout (errorMessage only)',
      '{"errorMessage":"2026-11-28T23:10:05.123Z d6c3 Task timed out after 3.00 seconds"}',
      'json',
      { errorType: 'Error', errorMessage: '2026-11-28T23:10:05.123Z d6c3 Task timed out after 3.00 seconds' },
    ],
    ['a result that merely has an errorMessage field among others', '{"errorMessage": "none", "forecast": []}', 'json', undefined],
  ])('reads %s', (_name, raw, kind, error) => {
    const payload = parsePayload(raw);
    expect(payload.kind).toBe(kind);
    expect(payload.kind === 'json' ? payload.error : undefined).toEqual(error);
  });
});

describe('formatPayload', () => {
  it('indents JSON so a reader can scan it', () => {
    expect(formatPayload(parsePayload('{"statusCode":200,"body":"ok"}'))).toBe('{\n  "statusCode": 200,\n  "body": "ok"\n}');
  });
  it('prints text as it came, trimmed', () => {
    expect(formatPayload(parsePayload('  plain text\n'))).toBe('plain text');
  });
});

describe('parsePayload with a redactor', () => {
  const redact = (text: string) => text.split('CANARYVALUE123').join('****');
  it('masks the decoded value, so a \\u-escaped secret is masked too, and the error read from it', () => {
    const payload = parsePayload('{"errorMessage":"key \\u0043ANARYVALUE123","errorType":"ValueError"}', redact);
    expect(payload).toMatchObject({ kind: 'json', value: { errorMessage: 'key ****' }, error: { errorMessage: 'key ****' } });
    expect(payload.raw).not.toContain('ANARYVALUE123');
  });
  it('keeps the raw text as it came when nothing had to be masked', () => {
    expect(parsePayload('{"ok": true}', redact).raw).toBe('{"ok": true}');
  });
});
