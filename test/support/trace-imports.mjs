// Loaded with `node --import` by the start-up test: records every module the process loads, ES modules
// (as resolved URLs, through a resolve hook) and CommonJS ones (as file paths, through Module._load,
// which the resolve hook does not see on Node 20).
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const file = process.env.TRACE_IMPORTS_FILE;
register('./trace-imports-hooks.mjs', import.meta.url, { data: { file } });
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (file) {
    let where = request;
    try {
      where = Module._resolveFilename(request, parent, isMain);
    } catch {
      // Left as the request: the load itself reports the error.
    }
    appendFileSync(file, `${where}\n`);
  }
  return load.apply(this, arguments);
};
