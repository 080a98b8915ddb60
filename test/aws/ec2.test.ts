/**
 * VPC functions, live: the EC2 adapter against moto (DescribeVpcEndpoints), then what the live check
 * makes of an endpoint, of none, and of EC2 refusing to answer. moto reports every function's VpcId as
 * a fixed placeholder, so the decision half runs with small fakes of the narrow interfaces.
 */
import { CreateSubnetCommand, CreateVpcCommand, CreateVpcEndpointCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEc2Api, type Ec2Api } from '../../src/aws/ec2.js';
import { checkLive } from '../../src/check/live.js';
import { REGION, motoClientConfig, motoEndpoint, resetMoto } from '../support/moto.js';

beforeEach(async () => {
  await resetMoto();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
});

describe('EC2 adapter', () => {
  it('lists the VPC\'s Secrets Manager interface endpoints, and only those', async () => {
    const ec2 = new EC2Client(motoClientConfig());
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const other = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
    const endpoint = await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: `com.amazonaws.${REGION}.secretsmanager`, VpcEndpointType: 'Interface', PrivateDnsEnabled: true, SubnetIds: [subnet] }));
    await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: `com.amazonaws.${REGION}.s3`, VpcEndpointType: 'Gateway' }));
    const api = await createEc2Api({ region: REGION, endpoint: motoEndpoint() });
    expect(await api.secretsManagerEndpoints(vpcId, REGION)).toEqual([{ id: endpoint.VpcEndpoint!.VpcEndpointId!, privateDns: true }]);
    expect(await api.secretsManagerEndpoints(other, REGION)).toEqual([]);
  });
});

describe('the live check of a VPC function', () => {
  const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openweatherapi-AbCdEf';
  const grant = (condition: Record<string, Record<string, string>>) => ({ name: 'read', kind: 'identity' as const, source: 'inline policy read', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: condition }] } });
  const run = (ec2: Ec2Api | undefined, condition: Record<string, Record<string, string>>) => checkLive(
    { fn: { name: 'wf', arn: 'arn:aws:lambda:eu-west-1:123456789012:function:wf', role: 'arn:aws:iam::123456789012:role/r', environment: { SECRET_NAME: 'openweatherapi' }, vpc: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], vpcId: 'vpc-1' } }, functionSource: 'test', region: 'eu-west-1', secretId: 'openweatherapi' },
    {
      iam: { getRolePolicies: async () => ({ roleName: 'r', roleArn: 'arn:aws:iam::123456789012:role/r', identity: [grant(condition)] }), simulate: async () => ({ available: false, reason: 'not in this test' }) },
      secrets: { describe: async () => ({ arn: SECRET, name: 'openweatherapi', rotationEnabled: false, versions: {} }), getResourcePolicy: async () => undefined, listNames: async () => [] } as never,
      kms: {} as never,
      ...(ec2 ? { ec2 } : {}),
    },
  );
  const endpoint: Ec2Api = { secretsManagerEndpoints: async () => [{ id: 'vpce-0abc', privateDns: true }] };
  const none: Ec2Api = { secretsManagerEndpoints: async () => [] };
  const refuses: Ec2Api = { secretsManagerEndpoints: async () => { throw new Error('AccessDenied'); } };
  const noEndpointOnly = { Null: { 'aws:SourceVpce': 'true' } };
  const endpointOnly = { StringEquals: { 'aws:SourceVpce': 'vpce-0abc', 'aws:SourceVpc': 'vpc-1' } };

  it.each([
    ['an endpoint, grant needs none', endpoint, noEndpointOnly, 'denied'],
    ['no endpoint, grant needs none', none, noEndpointOnly, 'allowed'],
    ['an endpoint, grant needs it', endpoint, endpointOnly, 'allowed'],
    ['no endpoint, grant needs it', none, endpointOnly, 'denied'],
    ['EC2 refuses, grant needs none', refuses, noEndpointOnly, 'undetermined'],
    ['no EC2 adapter at all', undefined, noEndpointOnly, 'undetermined'],
    // Unknown route: through a NAT aws:SourceIp is public, through an endpoint it is absent; both are decided.
    ['EC2 refuses, grant needs a private source address: no route has one', refuses, { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, 'denied'],
    ['EC2 refuses, grant needs any source address outside a private range: every route', refuses, { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, 'allowed'],
  ])('%s: %s', async (_name, ec2, condition, verdict) => {
    expect((await run(ec2, condition)).verdict).toBe(verdict);
  });

  it('when the unknown route decides, the finding says so and how to let the check see it', async () => {
    const result = await run(refuses, noEndpointOnly);
    expect(result.findings.find((f) => f.code === 'depends-on-open-fact')).toMatchObject({ message: expect.stringMatching(/interface endpoint or a NAT gateway/), fix: expect.stringMatching(/ec2:DescribeVpcEndpoints/) });
  });
});
