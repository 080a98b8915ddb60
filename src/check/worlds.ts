/**
 * Offline the template leaves some facts open: the deploying account (a policy may name one literally),
 * the secret's random suffix (a policy may spell one out) and, for GetSecretValue, whether the read names
 * a version stage, and for a VPC function its route to Secrets Manager. The static check decides in every such world and answers only when all agree;
 * otherwise the verdict is "undetermined" and the finding says which fact it hinges on.
 */
import { decideAccess, type AccessDecision, type DecideAccessInput } from '../policy/index.js';
import type { Finding } from '../core/findings.js';
import { UNKNOWN_PUBLIC_IPV4 } from '../policy/ip.js';
import { mapStrings } from './strings.js';

export interface World {
  account: string;
  suffix: string;
  /** The premise of every check: reading the current value, with no stage named or AWSCURRENT. */
  stage: 'none' | 'AWSCURRENT';
  /**
   * A VPC function whose route to Secrets Manager is not known reaches it either through a NAT (the
   * request carries a public aws:SourceIp, no aws:SourceVpce/aws:SourceVpc) or through an interface
   * endpoint (aws:SourceVpce/aws:SourceVpc present, no aws:SourceIp). IAM user guide,
   * reference_policies_condition-keys.html (aws:SourceIp: "not present ... through a VPC endpoint").
   */
  network?: 'nat' | 'endpoint';
}

export interface WorldsInput {
  /** Placeholders written into `input` for the account and the suffix of the primary world. */
  account: string;
  suffix: string;
  secretName: string;
  suffixKnown: boolean;
  /** The secret was named by a full ARN: its account is the deploying account, the only world. */
  fixedAccount?: string;
  /** The function is in a VPC and how it reaches Secrets Manager is not known: decide for both routes. */
  vpcRouteOpen?: boolean;
}

const PLACEHOLDER_SUFFIX = /^(?:x{6}|X{6}|(.)\1{5})$/;

/** Literal accounts of secretsmanager/kms ARNs, and literal suffixes of this secret, in the policies. */
export function openWorlds(input: DecideAccessInput, w: WorldsInput): World[] {
  const text = JSON.stringify([input.identityPolicies, input.boundary, input.resourcePolicy, input.customerManagedKey]);
  const accounts = new Set([w.fixedAccount ?? w.account]);
  if (w.fixedAccount === undefined) {
    for (const m of text.matchAll(/arn:aws[\w-]*:(?:secretsmanager|kms):[\w-]*:(\d{12}):/g)) accounts.add(m[1]!);
  }
  const suffixes = new Set([w.suffix]);
  if (!w.suffixKnown) {
    const escaped = w.secretName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const m of text.matchAll(new RegExp(`:secret:${escaped}-([A-Za-z0-9]{6})(?![A-Za-z0-9*?])`, 'g'))) {
      if (!PLACEHOLDER_SUFFIX.test(m[1]!)) suffixes.add(m[1]!);
    }
  }
  const stages: World['stage'][] = /secretsmanager:VersionStage/i.test(text) ? ['none', 'AWSCURRENT'] : ['none'];
  const networks: Array<World['network']> = w.vpcRouteOpen ? (/aws:Source(?:Vpce?|Ip)\b/i.test(text) ? ['nat', 'endpoint'] : ['nat']) : [undefined];
  return [...accounts].flatMap((account) => [...suffixes].flatMap((suffix) => stages.flatMap((stage) => networks.map((network) => ({ account, suffix, stage, ...(network && { network }) })))));
}

export interface WorldsDecision {
  /** The decision in the primary world (placeholders as given): its findings are the ones shown. */
  primary: AccessDecision;
  verdict: AccessDecision['verdict'];
  /** Set when the worlds disagree: which open fact the verdict hinges on. */
  hinge?: string;
}

function inWorld(input: DecideAccessInput, w: WorldsInput, world: World): DecideAccessInput {
  const swapped = world.account === w.account && world.suffix === w.suffix
    ? input
    : (mapStrings(input, (s) => s.split(w.account).join(world.account).split(`-${w.suffix}`).join(`-${world.suffix}`)) as DecideAccessInput);
  const context = { ...swapped.context };
  const absent = [...(swapped.absentContextKeys ?? [])];
  if (world.stage === 'AWSCURRENT') context['secretsmanager:VersionStage'] = 'AWSCURRENT';
  else absent.push('secretsmanager:VersionStage');
  // The endpoint's and the VPC's IDs stay unknown (present, value not known) in the endpoint world.
  if (world.network === 'nat') {
    context['aws:SourceIp'] = UNKNOWN_PUBLIC_IPV4;
    absent.push('aws:SourceVpce', 'aws:SourceVpc');
  } else if (world.network === 'endpoint') {
    absent.push('aws:SourceIp');
  }
  return { ...swapped, context, absentContextKeys: absent };
}

export function decideInWorlds(input: DecideAccessInput, w: WorldsInput): WorldsDecision {
  const worlds = openWorlds(input, w);
  const decisions = worlds.map((world) => ({ world, decision: decideAccess(inWorld(input, w, world)) }));
  const primary = decisions[0]!.decision;
  const verdicts = new Set(decisions.map((d) => d.decision.verdict));
  if (verdicts.size === 1) return { primary, verdict: primary.verdict };
  const differs = decisions.find((d) => d.decision.verdict !== primary.verdict)!.world;
  const first = decisions[0]!.world;
  const hinge = differs.account !== w.account
    ? `whether the deploying account is ${differs.account} (a policy names it literally)`
    : differs.suffix !== w.suffix
      ? `whether the secret's random suffix is -${differs.suffix} (a policy spells it out)`
      : differs.network !== first.network
        ? "whether the function's VPC reaches Secrets Manager through an interface endpoint or a NAT gateway (a policy conditions on aws:SourceIp, aws:SourceVpc or aws:SourceVpce)"
        : 'whether the read names the version stage AWSCURRENT or none (both read the current value)';
  return { primary, verdict: 'undetermined', hinge };
}

export const VERSION_STAGE_PREMISE: Finding = {
  code: 'premise-current-version',
  severity: 'info',
  message: 'A policy conditions on secretsmanager:VersionStage: this verdict is for reading the current value (no VersionStage, or AWSCURRENT), as the function does by default.',
};

export const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };
