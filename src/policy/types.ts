/** IAM policy documents as AWS writes them: most fields may be a string or a list. */
export type StringOrList = string | string[];

export type ConditionBlock = Record<string, Record<string, StringOrList | boolean | number | Array<string | boolean | number>>>;

export type PrincipalBlock = '*' | Partial<Record<'AWS' | 'Service' | 'Federated' | 'CanonicalUser', StringOrList>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny' | string;
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** Where a policy sits in the permission chain. */
export type PolicyKind = 'identity' | 'boundary' | 'resource' | 'key';

/** A policy document with enough provenance to name it in a finding. */
export interface NamedPolicy {
  /** e.g. `OpenWeatherFunctionRolePolicy0`, `arn:aws:iam::aws:policy/SecretsManagerReadWrite`, `secret resource policy`. */
  name: string;
  kind: PolicyKind;
  /** Human-readable provenance, e.g. `inline policy of role X`, `template.yaml line 23 (Policies[1])`. */
  source: string;
  document: PolicyDocument;
}

/** Shared by decide.ts and links.ts (a leaf here, so they do not import each other). */
export type MaybePolicy = NamedPolicy | 'none' | 'unknown';

export interface KmsKeyInput {
  keyArn: string;
  /** The key's aliases (`alias/name`), the request's multivalued `kms:ResourceAliases`. */
  aliases?: string[];
  /** The key policy, or 'unknown' when GetKeyPolicy was not possible. */
  keyPolicy: NamedPolicy | 'unknown';
}

