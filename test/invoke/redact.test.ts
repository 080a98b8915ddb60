import { describe, expect, it } from 'vitest';
import { createRedactor, MASK, redactSecret } from '../../src/invoke/redact.js';

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
