/**
 * A tiny stand-in for the Lambda API, speaking its REST-JSON wire format on 127.0.0.1, for what moto
 * never does: set X-Amz-Function-Error and X-Amz-Log-Result, and answer with Lambda's error types
 * (x-amzn-ErrorType + JSON body) such as ResourceNotFoundException 404, AccessDeniedException 403 and
 * TooManyRequestsException 429. Point the CLI at it with AWS_ENDPOINT_URL_LAMBDA.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireFunction {
  /** What GetFunctionConfiguration returns (FunctionName, Role, Environment, VpcConfig, ...). */
  configuration: Record<string, unknown>;
  invoke?: {
    payload: string;
    functionError?: 'Handled' | 'Unhandled';
    /** Plain text; sent base64-encoded as Lambda does. */
    log?: string;
    executedVersion?: string;
  };
  /** Answer Invoke with this error instead. */
  invokeError?: { type: 'ResourceNotFoundException' | 'AccessDeniedException' | 'TooManyRequestsException' | string; status: number; message: string };
}

export interface WireServer {
  endpoint: string;
  /** Requests seen, e.g. `POST /2015-03-31/functions/weather/invocations?Qualifier=live`. */
  requests: string[];
  /** Invoke request bodies, in order. */
  bodies: string[];
  close(): Promise<void>;
}

export async function startLambdaWireServer(functions: Record<string, WireFunction>): Promise<WireServer> {
  const requests: string[] = [];
  const bodies: string[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/2015-03-31\/functions\/([^/]+)(\/invocations|\/configuration)?\/?$/.exec(url.pathname);
    if (url.pathname.replace(/\/$/, '') === '/2015-03-31/functions' && req.method === 'GET') {
      return json(res, 200, { Functions: Object.values(functions).map((f) => f.configuration) });
    }
    const fn = match ? functions[decodeURIComponent(match[1]!)] : undefined;
    if (!match || !fn) return error(res, 404, 'ResourceNotFoundException', `Function not found: ${match?.[1] ?? url.pathname}`);
    if (match[2] === '/configuration') return json(res, 200, fn.configuration);
    if (match[2] === '/invocations' && req.method === 'POST') {
      bodies.push(body);
      if (fn.invokeError) return error(res, fn.invokeError.status, fn.invokeError.type, fn.invokeError.message);
      return invocation(res, fn.invoke ?? { payload: 'null' });
    }
    return error(res, 400, 'InvalidRequestContentException', 'unsupported by the stand-in');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function invocation(res: ServerResponse, answer: NonNullable<WireFunction['invoke']>): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': answer.executedVersion ?? '$LATEST' };
  if (answer.functionError) headers['X-Amz-Function-Error'] = answer.functionError;
  if (answer.log !== undefined) headers['X-Amz-Log-Result'] = Buffer.from(answer.log).toString('base64');
  res.writeHead(200, headers);
  res.end(answer.payload);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

function error(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': type });
  res.end(JSON.stringify({ Type: 'User', message }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A GetFunctionConfiguration answer with the fields the tool reads. */
export function wireConfiguration(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${name}`,
    Role: `arn:aws:iam::123456789012:role/${name}-role`,
    Runtime: 'python3.12',
    Handler: 'app.lambda_handler',
    Timeout: 3,
    State: 'Active',
    ...extra,
  };
}
