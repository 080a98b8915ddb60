/**
 * Masks a secret's values in text we are about to print (a function's payload, its logs). A weather
 * function that echoes its config, or a traceback that shows a request URL with `appid=...`, would
 * otherwise put the API key on the terminal, in CI logs and in --json.
 */

export const MASK = '****';

/**
 * Values shorter than this are not masked: a secret such as `{"apiKey": "...", "units": "metric",
 * "debug": "1"}` would otherwise turn every `1` in the logs into the mask and make them unreadable.
 * A real key or password is longer; the caller can warn about the short ones (`skippedShortValues`).
 */
export const DEFAULT_MIN_LENGTH = 6;

export interface Redactor {
  redact(text: string): string;
  /**
   * {@link redact} for text cut out of a longer stream (Lambda's LogResult is the last 4 KB of the log;
   * a stopped sam may end mid-line): also masks a start that is the end of a value, and an end that is
   * the start of one, when that piece is at least the minimum length.
   */
  redactCut(text: string): string;
  /** How many of the secret's values were too short to mask safely. Never the values themselves. */
  skippedShortValues: number;
}

export interface RedactorOptions {
  minLength?: number;
}

/**
 * Builds a redactor for one SecretString: the whole string, and, when it is a JSON object, every string
 * (and number) value in it at any depth; each also in its JSON-escaped form, the way it appears inside
 * a JSON payload (`"{\"apiKey\":...}"`, or a value with a quote or a backslash).
 */
export function createRedactor(secretString: string, options: RedactorOptions = {}): Redactor {
  const minLength = options.minLength ?? DEFAULT_MIN_LENGTH;
  const values = new Set<string>([secretString, ...jsonLeafValues(secretString)]);
  const needles = new Set<string>();
  let skippedShortValues = 0;
  for (const value of values) {
    if (value.trim().length < minLength) {
      if (value.length > 0) skippedShortValues += 1;
      continue;
    }
    needles.add(value);
    needles.add(JSON.stringify(value).slice(1, -1));
    needles.add(asciiJsonEscaped(value));
  }
  // Longest first, so the whole SecretString is masked as one piece rather than value by value.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  const redact = (text: string): string => maskAcrossBreaks(ordered.reduce((masked, needle) => masked.split(needle).join(MASK), text), ordered);
  return {
    redact,
    redactCut: (text) => maskCutEnds(redact(text), ordered, minLength),
    skippedShortValues,
  };
}

/** Python's json.dumps (ensure_ascii, its default) writes `é` as `\u00e9`; astral characters as surrogate pairs. */
function asciiJsonEscaped(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A line break inside a value: a log line wrapped in two, or an escaped `\n` in a JSON payload. The
 * text is searched with its breaks taken out, and what matches is masked in place (breaks kept).
 */
const BREAK = /\r?\n|\\r\\n|\\n/g;

function maskAcrossBreaks(text: string, needles: readonly string[]): string {
  if (!BREAK.test(text)) return text;
  BREAK.lastIndex = 0;
  const kept: number[] = []; // index in `text` of each character of the joined text
  let joined = '';
  let at = 0;
  for (const m of text.matchAll(BREAK)) {
    for (let i = at; i < m.index; i++) kept.push(i);
    joined += text.slice(at, m.index);
    at = m.index + m[0].length;
  }
  for (let i = at; i < text.length; i++) kept.push(i);
  joined += text.slice(at);
  const covered = new Uint8Array(text.length);
  for (const needle of needles) {
    for (let from = joined.indexOf(needle); from >= 0; from = joined.indexOf(needle, from + needle.length)) {
      for (let i = kept[from]!; i <= kept[from + needle.length - 1]!; i++) covered[i] = 1;
    }
  }
  if (!covered.includes(1)) return text;
  return rebuild(text, covered);
}

/** Each covered stretch between breaks becomes one mask; the breaks themselves stay. */
function rebuild(text: string, covered: Uint8Array): string {
  let out = '';
  let at = 0;
  const pieces = [...text.matchAll(BREAK)].map((m) => [m.index, m.index + m[0].length] as const);
  const emit = (from: number, to: number) => {
    let inMask = false;
    for (let i = from; i < to; i++) {
      if (covered[i]) {
        if (!inMask) out += MASK;
        inMask = true;
      } else {
        out += text[i];
        inMask = false;
      }
    }
  };
  for (const [start, end] of pieces) {
    emit(at, start);
    out += text.slice(start, end);
    at = end;
  }
  emit(at, text.length);
  return out;
}

/**
 * For text that arrives line by line (sam's stderr): holds one line back, so a value split across two
 * lines is masked before either is shown. `flush` releases the last one.
 */
export function lineStreamRedactor(redactor: Pick<Redactor, 'redact'>, emit: (line: string) => void): { push(line: string): void; flush(): void } {
  let held: string | undefined;
  return {
    push(line) {
      if (held === undefined) {
        held = line;
        return;
      }
      // Masked as a pair; breaks survive masking, so the first break still ends the first line.
      const pair = redactor.redact(held + line);
      const cut = pair.indexOf('\n') + 1;
      if (cut > 0) emit(pair.slice(0, cut));
      held = cut > 0 ? pair.slice(cut) : pair;
    },
    flush() {
      if (held) emit(redactor.redact(held));
      held = undefined;
    },
  };
}

/** A cut can also split a UTF-8 character: the decoder then starts the text with replacement characters. */
const LEADING_REPLACEMENTS = /^\uFFFD*/;

function maskCutEnds(text: string, needles: readonly string[], minLength: number): string {
  if (minLength < 1) return text;
  const lead = LEADING_REPLACEMENTS.exec(text)![0].length;
  const head = Math.max(0, ...needles.map((needle) => cutSuffixLength(needle, text.slice(lead), minLength)));
  const body = head === 0 ? text : text.slice(lead + head);
  const tail = Math.max(0, ...needles.map((needle) => cutPrefixLength(needle, body, minLength)));
  return (head === 0 ? '' : MASK) + (tail === 0 ? body : body.slice(0, -tail) + MASK);
}

/** The longest proper suffix of `needle`, at least `minLength` long, that `text` starts with; 0 if none. */
function cutSuffixLength(needle: string, text: string, minLength: number): number {
  const start = text.slice(0, minLength);
  if (start.length < minLength) return 0;
  // Earliest occurrence first: it gives the longest suffix. Index 0 would be the whole needle.
  for (let at = needle.indexOf(start, 1); at > 0; at = needle.indexOf(start, at + 1)) {
    if (text.startsWith(needle.slice(at))) return needle.length - at;
  }
  return 0;
}

/** The longest proper prefix of `needle`, at least `minLength` long, that `text` ends with; 0 if none. */
function cutPrefixLength(needle: string, text: string, minLength: number): number {
  const end = text.slice(-minLength);
  if (end.length < minLength) return 0;
  // Latest occurrence first: it gives the longest prefix. One ending at the needle's end is the whole needle.
  for (let at = needle.lastIndexOf(end, needle.length - minLength - 1); at >= 0; at = at === 0 ? -1 : needle.lastIndexOf(end, at - 1)) {
    if (text.endsWith(needle.slice(0, at + minLength))) return at + minLength;
  }
  return 0;
}

/**
 * Masks a decoded JSON value: every string leaf and every key, at any depth. Masking the JSON text is not
 * enough: `"\u0043ANARY"` decodes to `"CANARY"` (Go and .NET escape `<`, `>`, `&` this way, PHP escapes
 * `/`), and what we print is the decoded value. A string that is itself a JSON document (an API Gateway
 * `body`) is decoded and masked too, and replaced by the masked document only when that changed it.
 */
export function redactParsed(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value, redact, depth);
  if (Array.isArray(value)) return value.map((item) => redactParsed(item, redact, depth));
  if (typeof value !== 'object' || value === null) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) masked[uniqueKey(redactString(key, redact, depth), masked)] = redactParsed(item, redact, depth);
  return masked;
}

const MAX_NESTED_DOCUMENTS = 3;

function redactString(text: string, redact: (text: string) => string, depth: number): string {
  const masked = redact(text);
  if (depth >= MAX_NESTED_DOCUMENTS || !/^\s*[[{]/.test(masked)) return masked;
  let inner: unknown;
  try {
    inner = JSON.parse(masked);
  } catch {
    return masked;
  }
  const innerMasked = JSON.stringify(redactParsed(inner, redact, depth + 1));
  return innerMasked === JSON.stringify(inner) ? masked : innerMasked;
}

/** Two keys masked to the same text must not overwrite each other's values. */
function uniqueKey(key: string, taken: Record<string, unknown>): string {
  if (!Object.hasOwn(taken, key)) return key;
  for (let n = 2; ; n++) if (!Object.hasOwn(taken, `${key} (${n})`)) return `${key} (${n})`;
}

/** One-shot form of {@link createRedactor}. */
export function redactSecret(text: string, secretString: string, options?: RedactorOptions): string {
  return createRedactor(secretString, options).redact(text);
}

function jsonLeafValues(secretString: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const leaves: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'string') leaves.push(node);
    else if (typeof node === 'number') leaves.push(String(node));
    else if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) Object.values(node).forEach(visit);
  };
  visit(parsed);
  return leaves;
}
