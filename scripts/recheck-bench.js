// The editor's re-check after a keystroke: the whole shipped bundle checked and compiled again after
// one file changes, the other files' parses reused (what the playground and `tiaoli lsp` do on each
// change). Median of the runs, after warm-up; one JSON line. Runs from dist/ (build first).
//
//   node scripts/recheck-bench.js [--runs 21]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compileSnapshot } from '../dist/engine/bundle.js';
import { readPolicyDir, SHIPPED_POLICIES } from '../dist/engine/load.js';
import { snapshot, update } from '../dist/language/services/index.js';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
const FILE = 'live-2016/article-12.tiaoli';
const text = readFileSync(join(SHIPPED_POLICIES, FILE), 'utf8');
let s = snapshot(readPolicyDir(SHIPPED_POLICIES));
const times = [];
for (let i = -5; i < Number(opts.runs); i++) {
  const start = performance.now();
  s = update(s, [{ path: FILE, text: `${text}# edit ${i}\n` }]);
  if (!compileSnapshot(s)) throw new Error('the edited bundle does not compile');
  if (i >= 0) times.push(performance.now() - start);
}
console.log(JSON.stringify({ recheckMs: Number(times.sort((a, b) => a - b)[times.length >> 1].toFixed(1)) }));
