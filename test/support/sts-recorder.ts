/**
 * A loopback recorder in front of moto's STS, for what moto neither keeps nor checks: the session
 * policies an AssumeRole or GetFederationToken call carries (Policy, PolicyArns.member.N.arn), and a
 * trust policy (moto lets anyone assume any role). Roles listed in `deny` get STS's real AccessDenied
 * answer; every other request goes on to moto unchanged. Point the CLI at it with AWS_ENDPOINT_URL_STS.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StsRecorder {
  endpoint: string;
  /** Each STS request's form parameters, in order. */
  calls: Array<Record<string, string>>;
  close(): Promise<void>;
}

export async function startStsRecorder(upstream: string, deny: string[] = []): Promise<StsRecorder> {
  const calls: Array<Record<string, string>> = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const params = Object.fromEntries(new URLSearchParams(body));
    calls.push(params);
    if (params.Action === 'AssumeRole' && deny.includes(params.RoleArn ?? '')) {
      res.writeHead(403, { 'Content-Type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
          `<Message>User: arn:aws:iam::123456789012:user/moto is not authorized to perform: sts:AssumeRole on resource: ${params.RoleArn}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
      );
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'content-length'));
    const answer = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers, body });
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'text/xml' });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The managed policy ARNs of a recorded call (PolicyArns.member.N.arn). */
export function policyArnsOf(call: Record<string, string>): string[] {
  return Object.keys(call).filter((k) => /^PolicyArns\.member\.\d+\.arn$/.test(k)).sort().map((k) => call[k]!);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
