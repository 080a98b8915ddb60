/** Findings are data: a stable code, a severity, a message and a fix. Renderers turn them into text. */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable across releases; documented. e.g. `arn-missing-suffix`. */
  code: string;
  severity: Severity;
  message: string;
  /** The exact text or step that fixes it, when there is one. */
  fix?: string;
  /** Free-form structured detail (policy name, statement id, ...). Never a secret value. */
  detail?: Record<string, unknown>;
}

/** The version of every --json document. Bump on a breaking change to any command's result shape. */
export const SCHEMA_VERSION = 1;
