/** The data check-policy produces. Renderers and --json read it; nothing here prints. */
import type { Finding } from '../core/findings.js';
import type { AccessDecision, DecidingStatement, LinkStatus, Verdict } from '../policy/index.js';

export type ChainStepName = 'function' | 'role' | 'identity' | 'boundary' | 'resource-policy' | 'kms-key' | 'secret';

export interface ChainStep {
  step: ChainStepName;
  status: LinkStatus;
  /** One line: what this link is and what it decided. */
  text: string;
}

export interface CheckPolicyResult {
  command: 'check-policy';
  verdict: Verdict;
  /** `static`: the template alone; `live`: the deployed account. */
  method: 'static' | 'live';
  /** How the identity side was judged: IAM's simulator, or the tool's own evaluator. */
  identityEvaluation: 'iam-simulation' | 'evaluator';
  region: string;
  function: { name?: string; logicalId?: string; arn?: string; source: string };
  role: { arn?: string; description: string };
  secret: { id: string; arn?: string; source: string; kmsKey?: string; exists?: boolean };
  chain: ChainStep[];
  deciding?: DecidingStatement;
  findings: Finding[];
  /** The raw per-link decision, for --json consumers that want every statement. */
  decision?: AccessDecision;
  simulation?: { available: boolean; reason?: string; decision?: string };
  template?: string;
}

/** How to phrase the fix: a SAM snippet when SAM owns the role, an IAM statement otherwise. */
export type FixTarget =
  | { kind: 'sam'; secretName: string; secretLogicalId?: string; kmsKeyId?: string; kmsKeyLogicalId?: string; roleInTemplate?: string }
  | { kind: 'iam'; secretArnPattern: string; kmsKeyArn?: string; region: string; roleName?: string };
