// Replay of decisions logged before retentions said which binds (the `binding` contract extension):
// the marks are a function of the entries such a decision has, so it replays as the same; a logged
// decision that has the marks must match them, and a real change is still found.
import { describe, expect, it } from 'vitest';
import { replay } from '../../engine/audit/replay.js';
import { decide, type CompiledPolicy, type Decision } from '../../engine/index.js';
import type { LogEntry } from '../../engine/log/log.js';
import { event, ninetyDayRevision } from '../helpers.js';

const policy = ninetyDayRevision();
const ev = event('content.publish', { id: 'pub', occurredAt: '2019-03-01T10:00:00+08:00' });
const now = decide(policy, ev) as Decision;
const unmarked: Decision = { ...now, retention: now.retention.map(({ binding: _, ...r }) => r) };

const entry = (decision: Decision): LogEntry => ({ seq: 1, eventId: ev.id, type: ev.type, occurredAt: ev.occurredAt, decidedAt: '2019-03-01T02:00:00Z', digest: policy.digest, event: ev, decision });

async function replayed(decision: Decision) {
  async function* one() {
    yield entry(decision);
  }
  const out = [];
  for await (const o of replay(one(), { kind: 'logged' }, async (): Promise<CompiledPolicy> => policy)) out.push(o);
  return out;
}

describe('replay of a decision that keeps one record kind under two periods', () => {
  it('reproduces the decision as logged now, with its binding marks', async () => {
    expect(now.retention.filter((r) => r.record === 'content_and_logs').map((r) => r.binding)).toEqual([false, true]);
    expect(await replayed(now)).toEqual([{ kind: 'same' }]);
  });

  it('finds one logged before the marks existed the same: they say nothing its entries did not', async () => {
    expect(JSON.stringify(unmarked)).not.toContain('binding');
    expect(await replayed(unmarked)).toEqual([{ kind: 'same' }]);
  });

  it('still finds a real change in one logged before the marks, and marks that disagree', async () => {
    const other = { ...unmarked, retention: unmarked.retention.map((r) => (r.period === 'P90D' ? { ...r, until: '2019-05-31' } : r)) };
    const [changed] = await replayed(other);
    expect(changed).toMatchObject({ kind: 'changed', finding: { changes: [{ field: 'retention', record: 'content_and_logs' }] } });
    const wrong = { ...now, retention: now.retention.map((r) => (r.binding === undefined ? r : { ...r, binding: !r.binding })) };
    expect((await replayed(wrong))[0]).toMatchObject({ kind: 'changed', finding: { changes: [{ field: 'retention', record: 'content_and_logs' }] } });
  });
});
