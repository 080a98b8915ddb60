/** The adapters against moto: what check-policy and invoke read from a real (emulated) account. */
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createIamApi } from '../../src/aws/iam.js';
import { createKmsApi } from '../../src/aws/kms.js';
import { createLambdaApi } from '../../src/aws/lambda.js';
import { createStsApi } from '../../src/aws/sts.js';
import { ACCOUNT_ID, motoClientConfig, motoEndpoint, REGION, resetMoto } from '../support/moto.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const config = () => ({ region: REGION, endpoint: motoEndpoint() });

beforeEach(async () => {
  await resetMoto();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
});

describe('IAM adapter', () => {
  it('reads inline, attached managed (default version) and boundary policies of a role', async () => {
    const iam = new IAMClient(motoClientConfig());
    await iam.send(new CreateRoleCommand({ RoleName: 'fn-role', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'fn-role', PolicyName: 'read-secret', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }) }));
    const managed = await iam.send(new CreatePolicyCommand({ PolicyName: 'logs', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: managed.Policy!.Arn! }));
    const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] }) }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'fn-role', PermissionsBoundary: boundary.Policy!.Arn! }));

    const api = await createIamApi(config());
    const role = await api.getRolePolicies('fn-role');
    expect(role?.roleArn).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/fn-role`);
    expect(role?.trustPolicy).toMatchObject({ Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] });
    expect(role?.identity.map((p) => p.name)).toEqual(['read-secret', managed.Policy!.Arn]);
    expect(role?.identity[1]?.document).toMatchObject({ Statement: [{ Action: 'logs:*' }] });
    expect(role?.boundary).toMatchObject({ kind: 'boundary', name: boundary.Policy!.Arn });
    expect(await api.getRolePolicies('no-such-role')).toBeUndefined();
  });

  it('reports simulation as unavailable on moto instead of failing', async () => {
    const api = await createIamApi(config());
    const sim = await api.simulate({ policySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/x`, actions: ['secretsmanager:GetSecretValue'], resources: ['*'] });
    expect(sim.available).toBe(false);
  });
});

describe('KMS, Lambda and STS adapters', () => {
  it('tells a customer-managed key and returns its key policy', async () => {
    const key = await new KMSClient(motoClientConfig()).send(new CreateKeyCommand({ Description: 'cmk' }));
    const api = await createKmsApi(config());
    expect(await api.describeKey(key.KeyMetadata!.KeyId!)).toMatchObject({ manager: 'CUSTOMER', arn: key.KeyMetadata!.Arn });
    expect((await api.getKeyPolicy(key.KeyMetadata!.KeyId!)).Statement).toBeTruthy();
    expect(await api.describeKey('11111111-2222-3333-4444-555555555555')).toBeUndefined();
  });

  it('reads a function configuration, and a missing function is undefined', async () => {
    const iam = new IAMClient(motoClientConfig());
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'fn-role', AssumeRolePolicyDocument: TRUST }));
    await new LambdaClient(motoClientConfig()).send(
      new CreateFunctionCommand({
        FunctionName: 'weather', Runtime: 'python3.12', Handler: 'app.lambda_handler', Role: role.Role!.Arn!,
        Code: { ZipFile: new Uint8Array([80, 75, 5, 6, ...new Array(18).fill(0)]) },
        Environment: { Variables: { SECRET_NAME: 'openweatherapi' } },
        VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
      }),
    );
    const api = await createLambdaApi(config());
    const fn = await api.getFunctionConfiguration('weather');
    expect(fn).toMatchObject({ name: 'weather', role: role.Role!.Arn, environment: { SECRET_NAME: 'openweatherapi' }, vpc: { subnetIds: ['subnet-1'] } });
    expect(await api.getFunctionConfiguration('nope')).toBeUndefined();
  });

  it('says who the caller is', async () => {
    const api = await createStsApi(config());
    expect(await api.getCallerIdentity()).toMatchObject({ account: ACCOUNT_ID });
  });
});
