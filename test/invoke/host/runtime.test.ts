/**
 * The host runtime shims (data/host-runtime/) as child processes: Node.js handlers (ES module and
 * CommonJS callback), the context object, Lambda's error object, the timeout; and the pure pieces.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostEnvironment } from '../../../src/invoke/host/environment.js';
import { runHostProcess } from '../../../src/invoke/host/process.js';
import { hostFunctionSpec, parseRuntime, versionMatches, type HostFunctionSpec } from '../../../src/invoke/host/spec.js';
import type { TemplateFunction } from '../../../src/template/index.js';

async function nodeApp(files: Record<string, string>, handler: string, timeoutSeconds = 3): Promise<HostFunctionSpec> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-host-node-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return { logicalId: 'Fn', language: 'nodejs', runtime: 'nodejs20.x', runtimeVersion: '20', handler, codeDir: dir, timeoutSeconds, memoryMb: 256, notes: [], layerPaths: [] };
}

async function run(spec: HostFunctionSpec, event = '{"city":"Oslo"}') {
  const logs: string[] = [];
  const env = hostEnvironment({ spec, parent: { PATH: process.env.PATH }, region: 'eu-central-1', functionName: 'weather', variables: { UNITS: 'metric' } });
  const outcome = await runHostProcess({ spec, command: process.execPath, env, eventText: event, onLog: (line) => logs.push(line) });
  return { outcome, log: logs.join('') };
}

describe('the Node.js shim', () => {
  it('an ES module async handler gets the event, the context and Lambda\'s environment', async () => {
    const spec = await nodeApp({ 'app.mjs': 'export const handler = async (event, context) => { console.log("hello", event.city); return { city: event.city, fn: context.functionName, mem: context.memoryLimitInMB, id: context.awsRequestId, left: context.getRemainingTimeInMillis() > 2000, region: process.env.AWS_REGION, units: process.env.UNITS }; };' }, 'app.handler');
    const { outcome, log } = await run(spec);
    expect(outcome.failed).toBe(false);
    expect(JSON.parse(outcome.payloadText)).toEqual({ city: 'Oslo', fn: 'weather', mem: '256', id: outcome.requestId, left: true, region: 'eu-central-1', units: 'metric' });
    expect(log).toMatch(new RegExp(`\\t${outcome.requestId}\\tINFO\\thello Oslo`));
    expect(log).toMatch(/REPORT RequestId: .*Memory Size: 256 MB/);
  });

  it('a CommonJS callback handler that fails gives Lambda\'s error object', async () => {
    const spec = await nodeApp({ 'index.js': 'exports.handler = (event, context, callback) => { callback(new TypeError("no city")); };' }, 'index.handler');
    const { outcome } = await run(spec);
    expect(outcome.failed).toBe(true);
    expect(JSON.parse(outcome.payloadText)).toMatchObject({ errorType: 'TypeError', errorMessage: 'no city', trace: expect.arrayContaining([expect.stringContaining('TypeError: no city')]) });
  });

  it('a busy loop past the timeout is killed and logged like Lambda', async () => {
    const spec = await nodeApp({ 'app.mjs': 'export const handler = async () => { for (;;) {} };' }, 'app.handler', 1);
    const { outcome, log } = await run(spec);
    expect(outcome).toMatchObject({ timedOut: true, failed: true, payloadText: '' });
    expect(log).toContain('Task timed out after 1.00 seconds');
  });

  it('a missing package and a missing export are named', async () => {
    const missing = await run(await nodeApp({ 'app.mjs': 'import x from "left-pad-nowhere"; export const handler = async () => x;' }, 'app.handler'));
    expect(missing.outcome.missingModule).toBe('left-pad-nowhere');
    expect(JSON.parse(missing.outcome.payloadText).errorType).toBe('Runtime.ImportModuleError');
    const noExport = await run(await nodeApp({ 'app.mjs': 'export const other = 1;' }, 'app.handler'));
    expect(JSON.parse(noExport.outcome.payloadText)).toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
  });
});

describe('pure pieces', () => {
  it.each([
    ['python3.12', { language: 'python', version: '3.12' }],
    ['nodejs20.x', { language: 'nodejs', version: '20' }],
    ['java21', undefined],
    ['provided.al2023', undefined],
  ])('parseRuntime(%s)', (runtime, expected) => {
    expect(parseRuntime(runtime)).toEqual(expected);
  });

  it.each([
    ['3.12.4', '3.12', true],
    ['3.11.7', '3.12', false],
    ['20.19.0', '20', true],
    ['22.4.0', '20', false],
  ])('versionMatches(%s, %s) is %s', (host, wanted, expected) => {
    expect(versionMatches(host, wanted)).toBe(expected);
  });

  it('the spec takes CodeUri relative to the template, Timeout and MemorySize, and refuses other runtimes', () => {
    const fn = (properties: Record<string, unknown>): TemplateFunction => ({ logicalId: 'F', type: 'AWS::Serverless::Function', properties, environment: [], runtime: properties.Runtime as string, handler: properties.Handler as string, codeUri: properties.CodeUri });
    expect(hostFunctionSpec(fn({ Runtime: 'python3.12', Handler: 'app.h', CodeUri: 'src/', Timeout: 10 }), '/p/template.yaml')).toMatchObject({ codeDir: '/p/src', timeoutSeconds: 10, memoryMb: 128 });
    expect(() => hostFunctionSpec(fn({ Runtime: 'java21', Handler: 'a::b' }), '/p/template.yaml')).toThrow(/runs Python and Node.js handlers/);
    expect(() => hostFunctionSpec(fn({ Runtime: 'python3.12', Handler: 'a.b', CodeUri: 's3://bucket/code.zip' }), '/p/template.yaml')).toThrow(/not in a local folder/);
  });

  it('local SAM layers are found where Lambda mounts them; other layers are named as not loaded', () => {
    const fn = (properties: Record<string, unknown>): TemplateFunction => ({ logicalId: 'F', type: 'AWS::Serverless::Function', properties, environment: [], runtime: properties.Runtime as string, handler: 'app.h', codeUri: 'src/' });
    const resources = {
      Deps: { Type: 'AWS::Serverless::LayerVersion', Properties: { ContentUri: 'layers/deps/' } },
      Built: { Type: 'AWS::Serverless::LayerVersion', Properties: { ContentUri: 'layers/built' }, Metadata: { BuildMethod: 'python3.12' } },
      Remote: { Type: 'AWS::Serverless::LayerVersion', Properties: { ContentUri: 's3://bucket/layer.zip' } },
    };
    const python = hostFunctionSpec(fn({ Runtime: 'python3.12', Layers: [{ Ref: 'Deps' }, { Ref: 'Built' }, { Ref: 'Remote' }, 'arn:aws:lambda:eu-central-1:123456789012:layer:x:1'] }), '/p/template.yaml', resources);
    expect(python.layerPaths).toEqual(['/p/layers/deps/python', '/p/layers/deps/python/lib/python3.12/site-packages', '/p/layers/built', '/p/layers/built/python', '/p/layers/built/python/lib/python3.12/site-packages']);
    expect(python.notes).toEqual([expect.stringMatching(/layer Remote is not a local folder/), expect.stringMatching(/layer arn:aws:lambda:.*:layer:x:1 is not a local folder/)]);
    const node = hostFunctionSpec(fn({ Runtime: 'nodejs20.x', Layers: [{ Ref: 'Deps' }] }), '/p/template.yaml', resources);
    expect(node.layerPaths).toEqual(['/p/layers/deps/nodejs/node_modules', '/p/layers/deps/nodejs/node20/node_modules']);
    const env = hostEnvironment({ spec: { ...python, layerPaths: ['/p/layers/deps/python'] }, parent: { PYTHONPATH: '/mine' }, region: 'eu-central-1', functionName: 'f', variables: {} });
    expect(env.PYTHONPATH).toBe('/p/layers/deps/python:/mine');
  });

  it('the environment drops your AWS settings but keeps endpoints, and sets the chosen credentials', () => {
    const spec = { logicalId: 'F', language: 'python', runtime: 'python3.12', runtimeVersion: '3.12', handler: 'app.h', codeDir: '/p/src', timeoutSeconds: 3, memoryMb: 128, notes: [], layerPaths: [] } as HostFunctionSpec;
    const env = hostEnvironment({
      spec, region: 'eu-central-1', functionName: 'weather', variables: { SECRET_NAME: 'openweatherapi' },
      parent: { PATH: '/bin', AWS_PROFILE: 'admin', AWS_SECRET_ACCESS_KEY: 'mine', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', OPENWEATHER_BASE_URL: 'http://stub' },
      credentials: { accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'tok' },
    });
    expect(env).toMatchObject({ PATH: '/bin', OPENWEATHER_BASE_URL: 'http://stub', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', SECRET_NAME: 'openweatherapi', AWS_REGION: 'eu-central-1', AWS_LAMBDA_FUNCTION_NAME: 'weather', AWS_ACCESS_KEY_ID: 'ASIAROLE', AWS_SESSION_TOKEN: 'tok', LAMBDA_TASK_ROOT: '/p/src', _HANDLER: 'app.h' });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SECRET_ACCESS_KEY).toBe('role-secret');
  });
});
