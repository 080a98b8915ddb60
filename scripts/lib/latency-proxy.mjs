// A loopback HTTP proxy in front of the emulator: waits `delayMs` before forwarding each request, and
// records every request (service, action, start, end). Benchmarks read from it how many AWS calls a
// run made and how many round trips deep its critical path was.
import { createServer } from 'node:http';

export async function startLatencyProxy(target, delayMs) {
  const log = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const entry = { what: describe(req, body), start: performance.now(), end: 0 };
      log.push(entry);
      await new Promise((r) => setTimeout(r, delayMs));
      try {
        const headers = { ...req.headers };
        delete headers['content-length'];
        const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body: ['GET', 'HEAD'].includes(req.method) ? undefined : body });
        const out = Buffer.from(await answer.arrayBuffer());
        const h = Object.fromEntries(answer.headers);
        delete h['content-encoding'];
        delete h['transfer-encoding'];
        h['content-length'] = String(out.length);
        res.writeHead(answer.status, h);
        res.end(out);
      } catch (error) {
        res.writeHead(502);
        res.end(String(error));
      } finally {
        entry.end = performance.now();
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    log,
    reset: () => log.splice(0),
    close: () => new Promise((r) => server.close(r)),
  };
}

/** `IAM GetRole`, `Lambda GET /2015-03-31/functions/`, `secretsmanager.DescribeSecret`, ... */
function describe(req, body) {
  const target = req.headers['x-amz-target'];
  if (target) return String(target);
  const action = /(?:^|&)Action=([^&]+)/.exec(body.toString('utf8'))?.[1];
  if (action) return action;
  return `${req.method} ${req.url.split('?')[0]}`;
}

/** The longest chain of requests each starting after the previous one ended: the run's round-trip depth. */
export function roundTripDepth(log) {
  const sorted = [...log].sort((a, b) => a.end - b.end);
  const depth = [];
  sorted.forEach((r, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) if (sorted[j].end <= r.start) best = Math.max(best, depth[j]);
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}
