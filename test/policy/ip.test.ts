/** IpAddress / NotIpAddress: CIDR matching, and the unknown public address of a Lambda outside a VPC. */
import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../src/policy/context.js';
import { evaluateConditionEntry } from '../../src/policy/conditions.js';
import { UNKNOWN_PUBLIC_IPV4, ipCompare } from '../../src/policy/ip.js';

describe('ipCompare', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24', 'yes'],
    ['203.0.113.7', '203.0.114.0/24', 'no'],
    ['10.1.2.3', '10.0.0.0/8', 'yes'],
    ['10.1.2.3', '10.1.2.3', 'yes'],
    ['10.1.2.3', '0.0.0.0/0', 'yes'],
    ['10.1.2.3', '2001:db8::/32', 'no'],
    ['2001:db8::1', '2001:db8::/32', 'yes'],
    ['2001:db9::1', '2001:db8::/32', 'no'],
    ['10.1.2.3', 'not-an-ip', 'unknown'],
    [UNKNOWN_PUBLIC_IPV4, '0.0.0.0/0', 'yes'],
    [UNKNOWN_PUBLIC_IPV4, '10.0.0.0/8', 'no'],
    [UNKNOWN_PUBLIC_IPV4, '192.0.2.0/24', 'no'],
    [UNKNOWN_PUBLIC_IPV4, '::/0', 'no'],
    [UNKNOWN_PUBLIC_IPV4, '52.0.0.0/8', 'unknown'],
  ])('%s in %s: %s', (address, block, expected) => {
    expect(ipCompare(address, block).state).toBe(expected);
  });
});

describe('IP operators in a condition', () => {
  const ctx = (ip?: string) => new RequestContext({ values: ip ? { 'aws:SourceIp': ip } : {}, absentKeys: ['aws:SourceIp'] });
  it.each([
    ['IpAddress', '203.0.113.0/24', '203.0.113.9', 'yes'],
    ['NotIpAddress', '203.0.113.0/24', '203.0.113.9', 'no'],
    ['NotIpAddress', '192.0.2.0/24', UNKNOWN_PUBLIC_IPV4, 'yes'],
    ['IpAddress', '203.0.113.0/24', undefined, 'no'],
    ['NotIpAddress', '203.0.113.0/24', undefined, 'yes'],
    ['IpAddressIfExists', '203.0.113.0/24', undefined, 'yes'],
  ])('%s %s with source %s: %s', (op, block, ip, expected) => {
    expect(evaluateConditionEntry(op, 'aws:SourceIp', block, ctx(ip)).state).toBe(expected);
  });

  it('a string operator on the unknown address stays unknown', () => {
    expect(evaluateConditionEntry('StringEquals', 'aws:SourceIp', '1.2.3.4', ctx(UNKNOWN_PUBLIC_IPV4)).state).toBe('unknown');
  });
});
