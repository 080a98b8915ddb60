import { describe, expect, it } from 'vitest';
import { decodeLogResult, findTimeout, parseReportLine, summarizeLogs } from '../../src/invoke/logs.js';

const id = '4f951f7c-0bc2-41b1-9ff2-8d8e6c8aecbf';

describe('decodeLogResult', () => {
  it('decodes the base64 LogResult tail of Invoke', () => {
    const text = `START RequestId: ${id} Version: $LATEST\nEND RequestId: ${id}\n`;
    expect(decodeLogResult(Buffer.from(text).toString('base64'))).toBe(text);
  });
  it('gives an empty string when Lambda sent no LogResult', () => {
    expect(decodeLogResult(undefined)).toBe('');
  });
});

describe('parseReportLine', () => {
  it.each([
    [
      'deployed Lambda, cold start',
      `REPORT RequestId: ${id}\tDuration: 123.45 ms\tBilled Duration: 124 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\tInit Duration: 301.22 ms\t`,
      { requestId: id, durationMs: 123.45, billedDurationMs: 124, memorySizeMb: 128, maxMemoryUsedMb: 67, initDurationMs: 301.22 },
    ],
    [
      'sam local (Init Duration first)',
      `REPORT RequestId: ${id}\tInit Duration: 0.25 ms\tDuration: 131.88 ms\tBilled Duration: 132 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB`,
      { requestId: id, durationMs: 131.88, billedDurationMs: 132, memorySizeMb: 128, maxMemoryUsedMb: 128, initDurationMs: 0.25 },
    ],
    [
      'old sam with spaces and no Init Duration',
      `REPORT RequestId: ${id}  Duration: 4.68 ms       Billed Duration: 100 ms Memory Size: 128 MB     Max Memory Used: 30 MB`,
      { requestId: id, durationMs: 4.68, billedDurationMs: 100, memorySizeMb: 128, maxMemoryUsedMb: 30 },
    ],
  ])('reads the numbers of a %s REPORT line', (_name, line, expected) => {
    expect(parseReportLine(`START RequestId: ${id} Version: $LATEST\n${line}\n`)).toEqual(expected);
  });

  it('is undefined when the log has no REPORT line (the 4 KB tail cut it, or sam was stopped)', () => {
    expect(parseReportLine('Invoking app.lambda_handler (python3.12)\n')).toBeUndefined();
  });
});

describe('findTimeout', () => {
  it.each([
    ['Lambda', '2026-11-28T23:10:05.123Z d6c3 Task timed out after 3.00 seconds', { source: 'lambda', seconds: 3 }],
    ['Lambda, long', 'Task timed out after 900.10 seconds', { source: 'lambda', seconds: 900.1 }],
    ['sam', "Function 'WeatherFunction' timed out after 3 seconds\nNo response from invoke container for WeatherFunction", { source: 'sam', seconds: 3, functionName: 'WeatherFunction' }],
    ['sam, nested stack', "Function 'Nested/WeatherFunction' timed out after 10 seconds", { source: 'sam', seconds: 10, functionName: 'Nested/WeatherFunction' }],
    ['nothing', 'END RequestId: x', undefined],
  ])('%s', (_name, text, expected) => {
    expect(findTimeout(text)).toEqual(expected);
  });
});

it('summarizeLogs keeps the text and adds what it found', () => {
  const text = `START RequestId: ${id} Version: $LATEST\n${id} Task timed out after 3.00 seconds\nREPORT RequestId: ${id}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 80 MB\t`;
  const summary = summarizeLogs(text);
  expect(summary.text).toBe(text);
  expect(summary.timeout).toEqual({ source: 'lambda', seconds: 3 });
  expect(summary.report?.durationMs).toBe(3000);
});
