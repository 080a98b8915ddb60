/**
 * Seeds moto with the pieces of a deployed SAM app: a secret, an execution role with chosen policies,
 * and a function. Each check-policy / doctor / invoke scenario is a few lines on top of these.
 */
import { CreateRoleCommand, CreatePolicyCommand, AttachRolePolicyCommand, IAMClient, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, DeleteSecretCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ACCOUNT_ID, REGION, motoClientConfig } from './moto.js';

export const LAMBDA_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
/** An empty but valid zip: moto stores the code without running it. */
const EMPTY_ZIP = new Uint8Array([80, 75, 5, 6, ...new Array(18).fill(0)]);

export type Statement = Record<string, unknown>;
export const allow = (Resource: string | string[], Action: string | string[] = 'secretsmanager:GetSecretValue', extra: Statement = {}): Statement => ({ Effect: 'Allow', Action, Resource, ...extra });
export const doc = (...Statement: Statement[]) => ({ Version: '2012-10-17', Statement });

export const clients = () => ({
  iam: new IAMClient(motoClientConfig()),
  lambda: new LambdaClient(motoClientConfig()),
  sm: new SecretsManagerClient(motoClientConfig()),
  kms: new KMSClient(motoClientConfig()),
});

export async function createSecret(name = 'openweatherapi', value: Record<string, string> = { OPENWEATHER_API_KEY: 'CANARY-scenario-4d1f' }, kmsKeyId?: string): Promise<string> {
  const out = await clients().sm.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value), KmsKeyId: kmsKeyId }));
  return out.ARN!;
}

export async function scheduleDeletion(secretId: string): Promise<void> {
  await clients().sm.send(new DeleteSecretCommand({ SecretId: secretId, RecoveryWindowInDays: 7 }));
}

export async function putResourcePolicy(secretId: string, policy: object): Promise<void> {
  await clients().sm.send(new PutResourcePolicyCommand({ SecretId: secretId, ResourcePolicy: JSON.stringify(policy) }));
}

export async function createCustomerKey(policy?: object): Promise<{ keyId: string; arn: string }> {
  const out = await clients().kms.send(new CreateKeyCommand({ Description: 'openweather key', Policy: policy ? JSON.stringify(policy) : undefined }));
  return { keyId: out.KeyMetadata!.KeyId!, arn: out.KeyMetadata!.Arn! };
}

/** The default key policy: the account root may use the key, so IAM policies decide. */
export const delegatingKeyPolicy = doc({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' });

export interface RoleSpec {
  name?: string;
  inline?: Record<string, object>;
  managed?: Record<string, object>;
  boundary?: object;
}

export async function createRole(spec: RoleSpec = {}): Promise<string> {
  const { iam } = clients();
  const name = spec.name ?? 'openweather-demo-WeatherFunctionRole-ABC123';
  const role = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(LAMBDA_TRUST) }));
  for (const [policyName, document] of Object.entries(spec.inline ?? {})) {
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(document) }));
  }
  for (const [policyName, document] of Object.entries(spec.managed ?? {})) {
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: policyName, PolicyDocument: JSON.stringify(document) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: policy.Policy!.Arn! }));
  }
  if (spec.boundary) {
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-boundary`, PolicyDocument: JSON.stringify(spec.boundary) }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: policy.Policy!.Arn! }));
  }
  return role.Role!.Arn!;
}

export async function createFunction(roleArn: string, options: { name?: string; env?: Record<string, string>; vpc?: boolean } = {}): Promise<string> {
  const out = await clients().lambda.send(
    new CreateFunctionCommand({
      FunctionName: options.name ?? 'openweather-demo-WeatherFunction-XYZ789',
      Runtime: 'python3.12',
      Handler: 'app.lambda_handler',
      Role: roleArn,
      Code: { ZipFile: EMPTY_ZIP },
      Timeout: 10,
      Environment: { Variables: options.env ?? { SECRET_NAME: 'openweatherapi' } },
      VpcConfig: options.vpc ? { SubnetIds: ['subnet-0abc'], SecurityGroupIds: ['sg-0abc'] } : undefined,
    }),
  );
  return out.FunctionName!;
}

/** A deployed function whose role has `spec`, reading `openweatherapi`; returns the function name. */
export async function deployScenario(spec: RoleSpec, env?: Record<string, string>): Promise<string> {
  return createFunction(await createRole(spec), { env });
}

export const SECRET_PATTERN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:openweatherapi-??????`;

/**
 * What `sam deploy` of a one-function template leaves behind: a CloudFormation stack holding the
 * function and its generated role (`<Fn>Role`) with the given inline policies. moto creates both.
 */
export async function deployStack(options: { stackName?: string; logicalId?: string; rolePolicies?: Record<string, object>; env?: Record<string, string> } = {}): Promise<string> {
  const { CloudFormationClient, CreateStackCommand, DescribeStackResourceCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = new CloudFormationClient(motoClientConfig());
  const logicalId = options.logicalId ?? 'WeatherFunction';
  const stackName = options.stackName ?? 'openweather-demo';
  const template = {
    Resources: {
      [`${logicalId}Role`]: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST } },
      [logicalId]: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'python3.12', Handler: 'app.lambda_handler', Timeout: 10,
          Role: { 'Fn::GetAtt': [`${logicalId}Role`, 'Arn'] },
          Code: { ZipFile: 'def lambda_handler(event, context):\n    return {}\n' },
          Environment: { Variables: options.env ?? { SECRET_NAME: 'openweatherapi' } },
        },
      },
    },
  };
  await cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_IAM'] }));
  const out = await cfn.send(new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: logicalId }));
  // Inline policies go through IAM, not the stack: moto returns stack-created ones as a Python repr.
  const role = await cfn.send(new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: `${logicalId}Role` }));
  for (const [policyName, document] of Object.entries(options.rolePolicies ?? {})) {
    await clients().iam.send(new PutRolePolicyCommand({ RoleName: role.StackResourceDetail!.PhysicalResourceId!, PolicyName: policyName, PolicyDocument: JSON.stringify(document) }));
  }
  return out.StackResourceDetail!.PhysicalResourceId!;
}
