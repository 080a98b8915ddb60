/**
 * SimulatePrincipalPolicy, which moto does not implement, against a small local server answering in
 * the IAM Query/XML shapes of the API reference (API_SimulatePrincipalPolicy.html, and the common
 * ErrorResponse for AccessDenied). Then what the live check makes of each answer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIamApi } from '../../src/aws/iam.js';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openweatherapi-AbCdEf';

function result(decision: string, missing: string[] = [], matched: string[] = []): string {
  return `<SimulatePrincipalPolicyResponse xmlns="${NS}">
  <SimulatePrincipalPolicyResult>
    <IsTruncated>false</IsTruncated>
    <EvaluationResults>
      <member>
        <EvalActionName>secretsmanager:GetSecretValue</EvalActionName>
        <EvalResourceName>${SECRET}</EvalResourceName>
        <EvalDecision>${decision}</EvalDecision>
        <MatchedStatements>${matched.map((id) => `<member><SourcePolicyId>${id}</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType></member>`).join('')}</MatchedStatements>
        <MissingContextValues>${missing.map((k) => `<member>${k}</member>`).join('')}</MissingContextValues>
      </member>
    </EvaluationResults>
  </SimulatePrincipalPolicyResult>
  <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>
</SimulatePrincipalPolicyResponse>`;
}

const ACCESS_DENIED = `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:SimulatePrincipalPolicy</Message></Error><RequestId>1a2b</RequestId></ErrorResponse>`;

/** The answer depends on the role name in PolicySourceArn, so one server serves every case. */
const ANSWERS: Record<string, [number, string]> = {
  allowed: [200, result('allowed', [], ['read-secret'])],
  implicit: [200, result('implicitDeny')],
  explicit: [200, result('explicitDeny', [], ['deny-all'])],
  missing: [200, result('implicitDeny', ['aws:SourceVpce', 'secretsmanager:VersionStage'])],
  denied: [403, ACCESS_DENIED],
};

let server: Server;
let endpoint: string;
const requests: URLSearchParams[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      requests.push(params);
      const role = (params.get('PolicySourceArn') ?? '').split('/').pop() ?? '';
      const [status, xml] = ANSWERS[role] ?? [400, ACCESS_DENIED];
      res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const simulate = async (role: string) => (await createIamApi({ region: 'eu-west-1', endpoint })).simulate({
  policySourceArn: `arn:aws:iam::123456789012:role/${role}`, actions: ['secretsmanager:GetSecretValue'], resources: [SECRET], context: { 'aws:SecureTransport': 'true' },
});

describe('IAM adapter: SimulatePrincipalPolicy', () => {
  it.each([
    ['allowed', 'allowed', ['read-secret'], []],
    ['implicit', 'implicitDeny', [], []],
    ['explicit', 'explicitDeny', ['deny-all'], []],
    ['missing', 'implicitDeny', [], ['aws:SourceVpce', 'secretsmanager:VersionStage']],
  ])('role %s: %s', async (role, decision, matched, missing) => {
    const sim = await simulate(role);
    expect(sim).toEqual({ available: true, results: [{ action: 'secretsmanager:GetSecretValue', resource: SECRET, decision, matchedPolicies: matched, missingContextValues: missing }] });
  });

  it('sends the request in the Query shape, with context entries', async () => {
    await simulate('allowed');
    const last = requests.at(-1)!;
    expect(last.get('Action')).toBe('SimulatePrincipalPolicy');
    expect(last.get('ActionNames.member.1')).toBe('secretsmanager:GetSecretValue');
    expect(last.get('ResourceArns.member.1')).toBe(SECRET);
    expect(last.get('ContextEntries.member.1.ContextKeyName')).toBe('aws:SecureTransport');
  });

  it('access denied: unavailable, with the reason, never an exception', async () => {
    const sim = await simulate('denied');
    expect(sim.available).toBe(false);
    expect(sim.available ? '' : sim.reason).toMatch(/AccessDenied/);
  });
});

describe('the live check and the simulator answer', () => {
  const grant = { name: 'read-secret', kind: 'identity' as const, source: 'inline policy read-secret', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] } };
  const live = async (role: string) => {
    const { checkLive } = await import('../../src/check/live.js');
    const iam = await createIamApi({ region: 'eu-west-1', endpoint });
    // A small fake store: one secret with the AWS managed key and no resource policy.
    const description = { arn: SECRET, name: 'openweatherapi', rotationEnabled: false, versions: {}, tags: {} };
    const secrets = { describe: async () => description, getResourcePolicy: async () => undefined, listNames: async () => [] } as unknown as Parameters<typeof checkLive>[1]['secrets'];
    return checkLive(
      { fn: { name: 'wf', arn: 'arn:aws:lambda:eu-west-1:123456789012:function:wf', role: `arn:aws:iam::123456789012:role/${role}`, environment: { SECRET_NAME: 'openweatherapi' } }, functionSource: 'test', region: 'eu-west-1', secretId: 'openweatherapi' },
      { iam: { getRolePolicies: async () => ({ roleName: role, roleArn: `arn:aws:iam::123456789012:role/${role}`, identity: [grant] }), simulate: iam.simulate }, secrets, kms: {} as never },
    );
  };

  it.each([
    ['allowed', 'allowed', undefined],
    // Policies allow it, the simulator says implicitDeny: SCPs with conditions and RCPs are not simulated.
    ['implicit', 'undetermined', 'simulation-implicit-deny'],
    ['explicit', 'denied', 'simulation-denies'],
    ['denied', 'allowed', 'simulation-unavailable'],
  ])('simulator for role %s: verdict %s', async (role, verdict, code) => {
    const result = await live(role);
    expect(result.verdict).toBe(verdict);
    if (code) expect(result.findings.map((f) => f.code)).toContain(code);
  });
});
