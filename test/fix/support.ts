/** Shared by the fix tests: read fixtures, and ask the policy evaluator whether a template now grants the read. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { decideAccess, type NamedPolicy, type Verdict } from '../../src/policy/index.js';
import { analyseFunction, parseTemplate, resolveValue } from '../../src/template/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const TEMPLATES = join(ROOT, 'test', 'fixtures', 'templates');
export const FIX_FIXTURES = join(ROOT, 'test', 'fixtures', 'fix');
export const ACCOUNT = '123456789012';
export const REGION = 'eu-central-1';

export function fixture(relativePath: string): string {
  return readFileSync(join(ROOT, relativePath), 'utf8');
}

export interface SecretUnderTest {
  /** The secret's full ARN in REGION/ACCOUNT, or `{{resource:Logical}}` for a secret of the template. */
  arn: string;
  /** Logical id of the template's AWS::KMS::Key that encrypts it. */
  keyLogicalId?: string;
}

/**
 * The evaluator's verdict on the function reading the secret, from the template alone, with a concrete
 * account and region (the ARN parser needs colon-free values). The permissions boundary is left out:
 * fix does not edit boundaries, check-policy judges them.
 */
export function readVerdict(text: string, path: string, functionId: string | undefined, secret: SecretUnderTest): Verdict {
  const template = parseTemplate(text, path);
  const analysis = analyseFunction(template, functionId, { region: REGION, accountId: ACCOUNT });
  const key = secret.keyLogicalId ? keyInput(template.body, secret.keyLogicalId, analysis.ctx) : undefined;
  return decideAccess({
    principalArn: `arn:aws:iam::${ACCOUNT}:role/${analysis.fn.logicalId}Role`,
    principalAccount: ACCOUNT,
    secretArn: secret.arn,
    identityPolicies: analysis.permissions.policies,
    ...(key ? { customerManagedKey: key } : {}),
  }).verdict;
}

function keyInput(body: Record<string, unknown>, logicalId: string, ctx: Parameters<typeof resolveValue>[1]) {
  const resources = body.Resources as Record<string, { Properties: { KeyPolicy: unknown } }>;
  const document = resolveValue(resources[logicalId]!.Properties.KeyPolicy, ctx) as unknown as NamedPolicy['document'];
  return {
    keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/{{resource:${logicalId}}}`,
    keyPolicy: { name: `${logicalId} key policy`, kind: 'key' as const, source: logicalId, document },
  };
}

/** The lines a change removed from `before`: a fix must only take away the lines it corrects. */
export function removedLines(before: string, after: string): string[] {
  return diffLines(before, after).filter((part) => part.removed).flatMap((part) => part.value.split('\n').filter(Boolean));
}

export function commentLines(text: string): string[] {
  return text.split('\n').filter((line) => /(^|\s)#/.test(line)).map((line) => line.slice(line.search(/(^|\s)#/)).trim());
}
