/**
 * Input checks on the global AWS options, before anything talks to AWS: a malformed value is a usage
 * error (exit 2, nothing written), not an AWS error after a failed connection or, worse, a silent fall
 * back to the environment (`--region ''` used to write to AWS_REGION's region).
 */
import { UsageError } from '../core/errors.js';
import type { ResolvedContext } from './resolve.js';

/** Partition-prefixed region names: us-east-1, eu-central-1, us-gov-west-1, cn-north-1, us-isob-east-1. */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export interface GlobalInput {
  region?: string;
  endpointUrl?: string;
}

/** Throws a UsageError for an empty or malformed --region/--endpoint-url, or a malformed resolved region. */
export function validateAwsInput(flags: GlobalInput, context?: Pick<ResolvedContext, 'region' | 'endpointUrl'>): void {
  if (flags.region !== undefined) checkRegion(flags.region, '--region');
  if (flags.endpointUrl !== undefined) checkEndpoint(flags.endpointUrl, '--endpoint-url');
  if (context) {
    checkRegion(context.region.value, context.region.source);
    if (context.endpointUrl) checkEndpoint(context.endpointUrl.value, context.endpointUrl.source);
  }
}

function checkRegion(value: string, source: string): void {
  if (value.trim() === '') throw new UsageError(`${source} is empty.`, { code: 'invalid-region', hint: 'Pass a region such as eu-central-1, or leave the option out.' });
  if (!REGION.test(value.trim())) {
    throw new UsageError(`${source} "${value}" is not an AWS region name.`, { code: 'invalid-region', hint: 'Region names look like eu-central-1 or us-east-1.' });
  }
}

function checkEndpoint(value: string, source: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`${source} "${value}" is not an http(s) URL.`, { code: 'invalid-endpoint-url', hint: 'Pass a URL such as http://127.0.0.1:5000.' });
  }
}
