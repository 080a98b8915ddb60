/** The permission chain as steps a user reads top to bottom: function → role → policies → secret. */
import type { AccessDecision, LinkName, LinkStatus } from '../policy/index.js';
import type { ChainStep, ChainStepName } from './types.js';

export interface ChainInput {
  functionText: string;
  functionStatus?: LinkStatus;
  roleText: string;
  roleStatus: LinkStatus;
  decision?: AccessDecision;
  kmsText: string;
  secretText: string;
  secretStatus: LinkStatus;
}

const LINK_STEP: Record<LinkName, ChainStepName> = {
  identity: 'identity',
  boundary: 'boundary',
  'resource-policy': 'resource-policy',
  'kms-key': 'kms-key',
};

export function buildChain(input: ChainInput): ChainStep[] {
  const steps: ChainStep[] = [
    { step: 'function', status: input.functionStatus ?? 'pass', text: input.functionText },
    { step: 'role', status: input.roleStatus, text: input.roleText },
  ];
  for (const link of input.decision?.links ?? []) {
    const text = link.link === 'kms-key' && link.status === 'not-applicable' ? input.kmsText : link.link === 'kms-key' ? `${input.kmsText}: ${link.summary}` : link.summary;
    steps.push({ step: LINK_STEP[link.link], status: link.status, text });
  }
  steps.push({ step: 'secret', status: input.secretStatus, text: input.secretText });
  return steps;
}

/** What is known of every SDK call to Secrets Manager, live or static: it uses TLS, in the secret's region. */
export function requestFacts(region: string) {
  return { 'aws:SecureTransport': true, 'aws:RequestedRegion': region };
}
