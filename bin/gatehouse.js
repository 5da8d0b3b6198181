#!/usr/bin/env node
// The installed command: runs the compiled CLI (built by `npm install` through the prepare script).
import { runCli } from '../dist/main/cli.js';

runCli(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number' && code !== 0) process.exitCode = code; },
  (error) => { console.error(error instanceof Error ? error.message : String(error)); process.exitCode = 1; },
);
