/**
 * Template parameters (Defaults overlaid by overrides such as samconfig's parameter_overrides) and the
 * pseudo parameters (`AWS::Region`, `AWS::AccountId`, ...), as `Ref` sees them.
 */
import { isRecord } from './load.js';
import { unresolved, type ParameterValue, type ResolveOptions, type Unresolved } from './resolve-types.js';
import { ACCOUNT_TOKEN, REGION_TOKEN, STACK_ID_TOKEN, STACK_NAME_TOKEN } from './tokens.js';

export function pseudoParameters(options: ResolveOptions): Record<string, string | Unresolved> {
  const region = options.region;
  // The partition follows from the region; a template for China or GovCloud must not say `aws`.
  const partition = region?.startsWith('cn-') ? 'aws-cn' : region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return {
    'AWS::Region': region ?? REGION_TOKEN,
    'AWS::Partition': partition,
    'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::AccountId': options.accountId ?? ACCOUNT_TOKEN,
    'AWS::StackName': options.stackName ?? STACK_NAME_TOKEN,
    'AWS::StackId': STACK_ID_TOKEN,
    'AWS::NotificationARNs': unresolved('AWS::NotificationARNs is only known at deploy time'),
  };
}

export function resolveParameters(body: Record<string, unknown>, overrides: Record<string, string>): Map<string, ParameterValue> {
  const out = new Map<string, ParameterValue>();
  const declared = isRecord(body.Parameters) ? body.Parameters : {};
  for (const [name, decl] of Object.entries(declared)) {
    const type = isRecord(decl) && typeof decl.Type === 'string' ? decl.Type : 'String';
    const override = overrides[name];
    const fallback = isRecord(decl) ? decl.Default : undefined;
    const raw = override ?? (fallback === undefined || fallback === null ? undefined : String(fallback));
    const origin = override !== undefined ? 'override' : raw !== undefined ? 'default' : 'none';
    out.set(name, { value: parameterTyped(name, type, raw), origin });
  }
  return out;
}

function parameterTyped(name: string, type: string, raw: string | undefined): ParameterValue['value'] {
  if (raw === undefined) return unresolved(`parameter ${name} has no Default and no override`);
  // The parameter holds the *name* of an SSM parameter; its value is read at deploy time.
  if (type.startsWith('AWS::SSM::Parameter::Value')) return unresolved(`parameter ${name} is read from SSM parameter ${raw} at deploy time`);
  if (type === 'CommaDelimitedList' || type.startsWith('List<')) return raw.split(',').map((s) => s.trim());
  return raw;
}

