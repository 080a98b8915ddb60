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
  }
  // Longest first, so the whole SecretString is masked as one piece rather than value by value.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  return {
    redact: (text) => ordered.reduce((masked, needle) => masked.split(needle).join(MASK), text),
    skippedShortValues,
  };
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
