// diffDecisions field by field, on revisions that differ in one outcome each: a label, an
// obligation's due date, a verification; and the quick check for unchanged decisions agrees with the
// full comparison on random events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffDecisions } from '../../engine/audit/diff.js';
import { evaluateOutcome } from '../../engine/evaluate.js';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES, type CompiledPolicy, type Event } from '../../engine/index.js';
import { anyEvent, eventNear } from '../arbitraries.js';
import { decideShipped, event, laterFixtures, shippedPolicy } from '../helpers.js';

/** The shipped policies with one file's text edited; the edit must apply. */
function revised(file: string, from: string, to: string): CompiledPolicy {
  const sources = readPolicyDir(SHIPPED_POLICIES).map((s) => {
    if (s.path !== file) return s;
    expect(s.text).toContain(from);
    return { ...s, text: s.text.replace(from, to) };
  });
  const { policy, diagnostics } = buildBundle(sources);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return policy!;
}

const diff = (ev: Event, head: CompiledPolicy) =>
  diffDecisions(ev.type, { decision: decideShipped(ev), policy: shippedPolicy() }, { decision: decideShipped(ev, head), policy: head });

describe('diffDecisions', () => {
  it('names a label added and removed, with the article behind it', () => {
    const head = revised('av-2019/article-11.tiaoli', 'require label synthetic_content', 'require label platform_identification');
    const ev = event('content.publish', { occurredAt: '2021-03-01T10:00:00+08:00', provider: laterFixtures.avProvider, content: { ...laterFixtures.video, synthetic: true, untrue: true, conspicuousLabel: true } });
    expect(diff(ev, head)).toEqual([
      { field: 'labeling', code: 'platform_identification', change: 'added', articles: ['av-2019 11'] },
      { field: 'labeling', code: 'synthetic_content', change: 'removed', articles: ['av-2019 11'] },
    ]);
  });

  it('shows an obligation whose due date moves, both sides, with its article', () => {
    const head = revised('notice-2018/article-01.tiaoli', 'due provider.launchedAt plus P30D', 'due provider.launchedAt plus P60D');
    const ev = event('access.request', { occurredAt: '2019-03-01T10:00:00+08:00', provider: { launchedAt: '2019-02-01' } });
    const changes = diff(ev, head);
    expect(changes).toEqual([
      {
        field: 'obligations',
        code: 'public_security_filing',
        base: [{ code: 'public_security_filing', due: '2019-03-04' }],
        head: [{ code: 'public_security_filing', due: '2019-04-02' }],
        articles: ['notice-2018 1'],
      },
    ]);
  });

  it('is empty for the same decision, and for a revision that changes nothing the event touches', () => {
    const head = revised('live-2016/article-16.tiaoli', 'for P60D', 'for P90D');
    const ev = event('feature.launch');
    expect(diff(ev, head)).toEqual([]);
    expect(diff(ev, shippedPolicy())).toEqual([]);
  });

  it('finds no change exactly when every compared field agrees (the quick check agrees with the full one)', () => {
    const head = revised('live-2016/article-16.tiaoli', 'for P60D', 'for P90D');
    const outcome = (d: ReturnType<typeof decideShipped>) =>
      JSON.stringify([d.allowed, d.verification, d.labeling, d.disposal, d.retention, d.obligations, d.citations, d.trace.map((t) => t.rule)]);
    fc.assert(
      fc.property(fc.oneof(anyEvent, eventNear(['2016-12-01', '2018-08-01', '2020-01-01'], ['P60D', 'P90D'])), (ev) => {
        const [b, h] = [evaluateOutcome(shippedPolicy(), ev), evaluateOutcome(head, ev)];
        const changes = diffDecisions(ev.type, { decision: b, policy: shippedPolicy() }, { decision: h, policy: head });
        expect(changes.length === 0).toBe(outcome(b) === outcome(h));
      }),
      { numRuns: 500 },
    );
  });
});
