// Definitions are tested once per event, traced or not: a chain `define d_i as d_{i-1} and (d_{i-1} or …)`
// costs work linear in its depth to decide and to explain, not 2^depth. Work is counted as reads of
// the one field the chain rests on (an accessor on the event), so no clock decides these tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type CompiledPolicy } from '../../engine/compile.js';
import { interpret } from '../../engine/reference/interpret.js';
import { digestOf } from '../../engine/bundle.js';
import { evaluate } from '../../engine/evaluate.js';
import { explain } from '../../engine/explain.js';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES, type Event } from '../../engine/index.js';
import { check } from '../../language/check.js';
import type { Cond } from '../../language/checked.js';
import { HEADER } from '../../language/diagnostics.js';
import { parseFile } from '../../language/parse.js';
import { anyEvent, eventNear } from '../arbitraries.js';
import { event, fixtures, shippedPolicy } from '../helpers.js';
import { DATES, PERIODS, validBundle } from '../policy-arbitraries.js';

const ARTICLE_12 = 'live-2016/article-12.tiaoli';

/**
 * The shipped bundle with article 12 replaced by a rule on a chain of `depth` definitions, compiled
 * even past the checker's work limit (TL035): the engine must stay linear without it.
 */
function chained(depth: number): CompiledPolicy {
  // Each link used twice, in two different conditions (`x and x` could be folded to `x`, hiding the work).
  const defs = Array.from({ length: depth }, (_, i) => `define d${i + 1} as d${i} and (d${i} or actor.blacklisted)\n`).join('');
  const text = `${HEADER}define d0 as not actor.agreementSigned\n${defs}rule chained cites live-2016 article 12 on content.publish when d${depth} then deny\n`;
  const sources = readPolicyDir(SHIPPED_POLICIES).filter((s) => s.path !== ARTICLE_12).concat({ path: ARTICLE_12, text });
  const { bundle, diagnostics } = check({ files: sources.map((s) => parseFile(s).ast) });
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['TL035']);
  // The checker refused the rule and cut its condition: restore it, as if the checker had let it through.
  const when: Cond = { k: 'ref', name: `d${depth}` };
  const articles = bundle.articles.map((a) => ({ ...a, rules: a.rules.map((r) => (r.name === 'chained' ? { ...r, when } : r)) }));
  return compile({ ...bundle, articles }, digestOf(bundle));
}

/** A publication by a publisher who has not signed the agreement, counting reads of that fact. */
function counted(): { ev: Event; reads: () => number } {
  let reads = 0;
  const ev = event('content.publish', { actor: { ...fixtures.publisher, verified: [...fixtures.publisher.verified] } });
  // On the event's own actor, after `event` has copied its overrides (a copy would read the accessor once and keep the value).
  Object.defineProperty(ev.actor, 'agreementSigned', { enumerable: true, get: () => (reads++, false) });
  return { ev, reads: () => reads };
}

describe('a chain of definitions 24 deep (2^24 uses of its last link)', () => {
  const policy = chained(24);

  it('is decided with its trace facts reading the field a few times', () => {
    const { ev, reads } = counted();
    const d = evaluate(policy, ev);
    expect(d.trace.find((t) => t.rule === 'live-2016/12/chained')?.facts).toEqual({ 'actor.agreementSigned': false });
    expect(reads()).toBeLessThan(10);
  });

  it('is explained, its remedy found and checked, reading the field a few times', () => {
    const { ev, reads } = counted();
    const x = explain(policy, ev);
    expect(x.remedies.find((r) => r.rule === 'live-2016/12/chained')?.changes).toEqual([{ path: 'actor.agreementSigned', set: true }]);
    expect(reads()).toBeLessThan(20);
  });
});

/** Each fired rule's facts as the reference interpreter reads them: rule by rule, nothing remembered from other rules. */
function aloneFacts(policy: CompiledPolicy, ev: Event): Record<string, Record<string, unknown>> {
  return Object.fromEntries(interpret(policy.checked, policy.digest, ev).trace.map((t) => [`${t.file} ${t.rule}`, t.facts]));
}

describe('traced decisions with definitions remembered', () => {
  const same = (policy: CompiledPolicy, ev: Event) => {
    const alone = aloneFacts(policy, ev);
    for (const t of evaluate(policy, ev).trace) expect(Object.entries(t.facts).sort()).toEqual(Object.entries(alone[`${t.file} ${t.rule}`]!).sort());
  };

  it('note the facts each rule reads on its own, for random events on the shipped bundle', () => {
    fc.assert(fc.property(anyEvent, (ev) => same(shippedPolicy(), ev)), { numRuns: 300 });
  });

  it('and for random bundles whose definitions use one another', () => {
    const events = fc.array(eventNear([...DATES], [...PERIODS]), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(validBundle, events, (sources, evs) => {
        const policy = buildBundle(sources).policy!;
        evs.forEach((ev) => same(policy, ev));
      }),
      { numRuns: 100 },
    );
  });
});
