/**
 * The Organizations adapter, for one question: does the caller's account belong to an organization?
 * Then service control policies and resource control policies can deny what IAM allows, and neither the
 * tool nor IAM's simulator (which leaves out SCPs with conditions, and all RCPs) has verified them.
 * Asked with the caller's credentials (DescribeOrganization works from any member account).
 */
import { sdkClientOptions, type AwsClientConfig } from './config.js';
import { awsErrorName, translateAwsError } from './errors.js';
import { trackInFlight } from './in-flight.js';

export type OrganizationMembership =
  | { member: true; organizationId: string; managementAccount?: string }
  | { member: false }
  /** Could not tell (no permission to ask, or the call failed): SCPs/RCPs may apply. */
  | { member: 'unknown'; reason: string };

export interface OrganizationsApi {
  membership(): Promise<OrganizationMembership>;
}

export async function createOrganizationsApi(config: AwsClientConfig): Promise<OrganizationsApi> {
  const organizations = await import('@aws-sdk/client-organizations');
  const client = trackInFlight(new organizations.OrganizationsClient(await sdkClientOptions(config, 'Organizations')), 'Organizations');
  let answer: Promise<OrganizationMembership> | undefined;
  // Asked once per run, however many functions a scan checks.
  return { membership: () => (answer ??= ask()) };

  async function ask(): Promise<OrganizationMembership> {
      try {
        const out = await client.send(new organizations.DescribeOrganizationCommand({}));
        return out.Organization?.Id
          ? { member: true, organizationId: out.Organization.Id, ...(out.Organization.MasterAccountId && { managementAccount: out.Organization.MasterAccountId }) }
          : { member: 'unknown', reason: 'DescribeOrganization answered without an organization' };
      } catch (error) {
        if (awsErrorName(error) === 'AWSOrganizationsNotInUseException') return { member: false };
        // Not knowing is never fatal to the check: it is reported as "not verified".
        return { member: 'unknown', reason: translateAwsError(error, 'Organizations', 'DescribeOrganization').message };
      }
  }
}
