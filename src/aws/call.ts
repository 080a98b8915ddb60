import { awsErrorName, translateAwsError } from './errors.js';

/** Runs one SDK call, translating any failure at the adapter. */
export async function awsCall<T>(service: string, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateAwsError(error, service, operation);
  }
}

/** Like awsCall, but a not-found error (by the SDK's name for it) becomes `undefined`. */
export async function awsCallOrMissing<T>(service: string, operation: string, notFound: readonly string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (notFound.includes(awsErrorName(error) ?? '')) return undefined;
    throw translateAwsError(error, service, operation);
  }
}
