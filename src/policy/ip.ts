/**
 * IpAddress / NotIpAddress (IAM user guide, reference_policies_elements_condition_operators.html,
 * "IP address condition operators"): CIDR blocks per RFC 4632, IPv4 and IPv6; a bare address is a /32
 * (/128). An IPv4 request address never matches an IPv6 block and vice versa.
 *
 * A Lambda function outside a VPC calls AWS from a public IPv4 address the tool cannot know:
 * UNKNOWN_PUBLIC_IPV4 stands for it. It matches a block covering all of IPv4, matches no block inside
 * the private or reserved ranges, and anything else stays unknown.
 */
import { type Judgement, fromBoolean, unknown } from './tristate.js';

export const UNKNOWN_PUBLIC_IPV4 = '<public IPv4 address of the Lambda service>';

interface Block { v6: boolean; bits: bigint; prefix: number }

const NON_PUBLIC_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/3'];

function parseAddress(text: string): { v6: boolean; bits: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v6: false, bits: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!text.includes(':')) return undefined;
  const [head, tail] = text.split('::') as [string, string | undefined];
  const hex = (s: string | undefined) => (s ? s.split(':').filter(Boolean) : []);
  const left = hex(head);
  const right = hex(tail);
  if (text.split('::').length > 2 || left.concat(right).some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const groups = tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  return { v6: true, bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function parseBlock(text: string): Block | undefined {
  const [address, prefixText] = text.trim().split('/');
  const parsed = parseAddress(address ?? '');
  if (!parsed) return undefined;
  const width = parsed.v6 ? 128 : 32;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  return { ...parsed, prefix };
}

function contains(block: Block, address: { v6: boolean; bits: bigint }): boolean {
  if (block.v6 !== address.v6) return false;
  const shift = BigInt((block.v6 ? 128 : 32) - block.prefix);
  return block.bits >> shift === address.bits >> shift;
}

function withinNonPublic(block: Block): boolean {
  return !block.v6 && NON_PUBLIC_V4.some((range) => {
    const r = parseBlock(range)!;
    return block.prefix >= r.prefix && contains(r, block);
  });
}

/** Positive comparison: is `requestValue` inside the policy's CIDR block? */
export function ipCompare(requestValue: string, policyValue: string): Judgement {
  const block = parseBlock(policyValue);
  if (!block) return unknown(`${policyValue} is not an IP address or CIDR block`);
  if (requestValue === UNKNOWN_PUBLIC_IPV4) {
    if (block.v6) return fromBoolean(false);
    if (block.prefix === 0) return fromBoolean(true);
    if (withinNonPublic(block)) return fromBoolean(false);
    return unknown(`whether the function's public source IP is in ${policyValue} is not known`);
  }
  const address = parseAddress(requestValue);
  if (!address) return unknown(`${requestValue} is not an IP address`);
  return fromBoolean(contains(block, address));
}
