/**
 * The exact text that fixes a finding: a SAM policy template for functions whose role SAM generates,
 * or an IAM statement for roles managed elsewhere. Pure; the renderers print these verbatim.
 */

/** The `-??????` form AWS recommends: exactly six characters, so `NAME-other` does not match. */
export function secretArnSubPattern(secretName: string): string {
  return `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${secretName}-??????`;
}

export interface SamFixInput {
  secretName: string;
  /** Logical ID of an AWS::SecretsManager::Secret in the template: then `!Ref` is exact. */
  secretLogicalId?: string;
  /** A customer-managed key: its key ID (or a `!Ref`-able logical ID) for KMSDecryptPolicy. */
  kmsKeyId?: string;
  kmsKeyLogicalId?: string;
}

/** The lines to put under the function's `Policies:`. */
export function samPoliciesSnippet(input: SamFixInput): string {
  const secretArn = input.secretLogicalId ? `!Ref ${input.secretLogicalId}` : `!Sub "${secretArnSubPattern(input.secretName)}"`;
  const lines = ['Policies:', '  - AWSSecretsManagerGetSecretValuePolicy:', `      SecretArn: ${secretArn}`];
  if (input.kmsKeyLogicalId) lines.push('  - KMSDecryptPolicy:', `      KeyId: !Ref ${input.kmsKeyLogicalId}`);
  else if (input.kmsKeyId) lines.push('  - KMSDecryptPolicy:', `      KeyId: ${keyIdOf(input.kmsKeyId)}`);
  return lines.join('\n');
}

/** An inline policy for an AWS::IAM::Role of the template (the function's `Role:`), as YAML. */
export function rolePolicySnippet(input: SamFixInput): string {
  const resource = input.secretLogicalId ? `!Ref ${input.secretLogicalId}` : `!Sub "${secretArnSubPattern(input.secretName)}"`;
  const lines = [
    'Policies:',
    '  - PolicyName: read-openweather-secret',
    '    PolicyDocument:',
    "      Version: '2012-10-17'",
    '      Statement:',
    '        - Effect: Allow',
    '          Action: secretsmanager:GetSecretValue',
    `          Resource: ${resource}`,
  ];
  const key = input.kmsKeyLogicalId ? `!GetAtt ${input.kmsKeyLogicalId}.Arn` : input.kmsKeyId?.startsWith('arn:') ? input.kmsKeyId : undefined;
  if (key) lines.push('        - Effect: Allow', '          Action: kms:Decrypt', `          Resource: ${key}`);
  return lines.join('\n');
}

export interface IamFixInput {
  secretArnPattern: string;
  kmsKeyArn?: string;
  region?: string;
}

/** An IAM policy document for a role that is not managed by SAM. */
export function iamStatementJson(input: IamFixInput): string {
  const statements: object[] = [{ Sid: 'ReadOpenWeatherSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: input.secretArnPattern }];
  if (input.kmsKeyArn) {
    statements.push({
      Sid: 'DecryptOpenWeatherSecret',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: input.kmsKeyArn,
      ...(input.region ? { Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${input.region}.amazonaws.com` } } } : {}),
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

/** The concrete `-??????` pattern for a known region and account. */
export function concreteSecretArnPattern(partition: string, region: string, account: string, secretName: string): string {
  return `arn:${partition}:secretsmanager:${region}:${account}:secret:${secretName}-??????`;
}

/** KMSDecryptPolicy wants a key ID, not an ARN or alias. */
export function keyIdOf(key: string): string {
  const match = /:key\/([0-9a-f-]+)$/i.exec(key);
  return match ? match[1]! : key;
}
