// The diff report an auditor files, and the provenance of --json: what was compared (names and
// digests), over which selection, how many events, when (SOURCE_DATE_EPOCH) and by which version;
// the changes grouped by kind; each article's text once, in an appendix the rows link to; the diff of
// the policy source; the page in Chinese or English from the vocabulary's names; a day chart with no
// line across days without changes; a print stylesheet. The real CLI where the CLI decides.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { diffRevisions } from '../../engine/audit/diff.js';
import { auditLines, Tally } from '../../engine/audit/findings.js';
import { everyDay, provenance, ReportCollector, sourceDiff } from '../../engine/audit/report.js';
import type { Compared } from '../../engine/audit/run.js';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES, type Event } from '../../engine/index.js';
import { packageVersion } from '../../engine/load.js';
import { event } from '../helpers.js';

const CLI = new URL('../../bin/tiaoli.js', import.meta.url).pathname;
const R1 = readPolicyDir(SHIPPED_POLICIES);
const R2 = R1.map((s) => (s.path === 'live-2016/article-16.tiaoli' ? { ...s, text: s.text.replace('retain content_and_logs for P60D', 'retain content_and_logs for P90D') } : s));
const ART16_ZH = '互联网直播服务提供者应当记录互联网直播服务使用者发布内容和日志信息，保存六十日。';
const EPOCH = 1_764_672_000; // 2025-12-02T10:40:00Z

/** Content published on three days far apart, and events no change touches. */
function events(): Event[] {
  return ['2017-06-01T12:00:00+08:00', '2017-06-04T09:30:00+08:00', '2018-09-15T09:30:00+08:00'].flatMap((occurredAt, d) => [
    event('content.publish', { id: `pub-${d}`, occurredAt }),
    event('interaction.post', { id: `post-${d}`, occurredAt }),
    event('account.register', { id: `reg-${d}`, occurredAt }),
  ]);
}

function r2Dir(dir: string): string {
  const r2 = join(dir, 'r2');
  for (const s of R2) mkdirSync(dirname(join(r2, s.path)), { recursive: true }), writeFileSync(join(r2, s.path), s.text);
  return r2;
}

const run = promisify(execFile);
async function cli(args: string[], env: Record<string, string> = {}): Promise<number> {
  try {
    await run(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
    return 0;
  } catch (e) {
    const err = e as { code: number };
    if (typeof err.code !== 'number') throw e;
    return err.code;
  }
}

/** The report of R1 against R2 over `events()`, rendered in `lang`, made without the CLI. */
async function report(lang: 'zh' | 'en'): Promise<string> {
  const b = buildBundle(R1).policy!;
  const h = buildBundle(R2).policy!;
  const tally = new Tally();
  const collector = new ReportCollector();
  const subjects = (async function* () {
    for (const e of events()) yield { ok: true as const, value: e };
  })();
  for await (const _ of auditLines(diffRevisions(subjects, b, h), tally, collector.observe));
  const compared: Compared = { base: { name: 'policies', digests: [b.digest], sources: R1 }, head: { name: 'r2', digests: [h.digest], sources: R2 } };
  const summary = tally.summary();
  const p = provenance({ command: 'diff', generatedAt: '2025-12-02T10:40:00.000Z', compared, selection: { events: 'events.jsonl' }, events: summary.events, version: '9.9.9' });
  return collector.render(p, summary, compared, lang, '/* chart.js */');
}

/** The text a reader sees: no tags, scripts or attributes. */
const visible = (html: string): string =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<\/?(span|b|code|ins|del|a)\b[^>]*>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('the diff report', () => {
  it('says what it compared: both names and digests, the selection, the number of events, the time and the tool version', async () => {
    const html = await report('en');
    const text = visible(html);
    expect(text).toContain('Base revision');
    expect(text).toContain(buildBundle(R1).policy!.digest);
    expect(text).toContain(buildBundle(R2).policy!.digest);
    expect(text).toMatch(/Events file\s*:\s*events\.jsonl/);
    expect(text).toMatch(/Events\s+9\b/);
    expect(text).toContain('2025-12-02T10:40:00.000Z');
    expect(text).toContain('tiaoli 9.9.9');
  });

  it('groups the changes by kind, each with its count, articles and one example', async () => {
    const html = await report('en');
    const summary = /<table class="groups" id="summary">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    const rows = summary.match(/<tr><td>/g) ?? [];
    // Six changed decisions (publications and posts on three days) of two kinds: in 2017 P60D becomes
    // P90D; in 2018 the head keeps P60D and adds P90D. The larger group first, each with its first event.
    expect(rows).toHaveLength(2);
    expect(summary.match(/<td class="num">(\d+)<\/td>/g)).toEqual(['<td class="num">4</td>', '<td class="num">2</td>']);
    expect(summary.match(/href="#art-live-2016-16"/g)).toHaveLength(2);
    expect(summary.match(/<code>[a-z]+-\d<\/code>/g)).toEqual(['<code>pub-0</code>', '<code>pub-2</code>']);
  });

  it('gives the text of each article once, in an appendix that every row links to', async () => {
    const html = await report('zh');
    expect(html.split(ART16_ZH)).toHaveLength(2);
    const appendix = html.indexOf('id="appendix"');
    expect(html.indexOf(ART16_ZH)).toBeGreaterThan(appendix);
    expect(html).toContain('<section class="article" id="art-live-2016-16">');
    const table = /<table class="rows">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(table.match(/<a href="#art-live-2016-16">/g)).toHaveLength(6);
  });

  it('shows the diff of the policy source between the two revisions', async () => {
    const html = await report('en');
    const section = /<section id="source-diff">([\s\S]*?)<\/section>/.exec(html)![1]!;
    expect(section).toContain('<code>live-2016/article-16.tiaoli</code>');
    expect(section).toContain('<span class="del">-    retain content_and_logs for P60D from occurredAt</span>');
    expect(section).toContain('<span class="add">+    retain content_and_logs for P90D from occurredAt</span>');
    // Only the file that changed.
    expect(section.match(/<figure class="file">/g)).toHaveLength(1);
  });

  it('lists each file added or removed, and says when the sources are the same or there is no one revision to diff', () => {
    const file = (path: string, text: string) => ({ path, text });
    const side = (sources?: ReturnType<typeof file>[]) => ({ name: 'x', digests: [], ...(sources && { sources }) });
    expect(sourceDiff({ base: side([file('a.tiaoli', 'a\n'), file('b.tiaoli', 'b\n')]), head: side([file('a.tiaoli', 'a\n'), file('c.tiaoli', 'c\n')]) })).toEqual([
      { path: 'b.tiaoli', status: 'removed', lines: ['@@ -1,1 +0,0 @@', '-b'] },
      { path: 'c.tiaoli', status: 'added', lines: ['@@ -0,0 +1,1 @@', '+c'] },
    ]);
    expect(sourceDiff({ base: side([file('a.tiaoli', 'a\n')]), head: side([file('a.tiaoli', 'a\n')]) })).toEqual([]);
    expect(sourceDiff({ base: side(), head: side([file('a.tiaoli', 'a\n')]) })).toBeUndefined();
  });

  it('speaks Chinese in a Chinese page and English in an English one, naming records as the vocabulary does', async () => {
    const zh = await report('zh');
    expect(zh).toContain('<html lang="zh-CN">');
    const zhText = visible(zh.slice(0, zh.indexOf('<section id="source-diff">')));
    expect(zhText).toContain('须保存 发布内容和日志信息：P60D 至 2017-07-31 → P90D 至 2017-08-30');
    expect(zhText).not.toMatch(/\bKeep\b|content_and_logs|\buntil\b|Changed decisions/);
    const en = await report('en');
    expect(en).toContain('<html lang="en">');
    const enText = visible(en.slice(0, en.indexOf('<section id="source-diff">')));
    expect(enText).toContain('Keep published content and logs: P60D until 2017-07-31 → P90D until 2017-08-30');
    expect(enText).not.toMatch(/须保存|变化的决定/);
  });

  it('counts every day from the first change to the last, days without changes at zero', () => {
    expect(everyDay({ '2019-02-27': 2, '2019-03-02': 1 })).toEqual({ '2019-02-27': 2, '2019-02-28': 0, '2019-03-01': 0, '2019-03-02': 1 });
    expect(everyDay({})).toEqual({});
  });

  it('draws the day chart over every day, and has a print stylesheet', async () => {
    const html = await report('en');
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { byDay: Record<string, number> };
    const days = Object.keys(data.byDay);
    expect(days[0]).toBe('2017-06-01');
    expect(days.at(-1)).toBe('2018-09-15');
    expect(days).toHaveLength(472);
    expect(data.byDay['2017-06-02']).toBe(0);
    expect(html).toMatch(/@media print \{[\s\S]*@page/);
  });
});

describe('tiaoli diff and replay: --report, --lang and --json', () => {
  it('diff writes the same provenance into the report and the JSON, the time from SOURCE_DATE_EPOCH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiaoli-report-'));
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, events().map((e) => JSON.stringify(e)).join('\n'));
    const r2 = r2Dir(dir);
    const status = await cli(['diff', '--base', SHIPPED_POLICIES, '--head', r2, file, '--report', join(dir, 'r.html'), '--json', join(dir, 'r.json'), '--lang', 'en'], { SOURCE_DATE_EPOCH: String(EPOCH) });
    expect(status).toBe(1);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(json.provenance).toEqual({
      tool: { name: 'tiaoli', version: packageVersion() },
      command: 'diff',
      generatedAt: '2025-12-02T10:40:00.000Z',
      base: { name: SHIPPED_POLICIES, digests: [buildBundle(R1).policy!.digest] },
      head: { name: r2, digests: [buildBundle(R2).policy!.digest] },
      selection: { events: file },
      events: 9,
    });
    expect(json.summary).toMatchObject({ events: 9, changed: 6 });
    expect(json.changes).toMatchObject([
      { kind: 'retention content_and_logs P60D→P90D', count: 4, articles: ['live-2016 16'], example: { eventId: 'pub-0' } },
      { kind: 'retention content_and_logs P60D→P60D,P90D', count: 2, articles: ['live-2016 16'], example: { eventId: 'pub-2' } },
    ]);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<time datetime="2025-12-02T10:40:00.000Z">');
    expect(html).toContain(`tiaoli ${packageVersion()}`);
    expect(html).toContain('<html lang="en">');
  }, 60_000);

  it('replay of a log writes its selection and the revisions that decided into --json, and the log without its password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiaoli-report-'));
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, events().map((e) => JSON.stringify(e)).join('\n'));
    const db = join(dir, 'decisions.sqlite');
    expect(await cli(['decide', '--log', db, file])).toBe(0);
    const r2 = r2Dir(dir);
    const status = await cli(['replay', '--log', db, '--policies', r2, '--from', '2017-06-01', '--to', '2017-06-30', '--type', 'content.publish', '--json', join(dir, 'r.json'), '--report', join(dir, 'r.html')], { SOURCE_DATE_EPOCH: String(EPOCH) });
    expect(status).toBe(1);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(json.provenance).toEqual({
      tool: { name: 'tiaoli', version: packageVersion() },
      command: 'replay',
      generatedAt: '2025-12-02T10:40:00.000Z',
      base: { name: 'logged', digests: [buildBundle(R1).policy!.digest] },
      head: { name: r2, digests: [buildBundle(R2).policy!.digest] },
      selection: { log: db, from: '2017-06-01T00:00:00.000+08:00', to: '2017-06-30T23:59:59.999+08:00', type: 'content.publish' },
      events: 2,
    });
    // One revision decided everything logged, so the report diffs its source against the one replayed under.
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('<span class="add">+    retain content_and_logs for P90D from occurredAt</span>');
  }, 60_000);

  it('refuses a report of one shard, and a SOURCE_DATE_EPOCH that is not seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiaoli-report-'));
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, events().map((e) => JSON.stringify(e)).join('\n'));
    const db = join(dir, 'decisions.sqlite');
    expect(await cli(['decide', '--log', db, file])).toBe(0);
    expect(await cli(['replay', '--log', db, '--shard', '1/2', '--report', join(dir, 'r.html')])).toBe(2);
    expect(await cli(['diff', '--base', SHIPPED_POLICIES, '--head', SHIPPED_POLICIES, file, '--json', join(dir, 'r.json')], { SOURCE_DATE_EPOCH: 'yesterday' })).toBe(2);
  }, 60_000);
});
