#!/usr/bin/env node
// Node 22's on-disk compile cache makes every later start faster; Node 20 has none and skips it.
import module from 'node:module';
module.enableCompileCache?.();
await import('../dist/cli/main.js');
