/** Every function of the region, with its configuration, through paginated ListFunctions (50 a page). */
import { trackInFlight } from './in-flight.js';
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { awsCall } from './call.js';
import { toConfiguration, type FunctionConfiguration } from './lambda.js';

export interface FunctionLister {
  listAll(): Promise<FunctionConfiguration[]>;
}

export async function createFunctionLister(config: AwsClientConfig): Promise<FunctionLister> {
  const lambda = await import('@aws-sdk/client-lambda');
  const client = trackInFlight(new lambda.LambdaClient(await sdkClientOptions(config, 'Lambda')), 'Lambda');
  return {
    async listAll() {
      const out: FunctionConfiguration[] = [];
      let marker: string | undefined;
      do {
        const answer = await awsCall('Lambda', 'ListFunctions', () => client.send(new lambda.ListFunctionsCommand({ Marker: marker, MaxItems: 50 })));
        for (const fn of answer.Functions ?? []) out.push(toConfiguration(fn));
        marker = answer.NextMarker;
      } while (marker);
      return out;
    },
  };
}
