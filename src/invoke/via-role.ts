/**
 * Which role `--as-deployed-role` emulates the deployed role on, when that role does not trust the
 * developer: `--via-role ARN`, else the `role_arn` of the profile in use. For the profile's own role,
 * AssumeRole is called with its `source_profile`'s credentials (the way the SDK assumes it), since a
 * session of a role usually may not assume that same role again.
 */
import type { AwsClientConfig } from '../aws/config.js';
import type { StsApi } from '../aws/sts.js';
import type { ViaRole } from './deployed-role.js';

export interface ProfileRole {
  roleArn: string;
  sourceProfile?: string;
}

/** The profile's role_arn and source_profile in the shared config file, if it has one. */
export async function profileRole(profile: string | undefined): Promise<ProfileRole | undefined> {
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const { configFile } = await loadSharedConfigFiles();
  const section = configFile[profile ?? 'default'];
  if (!section?.role_arn) return undefined;
  return { roleArn: section.role_arn, ...(section.source_profile && { sourceProfile: section.source_profile }) };
}

export function chooseViaRole(
  flag: string | undefined,
  fromProfile: ProfileRole | undefined,
  profileName: string | undefined,
  aws: AwsClientConfig,
  makeSts: (config: AwsClientConfig) => Promise<StsApi>,
): ViaRole | undefined {
  const arn = flag ?? fromProfile?.roleArn;
  if (arn === undefined) return undefined;
  const viaProfileRole = fromProfile !== undefined && fromProfile.roleArn === arn && fromProfile.sourceProfile !== undefined;
  const config = viaProfileRole ? { ...aws, profile: fromProfile.sourceProfile } : aws;
  let sts: Promise<StsApi> | undefined;
  return {
    arn,
    source: flag !== undefined ? '--via-role' : `role_arn of profile ${profileName ?? 'default'}`,
    sts: () => (sts ??= makeSts(config)),
  };
}
