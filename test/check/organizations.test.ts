/**
 * Inside an AWS organization, SCPs and RCPs can deny what IAM allows, and nothing here reads them: the
 * live check says so (with the organization it found), says it could not tell when it may not ask, and
 * says nothing outside an organization. Through the built CLI against moto.
 */
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { motoEndpoint, motoEnv, resetMoto } from '../support/moto.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { allow, createFunction, createRole, createSecret, doc, SECRET_PATTERN } from '../support/scenarios.js';

let proxy: RecordingProxy | undefined;
beforeEach(async () => {
  await resetMoto();
  await createSecret('openweatherapi');
  await createFunction(await createRole({ inline: { read: doc(allow(SECRET_PATTERN)) } }), { name: 'weather' });
});
afterEach(async () => { await proxy?.close(); proxy = undefined; });

type Finding = { code: string; message: string; severity: string; detail?: Record<string, unknown> };
const codes = (stdout: string) => (JSON.parse(stdout).findings as Finding[]).map((f) => f.code);

describe('organizations: SCPs and RCPs are named as not verified', () => {
  it('outside an organization nothing is said, and the verdict stands (exit 0)', async () => {
    const run = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(codes(run.stdout)).not.toContain('organization-policies-not-verified');
    expect(codes(run.stdout)).not.toContain('organization-unknown');
  });

  it('in an organization: "can read" as far as IAM goes, and its SCPs/RCPs were not verified', async () => {
    const { OrganizationsClient, CreateOrganizationCommand } = await import('@aws-sdk/client-organizations');
    const org = await new OrganizationsClient({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
      .send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const run = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(run.exitCode, run.stderr).toBe(0);
    const note = (JSON.parse(run.stdout).findings as Finding[]).find((f) => f.code === 'organization-policies-not-verified');
    expect(note).toMatchObject({ severity: 'warning', detail: { organization: org.Organization!.Id } });
    const human = await runCli(['check-policy', 'weather'], { env: motoEnv(), cwd: tmpdir() });
    expect(human.stdout).toMatch(/service control policies and resource control policies .* not verified/);
    const doctor = await runCli(['doctor', 'weather', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'permissions')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/not verified/) });
  });

  it('when DescribeOrganization is denied, it says it could not tell, and the check still answers', async () => {
    proxy = await startRecordingProxy(motoEndpoint(), (_body, req) => (String(req.headers['x-amz-target'] ?? '').endsWith('.DescribeOrganization')
      ? { status: 400, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: 'AccessDeniedException', Message: 'You don\'t have permissions to access this resource.' }) }
      : undefined));
    const run = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint }), cwd: tmpdir() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(proxy.requests.map((r) => r.target)).toContain('AWSOrganizationsV20161128.DescribeOrganization');
    expect(codes(run.stdout)).toContain('organization-unknown');
  });

  it('a role that cannot read gets no organization note: the answer is already "cannot read"', async () => {
    await resetMoto();
    await createSecret('openweatherapi');
    await createFunction(await createRole(), { name: 'weather' });
    const { OrganizationsClient, CreateOrganizationCommand } = await import('@aws-sdk/client-organizations');
    await new OrganizationsClient({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
      .send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const run = await runCli(['check-policy', 'weather', '--json'], { env: motoEnv(), cwd: tmpdir() });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(codes(run.stdout)).not.toContain('organization-policies-not-verified');
  });
});
