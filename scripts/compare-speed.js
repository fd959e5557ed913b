// `node scripts/compare-speed.js OLD_ROOT [--events 20000] [--windows 24]`: the compiled engine of
// this checkout and of the one at OLD_ROOT (another checkout, built) in one process, deciding the
// bench's seeded events in alternating windows, so that a change of the host's speed (this shared
// machine's varies by a third) falls on both alike. Prints both rates and their ratio.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eventMaker } from './bench-events.js';

const { values, positionals } = parseArgs({ options: { events: { type: 'string', default: '20000' }, windows: { type: 'string', default: '24' } }, allowPositionals: true });
if (positionals.length !== 1) {
  process.stderr.write('usage: node scripts/compare-speed.js OLD_ROOT [--events N] [--windows W]\n');
  process.exit(2);
}
const load = async (root) => {
  const engine = await import(`${root}/dist/engine/index.js`);
  return { ...engine, policy: engine.loadPolicyDir(`${root}/policies`).policy };
};
const sides = { old: await load(resolve(positionals[0])), new: await load(new URL('..', import.meta.url).pathname) };
const next = eventMaker(1);
const events = Array.from({ length: Number(values.events) }, () => next());
// Decided once through the front door first: events are valid, and both engines warm.
for (const s of Object.values(sides)) for (const e of events) s.decide(s.policy, e);
const ms = { old: 0, new: 0 };
for (let w = 0; w < Number(values.windows); w++) {
  for (const k of w % 2 ? ['old', 'new'] : ['new', 'old']) {
    const { evaluate, policy } = sides[k];
    const t = performance.now();
    for (const e of events) evaluate(policy, e);
    ms[k] += performance.now() - t;
  }
}
const rate = (k) => Math.round((Number(values.windows) * events.length) / (ms[k] / 1000));
process.stdout.write(`old ${rate('old')} decisions/s, new ${rate('new')} decisions/s, new/old ${(rate('new') / rate('old')).toFixed(3)}\n`);
