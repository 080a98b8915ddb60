// Loaded with `node --import` by the start-up test: records every module URL the process resolves.
import { register } from 'node:module';
register('./trace-imports-hooks.mjs', import.meta.url, { data: { file: process.env.TRACE_IMPORTS_FILE } });
