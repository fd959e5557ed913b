// Versions, repeal and the record-deletion reading of `retain`, on small hand-made bundles.
import { describe, expect, it } from 'vitest';
import { vocabularySource } from '../helpers.js';
import { buildBundle, decide, type CompiledPolicy, type Decision } from '../../engine/index.js';

const regulation = (extra = '') => ({
  path: 'demo/regulation.tiaoli',
  text: `regulation demo title zh "示例" in force from 2020-01-01 ${extra} articles 2`,
});
const article = (n: number, version: number, period: string, body: string) => ({
  path: `demo/article-${n}.v${version}.tiaoli`,
  text: `article ${n} of demo version ${version} in effect from ${period}\nparagraph 1 zh "……"\n${body}\n`,
});

function compile(...files: { path: string; text: string }[]): CompiledPolicy {
  const r = buildBundle([vocabularySource(), ...files]);
  if (!r.policy) throw new Error(r.diagnostics.map((d) => `${d.span.file}:${d.span.start.line} ${d.message}`).join('\n'));
  return r.policy;
}

const publish = (occurredAt: string, extra: Record<string, unknown> = {}) => ({
  id: 'e',
  type: 'content.publish',
  occurredAt,
  provider: { id: 'p', services: [], businesses: [] },
  actor: { id: 'a' },
  content: { id: 'c', form: 'video', category: 'general' },
  ...extra,
});

const decided = (policy: CompiledPolicy, ev: unknown): Decision => decide(policy, ev) as Decision;

describe('article versions', () => {
  const policy = compile(
    regulation(),
    article(1, 1, '2020-01-01 until 2021-01-01', 'rule old cites demo article 1 on content.publish then take warn'),
    article(1, 2, '2021-01-01', 'rule new cites demo article 1 on content.publish then take remove_content'),
    article(2, 1, '2020-01-01', 'non-operative because "demo"'),
  );

  it('applies the version in effect on the event’s CST date', () => {
    expect(decided(policy, publish('2020-12-31T15:59:59Z')).disposal).toEqual(['warn']);
    expect(decided(policy, publish('2020-12-31T16:00:00Z')).disposal).toEqual(['remove_content']);
    expect(decided(policy, publish('2020-12-31T16:00:00Z')).policy.articles).toEqual([{ file: 'demo/article-1.v2.tiaoli', regulation: 'demo', article: 1, version: 2 }]);
  });

  it('applies nothing before the regulation is in force', () => {
    expect(decided(policy, publish('2019-12-31T15:59:59Z')).trace).toEqual([]);
    expect(decided(policy, publish('2019-12-31T16:30:00Z')).disposal).toEqual(['warn']);
  });

  it('applies nothing from the day the regulation is repealed', () => {
    const repealed = compile(
      regulation('repealed on 2022-06-01'),
      article(1, 1, '2020-01-01', 'rule r cites demo article 1 on content.publish then deny'),
      article(2, 1, '2020-01-01', 'non-operative because "demo"'),
    );
    expect(decided(repealed, publish('2022-05-31T15:59:59Z')).allowed).toBe(false);
    expect(decided(repealed, publish('2022-05-31T16:00:00Z')).allowed).toBe(true);
  });

  it('keeps unknown event fields and ignores them', () => {
    const withExtra = publish('2021-03-01T00:00:00Z', { platformTag: 'x', provider: { id: 'p', services: [], businesses: [], region: 'sh' } });
    const { eventId, ...a } = decided(policy, withExtra);
    const { eventId: _, ...b } = decided(policy, publish('2021-03-01T00:00:00Z'));
    expect(eventId).toBe('e');
    expect(a).toEqual(b);
  });
});

describe('retention and record.delete', () => {
  const policy = compile(
    regulation(),
    article(1, 1, '2020-01-01', 'rule keep cites demo article 1 on content.publish, record.delete then retain content_and_logs for P6M from occurredAt'),
    article(2, 1, '2020-01-01', 'rule logs cites demo article 2 on record.delete then retain network_logs for P60D from occurredAt'),
  );
  const del = (kind: string, createdAt: string, occurredAt: string) => decided(policy, { id: 'd', type: 'record.delete', occurredAt, provider: { id: 'p', services: [], businesses: [] }, record: { kind, createdAt } });

  it('computes until from the event’s CST date on the calendar', () => {
    expect(decided(policy, publish('2021-08-31T16:00:00Z')).retention).toEqual([{ record: 'content_and_logs', period: 'P6M', until: '2022-03-01' }]);
    expect(decided(policy, publish('2021-08-31T15:00:00Z')).retention).toEqual([{ record: 'content_and_logs', period: 'P6M', until: '2022-02-28' }]);
  });

  it('refuses deletion through the last day of the period and allows it the day after', () => {
    expect(del('content_and_logs', '2021-01-15T10:00:00+08:00', '2021-07-15T23:59:59+08:00')).toMatchObject({ allowed: false, retention: [{ record: 'content_and_logs', until: '2021-07-15' }] });
    expect(del('content_and_logs', '2021-01-15T10:00:00+08:00', '2021-07-16T00:00:00+08:00')).toMatchObject({ allowed: true, retention: [], citations: [] });
  });

  it('applies only the retention that covers the kind of record being deleted', () => {
    const d = del('network_logs', '2021-01-15T10:00:00+08:00', '2021-02-01T00:00:00+08:00');
    expect(d.allowed).toBe(false);
    expect(d.retention).toEqual([{ record: 'network_logs', period: 'P60D', until: '2021-03-16' }]);
    expect(d.citations).toEqual([{ regulation: 'demo', article: 2 }]);
  });
});
