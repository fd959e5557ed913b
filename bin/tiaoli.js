#!/usr/bin/env node
// Entry point of `npx tiaoli`: runs the compiled CLI (built by `npm install` through `prepare`), as
// bundled by scripts/bundle-cli.js so that it starts fast.
import { main } from '../dist/cli/tiaoli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`tiaoli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
