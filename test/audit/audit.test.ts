// Replay and diff end to end, on each backend: a real service decides under revision R1 into a
// real log, R2 is loaded through the admin route, then the real CLI (and the HTTP routes) replay
// and diff that log. R2 keeps content and logs ninety days instead of sixty (live-2016 art. 16).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES, type Decision, type Event } from '../../engine/index.js';
import type { DecisionLog } from '../../engine/log/log.js';
import { openLog } from '../../engine/log/open.js';
import { BACKENDS, type Backend } from '../backends.js';
import { event, laterFixtures, shippedPolicy } from '../helpers.js';
import { testService } from '../server/harness.js';

const TOKEN = 'audit-test-token';
const CLI = new URL('../../bin/tiaoli.js', import.meta.url).pathname;
const R1 = readPolicyDir(SHIPPED_POLICIES);
const R2 = R1.map((s) => (s.path === 'live-2016/article-16.tiaoli' ? { ...s, text: s.text.replace('retain content_and_logs for P60D', 'retain content_and_logs for P90D') } : s));
const R2_DIGEST = buildBundle(R2).policy!.digest;
const R1_DIGEST = shippedPolicy().digest;

/** Events of every type, some under live-2016 art. 16 (R2 changes them), some not. */
function workload(prefix: string): Event[] {
  const days = ['2017-06-01T12:00:00+08:00', '2018-09-15T09:30:00+08:00', '2020-03-02T23:59:00+08:00'];
  const out: Event[] = [];
  days.forEach((occurredAt, d) => {
    out.push(
      event('content.publish', { id: `${prefix}-pub-${d}`, occurredAt }),
      event('interaction.post', { id: `${prefix}-post-${d}`, occurredAt }),
      event('record.delete', { id: `${prefix}-del-${d}`, occurredAt, record: { kind: 'content_and_logs', createdAt: '2017-05-20T12:00:00+08:00' } }),
      event('account.register', { id: `${prefix}-reg-${d}`, occurredAt }),
      event('feature.launch', { id: `${prefix}-feat-${d}`, occurredAt }),
      event('content.publish', { id: `${prefix}-av-${d}`, occurredAt, provider: laterFixtures.avProvider, content: laterFixtures.video }),
    );
  });
  return out;
}

const run = promisify(execFile);
/** The CLI's exit status and its JSON Lines. */
async function cli(args: string[]): Promise<{ status: number; lines: string[] }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { status: 0, lines: stdout.trimEnd().split('\n') };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    if (typeof err.code !== 'number') throw e;
    return { status: err.code, lines: err.stdout.trimEnd().split('\n') };
  }
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parse = (lines: string[]): any[] => lines.map((l) => JSON.parse(l));

function auditSuite(backend: Backend) {
  describe.skipIf(!backend.available)(`replay and diff of a ${backend.name} log${backend.skipNote}`, () => {
    let location: string;
    let drop: () => Promise<void>;
    let log: DecisionLog;
    let app: FastifyInstance;
    let url: string;
    const underR1 = workload('r1');
    const underR2 = workload('r2');
    const logged = new Map<string, Decision>();
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });

    beforeAll(async () => {
      ({ location, drop } = await backend.fresh());
      log = openLog(location);
      await log.activate(R1_DIGEST, R1, new Date().toISOString());
      app = await testService({ policy: shippedPolicy(), sources: R1, log, adminToken: TOKEN });
      await app.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      // Single decisions and a batch under R1, then R2 is put in force, then more decisions.
      for (const ev of underR1.slice(0, 4)) logged.set(ev.id, (await (await post('/v1/decisions', ev)).json()) as Decision);
      for (const d of (await (await post('/v1/decisions/batch', underR1.slice(4))).json()) as Decision[]) logged.set(d.eventId, d);
      expect((await post('/v1/admin/policies', { files: R2 })).status).toBe(200);
      for (const d of (await (await post('/v1/decisions/batch', underR2)).json()) as Decision[]) logged.set(d.eventId, d);
    });
    afterAll(async () => {
      await app.close();
      await log.close();
      await drop();
    });

    it('replays every logged decision exactly under the revision that made it', async () => {
      const { status, lines } = await cli(['replay', '--log', location]);
      expect(parse(lines)).toEqual([{ summary: { events: underR1.length + underR2.length, same: underR1.length + underR2.length, changed: 0, errors: 0, byArticle: {}, byType: {}, byDay: {}, byField: {} } }]);
      expect(status).toBe(0);
    });

    it('diffs R1 and R2: exactly the decisions R2 changes, field by field, with their article', async () => {
      // Independently of the diff: R2 changes the decisions that keep content and logs sixty days.
      const changes = [...underR1, ...underR2].filter((e) => logged.get(e.id)!.retention.some((r) => r.record === 'content_and_logs' && r.period === 'P60D') || logged.get(e.id)!.retention.some((r) => r.period === 'P90D'));
      expect(changes.length).toBeGreaterThan(5);
      expect(changes.length).toBeLessThan(underR1.length + underR2.length);
      const { status, lines } = await cli(['diff', '--base', R1_DIGEST, '--head', R2_DIGEST, '--log', location]);
      expect(status).toBe(1);
      const out = parse(lines);
      const findings = out.slice(0, -1);
      expect(findings.map((f) => f.eventId).sort()).toEqual(changes.map((e) => e.id).sort());
      for (const f of findings) {
        expect(f.articles).toEqual(['live-2016 16']);
        expect(f.changes).toHaveLength(1);
        const [c] = f.changes;
        expect(c).toMatchObject({ field: 'retention', record: 'content_and_logs', articles: ['live-2016 16'] });
        // Sixty days become ninety; from 2018-08-01 notice-2018 section 四 still keeps them sixty.
        const period = (side: { period: string; until: string }[], p: string) => side.find((r) => r.period === p)?.until;
        expect(c.base.map((r: { period: string }) => r.period)).toEqual(['P60D']);
        expect(c.head.map((r: { period: string }) => r.period)).toEqual(f.occurredAt < '2018-08-01' ? ['P90D'] : ['P60D', 'P90D']);
        expect(Date.parse(period(c.head, 'P90D')!) - Date.parse(period(c.base, 'P60D')!)).toBe(30 * 86_400_000);
      }
      expect(out.at(-1).summary).toMatchObject({ events: underR1.length + underR2.length, changed: changes.length, errors: 0, byArticle: { 'live-2016 16': changes.length }, byField: { retention: changes.length } });

      // The same lines over HTTP, and from policy directories over an events file.
      const http = await post('/v1/diff', { base: R1_DIGEST, head: R2_DIGEST });
      expect(http.headers.get('content-type')).toContain('application/x-ndjson');
      expect((await http.text()).trimEnd().split('\n')).toEqual(lines);
      const dir = mkdtempSync(join(tmpdir(), 'tiaoli-r2-'));
      for (const s of R2) mkdirSync(dirname(join(dir, s.path)), { recursive: true }), writeFileSync(join(dir, s.path), s.text);
      const events = join(dir, 'events.jsonl');
      writeFileSync(events, [...underR1, ...underR2].map((e) => JSON.stringify(e)).join('\n'));
      const fromFile = await cli(['diff', '--base', SHIPPED_POLICIES, '--head', dir, events]);
      expect(parse(fromFile.lines).slice(0, -1).map((f) => f.eventId).sort()).toEqual(changes.map((e) => e.id).sort());
    });

    it('replays against R2: only the R1 decisions it changes, selected by time, type and id', async () => {
      const { lines } = await cli(['replay', '--log', location, '--revision', R2_DIGEST]);
      const findings = parse(lines).slice(0, -1);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.eventId.startsWith('r1-') && f.base === R1_DIGEST && f.head === R2_DIGEST)).toBe(true);
      const narrowed = parse((await cli(['replay', '--log', location, '--revision', R2_DIGEST, '--from', '2018-09-15', '--to', '2018-09-15', '--type', 'interaction.post'])).lines);
      expect(narrowed.slice(0, -1).map((f) => f.eventId).sort()).toEqual(['r1-post-1']);
      expect(narrowed.at(-1).summary.events).toBe(2);
      const byId = parse((await cli(['replay', '--log', location, '--id', 'r1-pub-0', '--id', 'r2-pub-0'])).lines);
      expect(byId.at(-1).summary).toMatchObject({ events: 2, same: 2 });
      const http = await post('/v1/replay', { revision: R2_DIGEST });
      expect((await http.text()).trimEnd().split('\n')).toEqual(lines);
      expect((await post('/v1/replay', { revision: `sha256:${'0'.repeat(64)}` })).status).toBe(422);
      expect((await post('/v1/replay', { from: 'someday' })).status).toBe(400);
    });

    it('finds a logged decision that its revision does not reproduce', async () => {
      // In a log of its own: the other tests replay this suite's whole log.
      const own = await backend.fresh();
      const tampered = openLog(own.location);
      const ev = event('content.publish', { id: 'tampered' });
      const honest = logged.get('r1-pub-0')!;
      await tampered.activate(R1_DIGEST, R1, new Date().toISOString());
      await tampered.append([{ eventId: ev.id, type: ev.type, occurredAt: ev.occurredAt, decidedAt: new Date().toISOString(), digest: R1_DIGEST, event: ev, decision: { ...honest, eventId: ev.id, allowed: !honest.allowed, disposal: ['warn'] } }]);
      await tampered.close();
      const { status, lines } = await cli(['replay', '--log', own.location, '--id', 'tampered', '--report', join(mkdtempSync(join(tmpdir(), 'tiaoli-rep-')), 'r.html')]);
      await own.drop();
      expect(status).toBe(1);
      const [f, summary] = parse(lines);
      expect(f.changes.map((c: { field: string }) => c.field)).toEqual(['allowed', 'disposal']);
      expect(f.changes[1]).toMatchObject({ code: 'warn', change: 'removed' });
      expect(summary.summary).toMatchObject({ events: 1, changed: 1 });
    });
  });
}

for (const backend of BACKENDS) auditSuite(backend);

describe('the HTML report', () => {
  it('is one self-contained file: totals, three charts, the changed decisions and their articles in zh and en', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiaoli-rep-'));
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, workload('rep').map((e) => JSON.stringify(e)).join('\n'));
    const r2 = join(dir, 'r2');
    for (const s of R2) mkdirSync(dirname(join(r2, s.path)), { recursive: true }), writeFileSync(join(r2, s.path), s.text);
    await cli(['diff', '--base', SHIPPED_POLICIES, '--head', r2, events, '--report', join(dir, 'report.html')]);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<canvas id="by-article">');
    expect(html).toContain('互联网直播服务提供者应当记录互联网直播服务使用者发布内容和日志信息，保存六十日。');
    expect(html).toContain('keep them for 60 days');
    // Nothing to fetch: no external scripts, styles or images.
    expect(/<script[^>]*\ssrc=|<link\b|<img\b|\b(src|href)="https?:/i.exec(html)).toBeNull();
  });
});
