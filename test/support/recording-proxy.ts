/**
 * A loopback HTTP proxy in front of moto: it records every request body the CLI sends (to prove what
 * was, and was not, sent to AWS), and may answer some requests itself (`intercept`), for API behaviour
 * moto does not reproduce, such as ListStackResources pages.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  target: string;
  body: string;
}

export interface Interception {
  status?: number;
  contentType?: string;
  body: string;
}

export interface RecordingProxy {
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(upstream: string, intercept?: (body: string, req: IncomingMessage) => Interception | undefined): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ target: String(req.headers['x-amz-target'] ?? new URLSearchParams(body).get('Action') ?? req.url), body });
      const answer = intercept?.(body, req);
      if (answer) {
        res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/xml' });
        res.end(answer.body);
        return;
      }
      const forward = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forward.on('error', () => { res.writeHead(502); res.end(); });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
