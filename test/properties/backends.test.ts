// The json-rules-engine backend against the closure compiler: byte-identical decisions, trace facts
// included, on the shipped bundle and on generated bundles, for valid events drawn around every
// boundary of each. A counterexample is shrunk, then written out (the event file, and the policies
// when generated) with the command that reproduces it. `npm run equivalence` runs 10^5 cases.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileJre, decideJre, type JrePolicy } from '../../engine/backends/jre.js';
import { value } from '../../engine/compile.js';
import { buildBundle, decide, type CompiledPolicy, type Event } from '../../engine/index.js';
import { formatDate, restDaysOf } from '../../language/calendar.js';
import type { CheckedBundle } from '../../language/checked.js';
import type { SourceFile } from '../../language/source.js';
import { eventNear } from '../arbitraries.js';
import { event, shippedPolicy, shippedEventTypes } from '../helpers.js';
import { validBundle } from '../policy-arbitraries.js';

const EVENT_TYPES = shippedEventTypes();

/** Cases per property: a fast budget in `npm test`, EQUIVALENCE_RUNS under `npm run equivalence`. */
const RUNS = Number(process.env['EQUIVALENCE_RUNS'] ?? 0) || undefined;
const TIMEOUT = RUNS ? 6 * 3_600_000 : 120_000;
const BIN = new URL('../../bin/tiaoli.js', import.meta.url).pathname;

/**
 * What a bundle's decisions turn on: in-force dates, dates in conditions and outcomes (shifted ones
 * computed), periods, and the event types it has rules for.
 */
function boundaries(checked: CheckedBundle): [dates: string[], periods: string[], types: Event['type'][]] {
  const days = new Set<number>();
  const periods = new Set<string>(['P1D']);
  for (const r of checked.regulations) [r.inForce, r.repealed].forEach((d) => d !== undefined && days.add(d));
  for (const a of checked.articles) [a.from, a.until].forEach((d) => d !== undefined && days.add(d));
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x === null || typeof x !== 'object') return;
    const node = x as Record<string, unknown>;
    if (node['k'] === 'date' || node['k'] === 'shift' || node['k'] === 'moved') {
      // A constant date, however shifted, reads the same from any event; a shifted field reads nothing from none.
      const day = value(node as never, restDaysOf(checked.calendar))({} as Event);
      if (typeof day === 'number') days.add(day);
    }
    if (node['k'] === 'shift') periods.add(node['text'] as string);
    if (node['k'] === 'retain') periods.add(node['periodText'] as string);
    Object.values(node).forEach(walk);
  };
  walk(checked);
  const types = new Set(checked.articles.flatMap((a) => a.rules.flatMap((r) => r.on as Event['type'][])));
  return [[...days].sort((a, b) => a - b).map(formatDate), [...periods].sort(), types.size > 0 ? [...types].sort() : [...EVENT_TYPES]];
}

async function same(policy: CompiledPolicy, jre: JrePolicy, ev: Event): Promise<void> {
  const compiled = JSON.stringify(decide(policy, ev));
  expect(JSON.parse(compiled)).not.toHaveProperty('error');
  const other = JSON.stringify(await decideJre(jre, ev));
  if (other !== compiled) throw new Error(`compiled:          ${compiled}\njson-rules-engine: ${other}`);
}

/**
 * Checks the property; on failure, writes the shrunk counterexample's event file (and its policies)
 * and fails with the event line and the command that decides it with either backend.
 */
async function assertEquivalent<T extends unknown[]>(property: fc.IAsyncProperty<T>, numRuns: number, files: (...args: T) => { events: readonly Event[]; sources?: readonly SourceFile[] }) {
  const details = await fc.check(property, { numRuns });
  if (!details.failed) return;
  const { events, sources } = files(...details.counterexample!);
  const dir = mkdtempSync(join(tmpdir(), 'tiaoli-equivalence-'));
  const eventFile = join(dir, 'events.jsonl');
  const lines = events.map((e) => JSON.stringify(e)).join('\n');
  writeFileSync(eventFile, `${lines}\n`);
  for (const s of sources ?? []) {
    mkdirSync(dirname(join(dir, 'policies', s.path)), { recursive: true });
    writeFileSync(join(dir, 'policies', s.path), s.text);
  }
  const policies = sources ? ` --policies ${join(dir, 'policies')}` : '';
  throw new Error(
    `the backends decide differently (shrunk after ${details.numShrinks} steps, seed ${details.seed}); the event file ${eventFile}:\n${lines}\n` +
      `reproduce: tiaoli decide${policies} ${eventFile}   and   tiaoli decide${policies} --backend jre ${eventFile}\n` +
      `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
  );
}

describe('the json-rules-engine backend decides as the compiled one', () => {
  it(
    'on the shipped bundle, for events around each of its boundaries',
    async () => {
      const policy = shippedPolicy();
      const jre = compileJre(policy.checked, policy.digest);
      await assertEquivalent(fc.asyncProperty(eventNear(...boundaries(policy.checked)), (ev) => same(policy, jre, ev)), RUNS ?? 400, (ev) => ({ events: [ev] }));
    },
    TIMEOUT,
  );

  it(
    'on generated bundles, for events around each one’s boundaries',
    async () => {
      const cases = validBundle.chain((sources) => {
        const built = buildBundle(sources);
        return fc.tuple(fc.constant(sources), fc.constant(built), fc.array(eventNear(...boundaries(built.checked)), { minLength: 1, maxLength: 4 }));
      });
      await assertEquivalent(
        fc.asyncProperty(cases, async ([, built, events]) => {
          expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const policy = built.policy!;
          const jre = compileJre(policy.checked, policy.digest);
          for (const ev of events) await same(policy, jre, ev);
        }),
        RUNS ?? 150,
        ([sources, , events]) => ({ events, sources }),
      );
    },
    TIMEOUT,
  );

  it('through the CLI: `tiaoli decide --backend jre` writes the same lines', () => {
    const events = ['account.register', 'content.publish', 'interaction.post', 'content.flagged', 'record.delete'].map((t) => JSON.stringify(event(t as Event['type'])));
    const input = [...events, '{not json', JSON.stringify({ id: 'bad', type: 'content.publish' })].join('\n');
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'decide', ...args, '-'], { input, encoding: 'utf8' });
    const compiled = run();
    const jre = run('--backend', 'jre');
    expect(compiled.status).toBe(1);
    expect(jre.status).toBe(1);
    expect(jre.stdout.split('\n').filter(Boolean)).toHaveLength(7);
    expect(jre.stdout).toBe(compiled.stdout);
    expect(run('--backend', 'drools').status).toBe(2);
  });
});
