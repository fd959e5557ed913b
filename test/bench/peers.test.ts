// The bench's peers (scripts/bench-peers.js) decide what Tiaoli decides: on the bench's own seeded
// events, each peer's eleven rules deny exactly where Tiaoli's do (rule by rule, against the trace of
// the whole bundle) and exactly when Tiaoli restricted to those eleven rules refuses. So `npm run
// bench` compares Tiaoli with code that is right, not merely fast. A wrong rule seeded in each peer
// is caught.
import { describe, expect, it } from 'vitest';
import { eventMaker } from '../../scripts/bench-events.js';
import { CEDAR_POLICIES, cedarPeer, handWritten, jrePeer, jreRules, PEER_RULES } from '../../scripts/bench-peers.js';
import { compile } from '../../engine/compile.js';
import { decide, isDecisionError } from '../../engine/index.js';
import { shippedPolicy } from '../helpers.js';

/** The first half of the bench's sample (its seed), parsed from JSON as the bench parses it: every one of the eleven fires in it. */
const next = eventMaker(1);
const events: unknown[] = Array.from({ length: 10_000 }, () => JSON.parse(JSON.stringify(next())));
const ids = new Set(PEER_RULES.map((r) => r.id));
const policy = shippedPolicy();
const rules = policy.checked.articles.flatMap((a) => a.rules);
/** The shipped bundle with only the eleven rules left: it refuses exactly when one of them denies. */
const eleven = compile({ ...policy.checked, articles: policy.checked.articles.map((a) => ({ ...a, rules: a.rules.filter((r) => ids.has(r.id)) })) }, policy.digest);

const expected = events.map((e) => {
  const whole = decide(policy, e);
  const restricted = decide(eleven, e);
  if (isDecisionError(whole) || isDecisionError(restricted)) throw new Error('the bench made an invalid event');
  return { denying: whole.trace.map((t) => t.rule).filter((r) => ids.has(r)).sort(), deny: !restricted.allowed };
});

interface Answers {
  readonly deny: (e: unknown) => boolean | Promise<boolean>;
  readonly denying: (e: unknown) => string[] | Promise<string[]>;
}

/** Where a peer and Tiaoli disagree on the seeded events (the first `limit`). */
async function disagreements(peer: Answers, limit = 5): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < events.length && found.length < limit; i++) {
    const want = expected[i]!;
    const denying = await peer.denying(events[i]);
    const deny = await peer.deny(events[i]);
    if (deny !== want.deny || JSON.stringify(denying) !== JSON.stringify(want.denying)) {
      found.push(`${(events[i] as { id: string }).id}: peer ${deny ? 'denies' : 'allows'} by [${denying.join(', ')}], Tiaoli ${want.deny ? 'denies' : 'allows'} by [${want.denying.join(', ')}]`);
    }
  }
  return found;
}

const byMask = (mask: number) => PEER_RULES.filter((_, i) => mask & (1 << i)).map((r) => r.id).sort();
const handWrittenPeer = (fn: (e: unknown) => number): Answers => ({ deny: (e) => fn(e) !== 0, denying: (e) => byMask(fn(e)) });

describe('the bench’s eleven rules', () => {
  it('are deny rules of the shipped bundle, cited as listed, from all three regulations', () => {
    for (const { id, article } of PEER_RULES) {
      const rule = rules.find((r) => r.id === id);
      expect(rule, id).toBeDefined();
      expect(rule!.outcomes.some((o) => o.k === 'deny'), id).toBe(true);
      const c = rule!.citation;
      expect(`${c.regulation} art. ${c.article}${c.paragraph === undefined ? '' : ` para. ${c.paragraph}`}`).toBe(article);
    }
    expect(new Set(PEER_RULES.map((r) => r.id.split('/')[0]))).toEqual(new Set(['live-2016', 'notice-2018', 'av-2019']));
    expect(ids.size).toBe(11);
  });

  it('each deny on some of the seeded events, and Tiaoli restricted to them refuses where they fire', () => {
    for (const id of ids) expect(expected.filter((x) => x.denying.includes(id)).length, id).toBeGreaterThan(0);
    for (const x of expected) expect(x.deny).toBe(x.denying.length > 0);
  });
});

describe('each peer decides the eleven as Tiaoli does on the seeded events', () => {
  it('the hand-written function', async () => {
    expect(await disagreements(handWrittenPeer(handWritten))).toEqual([]);
  });

  it('cedar-wasm', async () => {
    expect(await disagreements(cedarPeer())).toEqual([]);
  }, 120_000);

  it('json-rules-engine', async () => {
    expect(await disagreements(jrePeer())).toEqual([]);
  }, 120_000);
});

describe('a wrong rule seeded in a peer is caught', () => {
  it('the hand-written function missing notice-2018 art. 4’s storage rule', async () => {
    const storage = PEER_RULES.findIndex((r) => r.id === 'notice-2018/4/no-access-service-without-storage');
    expect(await disagreements(handWrittenPeer((e) => handWritten(e) & ~(1 << storage)), 1)).toHaveLength(1);
  });

  it('cedar with av-2019 art. 9 in force from live-2016’s day', async () => {
    const from = 'context.day >= 18262 && principal.avProvider && !context.content.prohibited.isEmpty()';
    expect(CEDAR_POLICIES).toContain(from);
    const wrong = CEDAR_POLICIES.replace(from, from.replace('18262', '17136'));
    expect(await disagreements(cedarPeer(wrong, 'seeded-wrong-rule'), 1)).toHaveLength(1);
  }, 120_000);

  it('json-rules-engine with live-2016 art. 9 forgetting barrage', async () => {
    const wrong = jreRules();
    const forms = wrong[1]!.conditions.all[2] as { value: string[] };
    expect(forms.value).toContain('barrage');
    forms.value = forms.value.filter((f) => f !== 'barrage');
    expect(await disagreements(jrePeer(wrong), 1)).toHaveLength(1);
  }, 120_000);
});
