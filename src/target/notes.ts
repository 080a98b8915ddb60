/** What the resolution of the target has to tell the user, as findings every command can carry. */
import type { Finding } from '../core/findings.js';
import type { TemplateLocation } from './template.js';

export function templateNoteFindings(template: TemplateLocation | undefined): Finding[] {
  const note = template?.buildNote;
  return note ? [{ code: note.code, severity: 'warning', message: note.message }] : [];
}

/** What a dynamic reference means for the question "can the function read the secret". */
export function dynamicReferenceFinding(ref: { variable: string; value: unknown; dynamicReference?: unknown } | undefined): Finding[] {
  if (!ref?.dynamicReference) return [];
  return [{
    code: 'dynamic-reference',
    severity: 'warning',
    message:
      `${ref.variable} is a {{resolve:secretsmanager:${String(ref.value)}:...}} dynamic reference: CloudFormation reads the secret at deploy time ` +
      `with the deployer's permissions and puts its value in the function's configuration in plain text. The function's role needs no access to ` +
      `read it, and a rotated value reaches the function only on the next deploy.`,
    fix: `To keep the value out of the configuration, set ${ref.variable} to the secret's name and read it at run time (GetSecretValue, or the Parameters and Secrets Lambda Extension).`,
  }];
}
