// Three independent opinions on every decision: the compiled engine, the reference interpreter
// (engine/reference/) and the json-rules-engine backend give byte-identical decisions, trace facts
// included, on the shipped bundle and on generated bundles, for valid events drawn around every
// boundary of each (in-force dates, version boundaries, dates in conditions, period ends, the
// holiday calendar's rest days). A counterexample is shrunk, then written out (the event file, and
// the policies when generated) with the command that reproduces it. `npm run equivalence` runs 10^5 cases.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileJre, decideJre, type JrePolicy } from '../../engine/backends/jre.js';
import { constantDay } from '../../engine/generate.js';
import { buildBundle, decide, type CompiledPolicy, type Decision, type Event } from '../../engine/index.js';
import { interpret } from '../../engine/reference/interpret.js';
import { addPeriod, cstDayOf, formatDate, restDaysOf } from '../../language/calendar.js';
import type { CheckedBundle } from '../../language/checked.js';
import type { SourceFile } from '../../language/source.js';
import { eventNear, rfc3339 } from '../arbitraries.js';
import { event, ninetyDayRevision, shippedPolicy, shippedEventTypes } from '../helpers.js';
import { bundleKeepingOneKindTwice, validBundle } from '../policy-arbitraries.js';

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
      const day = constantDay(node as never, restDaysOf(checked.calendar));
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

/**
 * The days where the holiday calendar's rest changes, in the years `dates` reach: each holiday's
 * first and last day and each weekend day worked for one, so that dates moved past rest days land
 * in, at the edges of and just after every rest.
 */
function restBoundaries(checked: CheckedBundle, dates: readonly string[]): string[] {
  const years = new Set(dates.map((d) => d.slice(0, 4)));
  const days = checked.calendar.years.flatMap((y) => y.holidays.flatMap((h) => [h.from, h.to, ...h.worked])).map(formatDate);
  return [...new Set(days.filter((d) => years.has(d.slice(0, 4))))].sort();
}

/**
 * Deletion events (mostly) whose record is of a kind some rule retains and was made one of its
 * periods (± a day) before the event, at any time of that day: each retention's last day is met
 * from both sides. Undefined when the bundle retains nothing or deletes nothing.
 */
function deletionsNear(checked: CheckedBundle, dates: readonly string[], periods: readonly string[]): fc.Arbitrary<Event> | undefined {
  const deletions = new Map(checked.vocabulary.events.flatMap((e) => (e.deletes ? [[e.type, e.deletes] as const] : [])));
  const retains = checked.articles.flatMap((a) => a.rules.flatMap((r) => r.outcomes.flatMap((o) => (o.k === 'retain' ? [o] : []))));
  if (deletions.size === 0 || retains.length === 0) return undefined;
  const made = fc.record({ retain: fc.constantFrom(...retains), delta: fc.integer({ min: -1, max: 1 }), ms: fc.integer({ min: 0, max: 86_399_999 }), halfHours: fc.integer({ min: -24, max: 28 }) });
  return fc.tuple(eventNear(dates, periods, [...deletions.keys()]), made).map(([ev, m]) => {
    const deletes = deletions.get(ev.type);
    if (!deletes) return ev;
    const day = addPeriod(cstDayOf(ev.occurredAt)!, m.retain.period, -1) + m.delta;
    const created = checked.vocabulary.fields.find((f) => f.path === deletes.created)!.type.t === 'date' ? formatDate(day) : rfc3339(day * 86_400_000 - 8 * 3_600_000 + m.ms, m.halfHours * 30);
    return withField(withField(ev, deletes.kind, m.retain.record), deletes.created, created);
  });
}

/** The event with the field at a dotted path set, the objects on the way copied. */
function withField(ev: Event, path: string, value: unknown): Event {
  const set = (o: Record<string, unknown>, [key, ...rest]: string[]): Record<string, unknown> => ({ ...o, [key!]: rest.length === 0 ? value : set((o[key!] ?? {}) as Record<string, unknown>, rest) });
  return set(ev, path.split('.')) as Event;
}

/** The decision on `ev`, which all three give byte for byte. */
async function decidedAlike(policy: CompiledPolicy, jre: JrePolicy, ev: Event): Promise<Decision> {
  const decision = decide(policy, ev);
  const compiled = JSON.stringify(decision);
  expect(JSON.parse(compiled)).not.toHaveProperty('error');
  const reference = JSON.stringify(interpret(policy.checked, policy.digest, ev));
  const other = JSON.stringify(await decideJre(jre, ev));
  if (reference !== compiled || other !== compiled) throw new Error(`compiled:          ${compiled}\nreference:         ${reference}\njson-rules-engine: ${other}`);
  return decision as Decision;
}

async function same(policy: CompiledPolicy, jre: JrePolicy, ev: Event): Promise<void> {
  await decidedAlike(policy, jre, ev);
}

/**
 * The rule of README "Meaning, precisely", checked on one decision: where it keeps a record kind
 * under more than one period, the entries of that kind whose `until` no other passes say `binding:
 * true` and the others `binding: false`; a kind kept once says nothing; and every fired rule that
 * retains the kind is still cited. Returns how many kinds were kept under several periods.
 */
function bindingHolds(policy: CompiledPolicy, d: Decision): number {
  const day = (r: Decision['retention'][number]) => Date.parse(`${r.until}T00:00:00Z`);
  const kinds = new Set(d.retention.map((r) => r.record));
  let several = 0;
  for (const kind of kinds) {
    const entries = d.retention.filter((r) => r.record === kind);
    if (entries.length === 1) {
      expect(entries[0]).not.toHaveProperty('binding');
      continue;
    }
    several++;
    const latest = Math.max(...entries.map(day));
    expect(entries.map((r) => r.binding)).toEqual(entries.map((r) => day(r) === latest));
    const rules = new Map(policy.checked.articles.flatMap((a) => a.rules.map((r) => [r.id, r] as const)));
    const retaining = d.trace.filter((t) => rules.get(t.rule)!.outcomes.some((o) => o.k === 'retain' && o.record === kind));
    for (const t of retaining) expect(d.citations).toContainEqual(t.citation);
  }
  return several;
}


/**
 * For bundles `bundles` draws, each compiled both ways with one to four events `eventsOf` draws
 * around its boundaries: every bundle compiles, and `check` holds of each event.
 */
async function onGeneratedBundles(
  bundles: fc.Arbitrary<SourceFile[]>,
  eventsOf: (checked: CheckedBundle, near: ReturnType<typeof boundaries>) => fc.Arbitrary<Event>,
  check: (policy: CompiledPolicy, jre: JrePolicy, ev: Event) => Promise<unknown>,
): Promise<void> {
  const cases = bundles.chain((sources) => {
    const built = buildBundle(sources);
    return fc.tuple(fc.constant(sources), fc.constant(built), fc.array(eventsOf(built.checked, boundaries(built.checked)), { minLength: 1, maxLength: 4 }));
  });
  await assertEquivalent(
    fc.asyncProperty(cases, async ([, built, events]) => {
      expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const policy = built.policy!;
      const jre = compileJre(policy.checked, policy.digest);
      for (const ev of events) await check(policy, jre, ev);
    }),
    RUNS ?? 150,
    ([sources, , events]) => ({ events, sources }),
  );
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

describe('the compiled engine, the reference interpreter and json-rules-engine decide alike', () => {
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
    'on the shipped bundle, for events and dates around the rest days of its holiday calendar',
    async () => {
      const policy = shippedPolicy();
      const jre = compileJre(policy.checked, policy.digest);
      const [dates, periods, types] = boundaries(policy.checked);
      await assertEquivalent(fc.asyncProperty(eventNear(restBoundaries(policy.checked, dates), periods, types), (ev) => same(policy, jre, ev)), RUNS ?? 300, (ev) => ({ events: [ev] }));
    },
    TIMEOUT,
  );

  it(
    'on the shipped bundle, for deletions of records around the last day each retention keeps them',
    async () => {
      const policy = shippedPolicy();
      const jre = compileJre(policy.checked, policy.digest);
      const [dates, periods] = boundaries(policy.checked);
      await assertEquivalent(fc.asyncProperty(deletionsNear(policy.checked, dates, periods)!, (ev) => same(policy, jre, ev)), RUNS ?? 300, (ev) => ({ events: [ev] }));
    },
    TIMEOUT,
  );

  it(
    'on generated bundles, for events around each one’s boundaries',
    async () => {
      await onGeneratedBundles(
        validBundle,
        (checked, [dates, periods, types]) => {
          const near = fc.oneof({ weight: 3, arbitrary: fc.constant(dates) }, { weight: 1, arbitrary: fc.constant([...dates, ...restBoundaries(checked, dates)]) });
          const deletions = deletionsNear(checked, dates, periods);
          return near.chain((d) => (deletions ? fc.oneof({ weight: 3, arbitrary: eventNear(d, periods, types) }, { weight: 1, arbitrary: deletions }) : eventNear(d, periods, types)));
        },
        same,
      );
    },
    TIMEOUT,
  );

  it(
    'where rules keep one record kind for different periods, on generated bundles: the latest `until` binds, the others are met by it, every rule cited',
    async () => {
      let several = 0;
      await onGeneratedBundles(
        bundleKeepingOneKindTwice,
        (checked, [dates, periods, types]) => {
          const deletions = deletionsNear(checked, dates, periods);
          return deletions ? fc.oneof(eventNear(dates, periods, types), deletions) : eventNear(dates, periods, types);
        },
        async (policy, jre, ev) => void (several += bindingHolds(policy, await decidedAlike(policy, jre, ev))),
      );
      expect(several, 'some decisions keep one kind under several periods').toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'where rules keep one record kind for different periods, on the P90D head revision: ninety days bind over sixty, on publications, posts and deletions alike',
    async () => {
      const policy = ninetyDayRevision();
      const jre = compileJre(policy.checked, policy.digest);
      const [dates, periods] = boundaries(policy.checked);
      let several = 0;
      const events = fc.oneof(eventNear(dates, periods, ['content.publish', 'interaction.post']), deletionsNear(policy.checked, dates, periods)!);
      await assertEquivalent(
        fc.asyncProperty(events, async (ev) => {
          const d = await decidedAlike(policy, jre, ev);
          several += bindingHolds(policy, d);
          const kept = d.retention.filter((r) => r.record === 'content_and_logs');
          if (kept.length === 2) {
            expect(kept.find((r) => r.binding)?.period).toBe('P90D');
            expect(d.citations).toEqual(expect.arrayContaining([{ regulation: 'live-2016', article: 16, paragraph: 1 }, { regulation: 'notice-2018', article: 4, paragraph: 3 }]));
          }
        }),
        RUNS ?? 300,
        (ev) => ({ events: [ev] }),
      );
      expect(several, 'some decisions keep content and logs under both periods').toBeGreaterThan(0);
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
