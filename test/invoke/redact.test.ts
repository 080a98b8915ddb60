import { describe, expect, it } from 'vitest';
import { createRedactor, MASK, redactParsed, redactSecret } from '../../src/invoke/redact.js';

const apiKey = '3f9a1c2b7d4e8f60a1b2c3d4e5f60718';
const secretString = JSON.stringify({ apiKey, units: 'metric', lang: 'en', debug: '1', nested: { password: 'p@ss"w\\rd!' } });

describe('redactSecret', () => {
  it.each([
    ['a value in a log line', `GET https://api.openweathermap.org/data/2.5/weather?q=Oslo&appid=${apiKey}`, `GET https://api.openweathermap.org/data/2.5/weather?q=Oslo&appid=${MASK}`],
    ['the whole SecretString echoed as is', `loaded config ${secretString}`, `loaded config ${MASK}`],
    ['the whole SecretString inside a JSON payload (escaped)', JSON.stringify({ body: secretString }), `{"body":"${MASK}"}`],
    ['a nested value with a quote and a backslash, JSON-escaped in a payload', JSON.stringify({ pw: 'p@ss"w\\rd!' }), `{"pw":"${MASK}"}`],
    ['the same nested value raw in a log', 'password is p@ss"w\\rd!', `password is ${MASK}`],
    ['every occurrence', `${apiKey} and ${apiKey}`, `${MASK} and ${MASK}`],
    ['short values left alone, so logs stay readable', 'lang=en debug=1 Duration: 1.11 ms', 'lang=en debug=1 Duration: 1.11 ms'],
    ['a six-character value', 'units=metric', `units=${MASK}`],
  ])('masks %s', (_name, text, expected) => {
    expect(redactSecret(text, secretString)).toBe(expected);
  });

  it('masks a plain-text SecretString', () => {
    expect(redactSecret('key=hunter2hunter2.', 'hunter2hunter2')).toBe(`key=${MASK}.`);
  });

  it('counts the values too short to mask, so the caller can warn', () => {
    expect(createRedactor(secretString).skippedShortValues).toBe(2); // "en" and "1"
  });

  it('honours a stricter minimum length', () => {
    expect(redactSecret('lang=en', secretString, { minLength: 2 })).toBe(`lang=${MASK}`);
  });

  it('leaves text without secrets untouched, even for an empty secret', () => {
    expect(redactSecret('nothing to hide', '')).toBe('nothing to hide');
  });
});

describe('redactCut: text cut out of a longer stream', () => {
  const { redactCut } = createRedactor(secretString);
  it.each([
    ['starts with the end of a value (LogResult keeps the last 4 KB)', `${apiKey.slice(-10)}&units=metric\nEND`, `${MASK}&units=${MASK}\nEND`],
    ['starts mid-character, then the end of a value', `\uFFFD${apiKey.slice(-8)} done`, `${MASK} done`],
    ['ends with the start of a value (a stream stopped mid-line)', `START\nappid=${apiKey.slice(0, 12)}`, `START\nappid=${MASK}`],
    ['whole values as redact does', `a ${apiKey} b`, `a ${MASK} b`],
    ['fragments shorter than the minimum length left alone', `${apiKey.slice(-5)} x ${apiKey.slice(0, 5)}`, `${apiKey.slice(-5)} x ${apiKey.slice(0, 5)}`],
    ['text that merely contains a fragment in the middle left alone', `x ${apiKey.slice(-10)} y`, `x ${apiKey.slice(-10)} y`],
  ])('%s', (_name, text, expected) => {
    expect(redactCut(text)).toBe(expected);
  });
});

describe('redactParsed: a decoded JSON value', () => {
  const { redact } = createRedactor(secretString);
  it('masks string leaves and keys at any depth, whatever escapes the JSON text used', () => {
    const parsed = JSON.parse(`{"a":"\\u0033${apiKey.slice(1)}","list":[1,"x ${apiKey}"],"${apiKey}":{"pw":"p@ss\\"w\\\\rd!"}}`) as unknown;
    expect(redactParsed(parsed, redact)).toEqual({ a: MASK, list: [1, `x ${MASK}`], [MASK]: { pw: MASK } });
  });
  it('masks a JSON document inside a string (an API Gateway body) that escapes the value', () => {
    const body = `{"key":"3\\u0066${apiKey.slice(2)}"}`; // "3f..." with the f escaped
    expect(redactParsed({ statusCode: 200, body }, redact)).toEqual({ statusCode: 200, body: `{"key":"${MASK}"}` });
  });
  it('leaves a value without secrets as it was', () => {
    const value = { statusCode: 200, body: '{"temp": 4.5}', list: [null, true, 1.5] };
    expect(redactParsed(value, redact)).toEqual(value);
  });
});

describe('masking on the reassembled stream', () => {
  const key = 'caf\u00e9-3f9a1c2b7d4e';
  const redactor = createRedactor(JSON.stringify({ key }));
  it.each([
    ["Python json.dumps's \\u00e9 escape", `{"k": "caf\\u00e9-3f9a1c2b7d4e"}`, `{"k": "${MASK}"}`],
    ['a value split across two log lines', `got caf\u00e9-3f9a\n1c2b7d4e done`, `got ${MASK}\n${MASK} done`],
    ['a value split across an escaped newline in a payload', `{"m": "caf\u00e9-3f\\n9a1c2b7d4e"}`, `{"m": "${MASK}\\n${MASK}"}`],
    ['a value split across CRLF', `caf\u00e9-3f9a\r\n1c2b7d4e`, `${MASK}\r\n${MASK}`],
  ])('%s', (_name, text, expected) => {
    expect(redactor.redact(text)).toBe(expected);
  });

  it('line by line (sam streaming stderr): a value split over two lines is masked before either is shown', async () => {
    const { lineStreamRedactor } = await import('../../src/invoke/redact.js');
    const shown: string[] = [];
    const stream = lineStreamRedactor(redactor, (line) => shown.push(line));
    for (const line of ['START\n', 'key caf\u00e9-3f9a\n', '1c2b7d4e rest\n', 'END\n']) stream.push(line);
    stream.flush();
    expect(shown.join('')).toBe(`START\nkey ${MASK}\n${MASK} rest\nEND\n`);
  });
});
