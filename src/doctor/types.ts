/** Doctor's checklist as data: stable ids, a status, one line of summary, and a fix where one exists. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skipped' | 'error';

export interface DoctorCheck {
  /** Stable: `caller`, `config`, `template`, `static-policy`, `function`, `environment`, `secret`, `secret-deletion`, `secret-shape`, `permissions`, `network`, `invoke`. */
  id: string;
  title: string;
  status: CheckStatus;
  summary: string;
  fix?: string;
  detail?: Record<string, unknown>;
}

export interface DoctorResult {
  command: 'doctor';
  ok: boolean;
  checks: DoctorCheck[];
  /** The first failing link, and how to fix it. */
  rootCause?: { check: string; message: string };
  fix?: string;
}

export const check = (id: string, title: string, status: CheckStatus, summary: string, extra: Partial<DoctorCheck> = {}): DoctorCheck => ({
  id, title, status, summary, ...extra,
});
