/**
 * A loopback reverse proxy in front of moto that injects the faults AWS clients meet in the wild:
 * throttling in each protocol's real shape (JSON: `__type` + x-amzn-ErrorType; Query/XML: `<Code>Throttling`;
 * Lambda's REST-JSON: 429 TooManyRequestsException), 5xx, connection resets, stalls, a response that is
 * cut short, a body that is not what the protocol promises, and an answer that is lost after the request
 * reached AWS (the call took effect; the client never hears so).
 *
 * The CLI under test is pointed at it with AWS_ENDPOINT_URL; rules decide which requests fail.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault = 'throttle' | 'server-error' | 'unavailable' | 'reset' | 'stall' | 'truncate' | 'invalid-body' | 'lose-answer';
export const FAULTS: readonly Fault[] = ['throttle', 'server-error', 'unavailable', 'reset', 'stall', 'truncate', 'invalid-body', 'lose-answer'];

export interface AwsRequestInfo {
  /** The SigV4 scope's service: secretsmanager, iam, sts, lambda, cloudformation, kms. */
  service: string;
  /** GetSecretValue, UpdateSecretVersionStage, Invoke, ... */
  operation: string;
  protocol: 'json' | 'query' | 'rest-json';
  body: string;
}

export interface FaultRule {
  fault: Fault;
  /** Which requests; all when omitted. */
  match?: (request: AwsRequestInfo) => boolean;
  /** How many matching requests fail; every one when omitted. */
  times?: number;
}

export interface FaultProxy {
  endpoint: string;
  /** Replaces the rules; the request log is cleared too. */
  set(rules: FaultRule[]): void;
  /** Every request seen since the last set(): `service operation`. */
  seen: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let rules: Array<FaultRule & { used: number }> = [];
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const info = describeRequest(req, body);
    seen.push(`${info.service} ${info.operation}`);
    const rule = rules.find((r) => (r.match?.(info) ?? true) && (r.times === undefined || r.used < r.times));
    if (rule) rule.used++;
    await respond(rule?.fault, info, req, res, body, upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    set(next) {
      rules = next.map((r) => ({ ...r, used: 0 }));
      seen.length = 0;
    },
    seen,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function respond(fault: Fault | undefined, info: AwsRequestInfo, req: IncomingMessage, res: ServerResponse, body: Buffer, upstream: string): Promise<void> {
  switch (fault) {
    case 'throttle':
      return sendError(res, info, throttling(info));
    case 'server-error':
      return sendError(res, info, { status: 500, code: info.protocol === 'query' ? 'InternalFailure' : 'InternalFailure', message: 'We encountered an internal error. Please try again.' });
    case 'unavailable':
      return sendError(res, info, { status: 503, code: 'ServiceUnavailable', message: 'Service Unavailable' });
    case 'reset':
      req.socket.destroy();
      return;
    case 'stall':
      return; // never answers; the socket stays open
    case 'invalid-body':
      res.writeHead(200, { 'content-type': info.protocol === 'query' ? 'text/xml' : 'application/x-amz-json-1.1' });
      res.end('<html><body>502 Bad Gateway from a captive portal</body></html>');
      return;
    case 'truncate':
    case 'lose-answer': {
      const answer = await forward(req, body, upstream);
      if (fault === 'lose-answer') {
        req.socket.destroy(); // it happened at AWS; the client only sees a reset
        return;
      }
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    default: {
      const answer = await forward(req, body, upstream);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    }
  }
}

function throttling(info: AwsRequestInfo) {
  if (info.protocol === 'rest-json') return { status: 429, code: 'TooManyRequestsException', message: 'Rate Exceeded.' };
  if (info.protocol === 'query') return { status: 400, code: 'Throttling', message: 'Rate exceeded' };
  return { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' };
}

function sendError(res: ServerResponse, info: AwsRequestInfo, error: { status: number; code: string; message: string }): void {
  if (info.protocol === 'query') {
    const xml = `<ErrorResponse xmlns="https://${info.service}.amazonaws.com/doc/"><Error><Type>${error.status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>a1b2c3d4-0000-4000-8000-fault0proxy00</RequestId></ErrorResponse>`;
    res.writeHead(error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'a1b2c3d4-0000-4000-8000-fault0proxy00' });
    res.end(xml);
    return;
  }
  const json = info.protocol === 'rest-json' ? { Type: 'User', message: error.message, Reason: 'CallerRateLimitExceeded' } : { __type: error.code, message: error.message };
  res.writeHead(error.status, { 'content-type': 'application/json', 'x-amzn-errortype': `${error.code}:http://internal.amazon.com/coral/com.amazon.coral.service/`, 'x-amzn-requestid': 'a1b2c3d4-0000-4000-8000-fault0proxy00' });
  res.end(JSON.stringify(json));
}

function describeRequest(req: IncomingMessage, body: Buffer): AwsRequestInfo {
  const service = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'unknown';
  const target = req.headers['x-amz-target'];
  const text = body.toString('utf8');
  if (typeof target === 'string') return { service, operation: target.split('.').pop()!, protocol: 'json', body: text };
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(text)?.[1];
  if (action) return { service, operation: action, protocol: 'query', body: text };
  return { service, operation: restOperation(req.method ?? 'GET', req.url ?? '/'), protocol: 'rest-json', body: text };
}

/** The few Lambda REST routes the tool uses. */
function restOperation(method: string, url: string): string {
  if (/\/invocations/.test(url)) return 'Invoke';
  if (/\/configuration/.test(url)) return 'GetFunctionConfiguration';
  if (/\/functions\/?(\?|$)/.test(url) && method === 'GET') return 'ListFunctions';
  return `${method} ${url.split('?')[0]}`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(req: IncomingMessage, body: Buffer, upstream: string): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  const target = new URL(req.url ?? '/', upstream);
  return new Promise((resolve, reject) => {
    const out = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const headers = Object.fromEntries(Object.entries(answer.headers).filter((e): e is [string, string | string[]] => e[1] !== undefined && e[0] !== 'transfer-encoding' && e[0] !== 'connection'));
        resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
      });
    });
    out.on('error', reject);
    out.end(body);
  });
}
