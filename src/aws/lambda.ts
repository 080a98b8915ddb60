/** The Lambda adapter: configuration reads and Invoke, behind a narrow interface. */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { trackInFlight } from './in-flight.js';
import { awsCall, awsCallOrMissing } from './call.js';

export interface FunctionConfiguration {
  name: string;
  arn: string;
  role: string;
  runtime?: string;
  handler?: string;
  environment: Record<string, string>;
  vpc?: { subnetIds: string[]; securityGroupIds: string[]; vpcId?: string };
  timeoutSeconds?: number;
  state?: string;
  lastUpdateStatus?: string;
  lastUpdateStatusReasonCode?: string;
  kmsKeyArn?: string;
}

export interface InvokeRequest {
  functionName: string;
  payload: string;
  qualifier?: string;
}

export interface InvokeResponse {
  statusCode: number;
  functionError?: string;
  executedVersion?: string;
  /** base64, as Lambda returns it */
  logResult?: string;
  payload: string;
}

export interface LambdaApi {
  getFunctionConfiguration(functionName: string, qualifier?: string): Promise<FunctionConfiguration | undefined>;
  invoke(request: InvokeRequest, signal?: AbortSignal): Promise<InvokeResponse>;
  listFunctionNames(limit?: number): Promise<string[]>;
}

const SERVICE = 'Lambda';

export async function createLambdaApi(config: AwsClientConfig): Promise<LambdaApi> {
  const lambda = await import('@aws-sdk/client-lambda');
  const client = trackInFlight(new lambda.LambdaClient(await sdkClientOptions(config, 'Lambda')), SERVICE);
  // Invoke waits for the function itself: its own, longer timeout (WEATHER_SECRETS_INVOKE_TIMEOUT_MS).
  const invokeClient = trackInFlight(new lambda.LambdaClient(await sdkClientOptions(config, 'Lambda', 'invoke')), SERVICE);
  return {
    async getFunctionConfiguration(functionName, qualifier) {
      const out = await awsCallOrMissing(SERVICE, 'GetFunctionConfiguration', ['ResourceNotFoundException'], () =>
        client.send(new lambda.GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier })),
      );
      if (!out) return undefined;
      return toConfiguration(out);
    },
    async invoke(request, signal) {
      const out = await awsCall(SERVICE, 'Invoke', () =>
        invokeClient.send(
          new lambda.InvokeCommand({
            FunctionName: request.functionName,
            Qualifier: request.qualifier,
            InvocationType: 'RequestResponse',
            LogType: 'Tail',
            Payload: new TextEncoder().encode(request.payload),
          }),
          { abortSignal: signal },
        ),
      );
      return {
        statusCode: out.StatusCode ?? 0,
        functionError: out.FunctionError,
        executedVersion: out.ExecutedVersion,
        logResult: out.LogResult,
        payload: out.Payload ? new TextDecoder().decode(out.Payload) : '',
      };
    },
    async listFunctionNames(limit = 200) {
      const names: string[] = [];
      let marker: string | undefined;
      do {
        const out = await awsCall(SERVICE, 'ListFunctions', () => client.send(new lambda.ListFunctionsCommand({ Marker: marker, MaxItems: 50 })));
        for (const f of out.Functions ?? []) if (f.FunctionName) names.push(f.FunctionName);
        marker = out.NextMarker;
      } while (marker && names.length < limit);
      return names;
    },
  };
}

type SdkConfiguration = { FunctionName?: string; FunctionArn?: string; Role?: string; Runtime?: string; Handler?: string; Environment?: { Variables?: Record<string, string> }; VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[]; VpcId?: string }; Timeout?: number; State?: string; LastUpdateStatus?: string; LastUpdateStatusReasonCode?: string; KMSKeyArn?: string };

/** The fields the tool reads, from GetFunctionConfiguration or one entry of ListFunctions (same shape). */
export function toConfiguration(out: SdkConfiguration): FunctionConfiguration {
  const vpc = out.VpcConfig;
  return {
    name: out.FunctionName!,
    arn: out.FunctionArn!,
    role: out.Role!,
    runtime: out.Runtime,
    handler: out.Handler,
    environment: out.Environment?.Variables ?? {},
    vpc: vpc?.SubnetIds?.length ? { subnetIds: vpc.SubnetIds, securityGroupIds: vpc.SecurityGroupIds ?? [], vpcId: vpc.VpcId } : undefined,
    timeoutSeconds: out.Timeout,
    state: out.State,
    lastUpdateStatus: out.LastUpdateStatus,
    lastUpdateStatusReasonCode: out.LastUpdateStatusReasonCode,
    kmsKeyArn: out.KMSKeyArn,
  };
}
