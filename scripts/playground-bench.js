// The playground's first load (scripts/playground-load.js): the real service on an ephemeral port,
// Debian's chromium, a fresh browser context each run (nothing cached). Bytes transferred (the
// Performance API's resource timing) and time to interactive (until the first view takes input and
// shows its diagnostic), and until Monaco is ready, median of the runs after one warm-up; one JSON line. Runs from dist/
// (build first); prints nulls without chromium.
//
//   node scripts/playground-bench.js [--runs 5]
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPolicyDir, readTestFiles, SHIPPED_POLICIES } from '../dist/engine/load.js';
import { SqliteLog } from '../dist/engine/log/sqlite.js';
import { buildService } from '../dist/engine/server/app.js';
import { CHROMIUM, firstLoad, launchBrowser } from './playground-load.js';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
if (!existsSync(CHROMIUM)) {
  console.log(JSON.stringify({ firstLoadBytes: null, interactiveMs: null, editorReadyMs: null }));
  process.exit(0);
}
const loaded = loadPolicyDir();
const log = new SqliteLog(join(mkdtempSync(join(tmpdir(), 'tiaoli-playground-bench-')), 'decisions.sqlite'));
const app = await buildService({ policy: loaded.policy, sources: loaded.sources, tests: readTestFiles(SHIPPED_POLICIES), log });
await app.listen({ port: 0, host: '127.0.0.1' });
const browser = await launchBrowser();
try {
  const url = `http://127.0.0.1:${app.server.address().port}/`;
  const runs = [];
  for (let i = -1; i < Number(opts.runs); i++) {
    const r = await firstLoad(browser, url);
    if (i >= 0) runs.push(r);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  console.log(JSON.stringify({ firstLoadBytes: median(runs.map((r) => r.transferBytes)), firstLoadDecodedBytes: median(runs.map((r) => r.decodedBytes)), interactiveMs: Math.round(median(runs.map((r) => r.interactiveMs))), editorReadyMs: Math.round(median(runs.map((r) => r.readyMs))) }));
} finally {
  await browser.close();
  await app.close();
  await log.close();
}
