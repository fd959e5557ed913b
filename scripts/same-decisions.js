// `node scripts/same-decisions.js OLD_ROOT [--events 100000] [--seed 1]`: decides the bench's seeded
// events with this checkout's `tiaoli decide` and with the one at OLD_ROOT (another checkout, built),
// each with its own shipped policies, and compares the decisions byte for byte. Only the policy
// digest may differ, and is set aside: it names the bundle's canonical form, which a change of the
// language may change while every decision stays the same. Exit 1 on any other difference.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eventMaker } from './bench-events.js';

const { values, positionals } = parseArgs({ options: { events: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } }, allowPositionals: true });
if (positionals.length !== 1) {
  process.stderr.write('usage: node scripts/same-decisions.js OLD_ROOT [--events N] [--seed S]\n');
  process.exit(2);
}
const roots = { old: resolve(positionals[0]), new: new URL('..', import.meta.url).pathname };
const dir = mkdtempSync(join(tmpdir(), 'tiaoli-same-'));
try {
  const next = eventMaker(Number(values.seed));
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, Array.from({ length: Number(values.events) }, () => JSON.stringify(next())).join('\n') + '\n');
  const decided = (root) => {
    const r = spawnSync(process.execPath, [join(root, 'bin/tiaoli.js'), 'decide', '--policies', join(root, 'policies'), file], { maxBuffer: 2 ** 31 - 1, encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${root}: tiaoli decide exited ${r.status}: ${r.stderr}`);
    const digests = new Set(r.stdout.match(/"digest":"sha256:[0-9a-f]{64}"/g));
    return { lines: r.stdout.replace(/"digest":"sha256:[0-9a-f]{64}"/g, '"digest":"…"').split('\n'), digests: [...digests] };
  };
  const [a, b] = [decided(roots.old), decided(roots.new)];
  const differ = a.lines.flatMap((line, i) => (line === b.lines[i] ? [] : [i]));
  const count = a.lines.length === b.lines.length ? differ.length : Math.max(a.lines.length, b.lines.length);
  process.stdout.write(`${Number(values.events)} events (seed ${values.seed}): ${a.lines.length - 1} and ${b.lines.length - 1} lines, ${count} differ apart from the digest\n`);
  process.stdout.write(`digests: old ${a.digests.join(', ')}; new ${b.digests.join(', ')}\n`);
  if (differ.length > 0) process.stdout.write(`first difference, line ${differ[0] + 1}:\n- ${a.lines[differ[0]]}\n+ ${b.lines[differ[0]]}\n`);
  process.exitCode = count === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
