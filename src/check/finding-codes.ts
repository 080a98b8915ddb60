/**
 * One line per finding code a check can decide on: SARIF's rule descriptions, and the README's
 * "Finding codes" table says the same. Codes not listed here still get a rule (with a generic text).
 */
export const FINDING_CODES: Record<string, string> = {
  'no-grant': 'No statement grants secretsmanager:GetSecretValue on the secret',
  'arn-missing-suffix': 'The secret ARN lacks the six-character random suffix',
  'arn-placeholder-suffix': 'The secret ARN has a placeholder suffix such as NAME-[xxxxxx]',
  'arn-wrong-suffix': "A literal suffix that is not the secret's",
  'arn-wrong-name': 'The ARN names another secret',
  'arn-wrong-region': 'The ARN names another region',
  'arn-wrong-account': 'The ARN names another account',
  'arn-literal-suffix-unverified': 'A literal suffix: offline it can be neither confirmed nor refuted',
  'arn-literal-account-unverified': 'A literal account: offline it can be neither confirmed nor refuted',
  'condition-not-met': "A statement names the secret but its Condition does not hold",
  'explicit-deny': 'A Deny in an identity policy',
  'boundary-blocks': 'The permissions boundary does not allow it',
  'boundary-denies': 'The permissions boundary denies it',
  'resource-policy-denies': "The secret's resource policy denies it",
  'resource-policy-missing': "Cross-account: the secret's resource policy does not allow it",
  'kms-decrypt-missing': 'A customer-managed key without kms:Decrypt for the role',
  'kms-explicit-deny': 'The KMS key policy denies kms:Decrypt',
  'secret-not-found': 'The secret does not exist in its region',
  'secret-scheduled-for-deletion': 'The secret is scheduled for deletion',
  'secret-unresolved': 'The template names a secret it alone cannot resolve',
  'simulation-denies': "IAM's simulator denies what the policies allow",
  undetermined: 'Something could not be evaluated',
  'undetermined-offline': 'Part of the policy cannot be read from the template alone',
  'role-not-found': "The function's role does not exist",
  'check-failed': 'The check of this function could not run (AWS error)',
  'kms-key-unresolved': "The secret's KMS key is an alias the template does not define",
  'dynamic-reference': 'The secret reaches the function through a deploy-time dynamic reference, as plain text',
  'build-template-stale': 'The build copy under .aws-sam is older than the source template',
  'build-template-differs': 'The build copy under .aws-sam differs from the source template',
  'parameter-override-unknown': 'parameter_overrides sets a parameter the template does not declare',
  'role-overrides-policies': 'The function sets Role, so SAM ignores its Policies',
  'template-not-deployed': 'The template grants access but the deployed role lacks it',
  'secret-ambiguous': 'A variable may name a secret that does not exist, so the default was checked: undetermined',
  'organization-policies-not-verified': "The account is in an AWS organization whose SCPs and RCPs were not verified",
  'organization-unknown': 'Could not tell whether the account is in an AWS organization (SCPs/RCPs not verified)',
};

/** The README section every rule's help URI points into. */
export const FINDING_CODES_ANCHOR = 'finding-codes';
