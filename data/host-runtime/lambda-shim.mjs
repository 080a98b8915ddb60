// weather-secrets' host runtime for Node.js handlers: `invoke --local --runtime host`.
//
// Runs one invocation of HANDLER (file.export, found under CODE_DIR) the way the Lambda Node.js
// runtime does, without a container: the event from stdin, a context object, async or callback
// handlers, CommonJS or ES modules, the handler's errors turned into Lambda's error object. What the
// handler prints is log (stdout and stderr); the protocol with weather-secrets travels on file
// descriptor 3, one JSON message per line: runtime (version), start, result or error.
//
// Usage: node lambda-shim.mjs CODE_DIR HANDLER REQUEST_ID TIMEOUT_MS  (the event JSON on stdin)
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const [codeDir, handlerName, requestId, timeoutText] = process.argv.slice(2);
const timeoutMs = Number(timeoutText);

function send(message) {
  writeSync(3, `${JSON.stringify(message)}\n`);
}

function maxMemoryMb() {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function errorObject(errorType, errorMessage, error) {
  const trace = typeof error?.stack === 'string' ? error.stack.split('\n') : [];
  return { errorType, errorMessage, trace };
}

function fail(errorType, errorMessage, error) {
  console.error(JSON.stringify(errorObject(errorType, errorMessage, error)));
  send({ type: 'error', error: errorObject(errorType, errorMessage, error), maxMemoryMb: maxMemoryMb() });
  process.exit(0);
}

function readStdin() {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

/** `dir/app.handler` -> the file dir/app.{js,mjs,cjs} under codeDir and the export `handler`. */
async function loadHandler() {
  const dot = handlerName.lastIndexOf('.');
  if (dot <= 0) fail('Runtime.MalformedHandlerName', `Bad handler ${handlerName}`);
  const modulePath = handlerName.slice(0, dot);
  const exportPath = handlerName.slice(dot + 1);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => resolve(codeDir, modulePath + ext)).find((candidate) => existsSync(candidate));
  if (!file) fail('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`);
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND' ? /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1] : undefined;
    if (missing) send({ type: 'missing-module', module: missing });
    fail('Runtime.ImportModuleError', `${error?.name ?? 'Error'}: ${error?.message ?? error}`, error);
  }
  const handler = module[exportPath] ?? module.default?.[exportPath];
  if (typeof handler !== 'function') fail('Runtime.HandlerNotFound', `${handlerName} is undefined or not exported`);
  return handler;
}

function context(deadline) {
  const env = process.env;
  return {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: env.WEATHER_SECRETS_FUNCTION_ARN ?? '',
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    awsRequestId: requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
  };
}

/** Async handlers return a promise; callback-style ones (three parameters) call back. */
function call(handler, event, ctx) {
  if (handler.length < 3) return Promise.resolve().then(() => handler(event, ctx));
  return new Promise((resolvePromise, reject) => {
    const returned = handler(event, ctx, (error, value) => (error ? reject(error) : resolvePromise(value)));
    if (returned && typeof returned.then === 'function') returned.then(resolvePromise, reject);
  });
}

/** Like the Lambda runtime: every console line carries a timestamp, the request id and its level. */
function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [name, level] of Object.entries(levels)) {
    console[name] = (...args) => process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${format(...args)}\n`);
  }
}

async function main() {
  patchConsole();
  send({ type: 'runtime', language: 'nodejs', version: process.versions.node, executable: process.execPath });
  const text = readStdin();
  const event = JSON.parse(text.trim() === '' ? '{}' : text);
  process.chdir(codeDir);
  const handler = await loadHandler();
  send({ type: 'start' });
  const started = performance.now();
  try {
    const result = await call(handler, event, context(started + timeoutMs));
    const durationMs = performance.now() - started;
    send({ type: 'result', payload: JSON.stringify(result === undefined ? null : result), durationMs, maxMemoryMb: maxMemoryMb() });
  } catch (error) {
    const durationMs = performance.now() - started;
    const errorType = error instanceof Error ? error.name : 'Error';
    const errorMessage = error instanceof Error ? error.message : String(error);
    console.error(`Invoke Error \t${JSON.stringify(errorObject(errorType, errorMessage, error))}`);
    send({ type: 'error', error: errorObject(errorType, errorMessage, error), durationMs, maxMemoryMb: maxMemoryMb() });
  }
  // Lambda freezes the sandbox after the result; here the process simply ends.
  process.exit(0);
}

main();
