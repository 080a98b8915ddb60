/**
 * The SAM policy templates that can grant access to a secret or its key, as defined in
 * aws/serverless-application-model `samtranslator/policy_templates_data/policy_templates.json`.
 * Their `Ref`s point at the template's own parameters (`SecretArn`, `KeyId`, ...), which `expandPolicyTemplate`
 * replaces with what the user wrote before the intrinsics are resolved.
 */
import { isRecord } from './load.js';

interface PolicyTemplateDefinition {
  parameters: string[];
  statements: Array<Record<string, unknown>>;
}

const sub = (text: string, vars?: Record<string, unknown>) => ({ 'Fn::Sub': vars ? [text, vars] : text });

export const SECRET_POLICY_TEMPLATES: Record<string, PolicyTemplateDefinition> = {
  // Exactly the ARN given: no `-??????` is appended, so a bare name or a placeholder matches nothing.
  AWSSecretsManagerGetSecretValuePolicy: {
    parameters: ['SecretArn'],
    statements: [
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: sub('${secretArn}', { secretArn: { Ref: 'SecretArn' } }),
      },
    ],
  },
  AWSSecretsManagerRotationPolicy: {
    parameters: ['FunctionName'],
    statements: [
      {
        Effect: 'Allow',
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Resource: sub('arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*'),
        Condition: {
          StringEquals: {
            'secretsmanager:resource/AllowRotationLambdaArn': sub(
              'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}',
              { functionName: { Ref: 'FunctionName' } },
            ),
          },
        },
      },
      { Effect: 'Allow', Action: ['secretsmanager:GetRandomPassword'], Resource: '*' },
    ],
  },
  KMSDecryptPolicy: {
    parameters: ['KeyId'],
    statements: [
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}', { keyId: { Ref: 'KeyId' } }),
      },
    ],
  },
  KMSEncryptPolicy: {
    parameters: ['KeyId'],
    statements: [
      {
        Action: 'kms:Encrypt',
        Effect: 'Allow',
        Resource: sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}', { keyId: { Ref: 'KeyId' } }),
      },
    ],
  },
};

/**
 * Templates from the same file whose statements name neither `secretsmanager:` nor `kms:` actions (checked
 * against the file): they cannot change whether a secret is readable, so they need no expansion.
 */
export const UNRELATED_POLICY_TEMPLATES = new Set([
  'SQSPollerPolicy', 'LambdaInvokePolicy', 'CloudWatchDescribeAlarmHistoryPolicy', 'CloudWatchPutMetricPolicy',
  'EC2DescribePolicy', 'DynamoDBCrudPolicy', 'DynamoDBReadPolicy', 'DynamoDBReconfigurePolicy', 'SESSendBouncePolicy',
  'ElasticsearchHttpPostPolicy', 'S3ReadPolicy', 'S3CrudPolicy', 'AMIDescribePolicy', 'CloudFormationDescribeStacksPolicy',
  'RekognitionDetectOnlyPolicy', 'RekognitionNoDataAccessPolicy', 'RekognitionReadPolicy', 'RekognitionWriteOnlyAccessPolicy',
  'SQSSendMessagePolicy', 'SNSPublishMessagePolicy', 'VPCAccessPolicy', 'DynamoDBStreamReadPolicy', 'KinesisStreamReadPolicy',
  'SESCrudPolicy', 'SNSCrudPolicy', 'KinesisCrudPolicy', 'PollyFullAccessPolicy', 'S3FullAccessPolicy',
  'CodePipelineLambdaExecutionPolicy', 'ServerlessRepoReadWriteAccessPolicy', 'EC2CopyImagePolicy',
  'CodePipelineReadOnlyPolicy', 'CloudWatchDashboardPolicy', 'RekognitionFacesManagementPolicy', 'RekognitionFacesPolicy',
  'RekognitionLabelsPolicy', 'DynamoDBBackupFullAccessPolicy', 'DynamoDBRestoreFromBackupPolicy',
  'ComprehendBasicAccessPolicy', 'MobileAnalyticsWriteOnlyAccessPolicy', 'PinpointEndpointAccessPolicy',
  'FirehoseWritePolicy', 'FirehoseCrudPolicy', 'EKSDescribePolicy', 'CostExplorerReadOnlyPolicy',
  'OrganizationsListAccountsPolicy', 'SESBulkTemplatedCrudPolicy', 'SESEmailTemplateCrudPolicy', 'FilterLogEventsPolicy',
  'SSMParameterReadPolicy', 'StepFunctionsExecutionPolicy', 'CodeCommitCrudPolicy', 'CodeCommitReadPolicy',
  'AthenaQueryPolicy', 'TextractPolicy', 'TextractDetectAnalyzePolicy', 'TextractGetResultPolicy',
]);

/** `{TemplateName: {...}}` with exactly one key that looks like a template name (SAM's own test). */
export function policyTemplateName(entry: unknown): string | undefined {
  if (!isRecord(entry)) return undefined;
  const keys = Object.keys(entry);
  const only = keys[0];
  if (keys.length !== 1 || only === undefined) return undefined;
  if (only === 'Ref' || only.startsWith('Fn::') || only === 'Statement') return undefined;
  return only;
}

export type ExpansionResult =
  | { ok: true; statements: Array<Record<string, unknown>> }
  | { ok: false; reason: 'unknown-template' | 'unrelated-template' | 'missing-parameter'; message: string };

/** Substitutes the user's parameter values (still raw expressions) into the template's statements. */
export function expandPolicyTemplate(name: string, parameters: unknown): ExpansionResult {
  const definition = SECRET_POLICY_TEMPLATES[name];
  if (!definition) {
    return UNRELATED_POLICY_TEMPLATES.has(name)
      ? { ok: false, reason: 'unrelated-template', message: `${name} grants no Secrets Manager or KMS actions` }
      : { ok: false, reason: 'unknown-template', message: `SAM policy template ${name} is not known to weather-secrets` };
  }
  const given = isRecord(parameters) ? parameters : {};
  const missing = definition.parameters.filter((p) => given[p] === undefined);
  if (missing.length > 0) {
    return { ok: false, reason: 'missing-parameter', message: `${name} needs ${missing.join(', ')} (SAM rejects the template without it)` };
  }
  return { ok: true, statements: definition.statements.map((s) => substituteRefs(s, given) as Record<string, unknown>) };
}

function substituteRefs(value: unknown, given: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => substituteRefs(v, given));
  if (!isRecord(value)) return value;
  if (typeof value.Ref === 'string' && Object.keys(value).length === 1 && value.Ref in given) return given[value.Ref];
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteRefs(v, given)]));
}
