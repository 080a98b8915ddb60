/**
 * The EC2 adapter, for one question: does a function's VPC reach Secrets Manager through an interface
 * endpoint? Then its requests carry aws:SourceVpce and aws:SourceVpc (IAM user guide,
 * reference_policies_condition-keys.html); otherwise (a NAT gateway) they carry neither.
 */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { awsCall } from './call.js';
import { trackInFlight } from './in-flight.js';

export interface VpcEndpoint {
  id: string;
  /** With private DNS the SDK's default endpoint name resolves to the endpoint; without, it does not. */
  privateDns: boolean;
}

export interface Ec2Api {
  /** Available Secrets Manager interface endpoints of the VPC. */
  secretsManagerEndpoints(vpcId: string, region: string): Promise<VpcEndpoint[]>;
}

export async function createEc2Api(config: AwsClientConfig): Promise<Ec2Api> {
  const ec2 = await import('@aws-sdk/client-ec2');
  const client = trackInFlight(new ec2.EC2Client(await sdkClientOptions(config, 'EC2')), 'EC2');
  return {
    async secretsManagerEndpoints(vpcId, region) {
      const out = await awsCall('EC2', 'DescribeVpcEndpoints', () => client.send(new ec2.DescribeVpcEndpointsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'service-name', Values: [`com.amazonaws.${region}.secretsmanager`] },
          { Name: 'vpc-endpoint-type', Values: ['Interface'] },
        ],
      })));
      return (out.VpcEndpoints ?? [])
        .filter((e) => (e.State ?? 'available').toLowerCase() === 'available')
        .map((e) => ({ id: e.VpcEndpointId!, privateDns: e.PrivateDnsEnabled ?? false }));
    },
  };
}
