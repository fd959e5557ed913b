// Building uploaded sources in a worker thread: a bundle that compiles, one with errors, and ones that
// run past the time or heap limit, which end in a typed failure while this thread keeps running.
// The thread runs dist/ (npm run build, which `npm test` runs first).
import { describe, expect, it } from 'vitest';
import { buildBundle, decide, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { buildBundleIsolated } from '../../engine/server/compile-worker.js';
import { HEADER, NON_OPERATIVE } from '../../language/diagnostics.js';
import { LIMITS } from '../../language/limits.js';
import { event } from '../helpers.js';

const shipped = readPolicyDir(SHIPPED_POLICIES);
const LIMITS_OK = { timeoutMs: 60_000, maxHeapMb: 256 };

/** Runs `p`, counting the ticks of a 5 ms interval on this thread meanwhile. */
async function ticking<T>(p: Promise<T>): Promise<[T, number]> {
  let ticks = 0;
  const interval = setInterval(() => ticks++, 5);
  try {
    return [await p, ticks];
  } finally {
    clearInterval(interval);
  }
}

describe('buildBundleIsolated', () => {
  it('hands back the checked bundle, compiled here to the policy buildBundle makes', async () => {
    const built = await buildBundleIsolated(shipped, LIMITS_OK);
    const local = buildBundle(shipped).policy!;
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.policy.digest).toBe(local.digest);
    expect(built.policy.checked).toEqual(local.checked);
    const ev = event('content.publish', { content: { id: 'c-1', form: 'live_stream', category: 'news', prohibited: [] } });
    expect(JSON.stringify(decide(built.policy, ev))).toBe(JSON.stringify(decide(local, ev)));
  });

  it('hands back the diagnostics of sources with errors', async () => {
    const sources = shipped.filter((s) => s.path !== 'live-2016/article-12.tiaoli').concat({ path: 'live-2016/article-12.tiaoli', text: `${HEADER}rule r on content.publish then deny\n` });
    const built = await buildBundleIsolated(sources, LIMITS_OK);
    expect(built).toMatchObject({ ok: false, reason: 'invalid' });
    expect(built.ok === false && built.reason === 'invalid' && built.diagnostics.map((d) => `${d.code} ${d.span.start.line}`)).toEqual(['TL040 5']);
  });

  it('stops a build past its time limit, this thread running meanwhile', async () => {
    // Within every checker limit; loading the thread's modules and checking 1,900 rules take seconds.
    const rules = Array.from({ length: 1_900 }, (_, i) => `rule r${i} cites live-2016 article 12 on content.publish when actor.blacklisted or content.reprint then deny\n`).join('');
    const sources = shipped.filter((s) => s.path !== 'live-2016/article-12.tiaoli').concat({ path: 'live-2016/article-12.tiaoli', text: HEADER + rules });
    const [built, ticks] = await ticking(buildBundleIsolated(sources, { timeoutMs: 300, maxHeapMb: 256 }));
    expect(built).toEqual({ ok: false, reason: 'timeout', message: 'building the bundle took longer than 300 ms' });
    expect(ticks).toBeGreaterThan(5);
  });

  it('stops a build past its heap limit', async () => {
    // Forty files just within the size limit: more text than a 16 MB heap holds.
    const big = `${HEADER}${NON_OPERATIVE}#${'…'.repeat(LIMITS.fileChars - HEADER.length - NON_OPERATIVE.length - 2)}\n`;
    const sources = Array.from({ length: 40 }, (_, i) => ({ path: `live-2016/big-${i}.tiaoli`, text: big }));
    const [built, ticks] = await ticking(buildBundleIsolated(sources, { timeoutMs: 60_000, maxHeapMb: 16 }));
    expect(built).toEqual({ ok: false, reason: 'out_of_memory', message: 'building the bundle needed more than 16 MB of heap' });
    expect(ticks).toBeGreaterThan(0);
  });
});
