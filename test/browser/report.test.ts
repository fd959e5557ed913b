// The audit report in a real browser, with every network request refused: Debian's chromium opens
// the HTML file a diff of the shipped policies against a P90D revision wrote, must draw its three
// charts from the inlined Chart.js, and prints it to a PDF whose text (read back with pdf.js) shows
// the provenance, the summary and the source diff. Skips without /usr/bin/chromium, except under
// CI=true. Saves a screenshot and the PDF (with a picture of its first page) under .tmp/screenshots/.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { diffRevisions } from '../../engine/audit/diff.js';
import { auditLines, Tally } from '../../engine/audit/findings.js';
import { provenance, ReportCollector } from '../../engine/audit/report.js';
import type { Compared } from '../../engine/audit/run.js';
import { chartLibrary } from '../../engine/cli/audit.js';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { event, shippedPolicy } from '../helpers.js';
import { browserNote, launchChromium, noBrowser, SCREENSHOTS, watchedPage } from './browser.js';

it.skipIf(noBrowser)(`the HTML report opens offline in chromium, draws its charts and prints to a legible PDF${browserNote}`, async () => {
  const r1Sources = readPolicyDir(SHIPPED_POLICIES);
  const r2Sources = r1Sources.map((s) => (s.path === 'live-2016/article-16.tiaoli' ? { ...s, text: s.text.replace('for P60D', 'for P90D') } : s));
  const r2 = buildBundle(r2Sources).policy!;
  const events = ['2017-06-01', '2017-07-14', '2018-09-15', '2020-03-02'].flatMap((day, i) =>
    (['content.publish', 'interaction.post', 'feature.launch'] as const).map((type) => ({ ok: true as const, value: event(type, { id: `${type}-${i}`, occurredAt: `${day}T10:00:00+08:00` }) })),
  );
  const tally = new Tally();
  const collector = new ReportCollector();
  for await (const _ of auditLines(diffRevisions((async function* () { yield* events; })(), shippedPolicy(), r2), tally, collector.observe));
  const file = join(mkdtempSync(join(tmpdir(), 'tiaoli-report-')), 'report.html');
  const compared: Compared = { base: { name: 'policies', digests: [shippedPolicy().digest], sources: r1Sources }, head: { name: 'policies-p90d', digests: [r2.digest], sources: r2Sources } };
  const summary = tally.summary();
  const p = provenance({ command: 'diff', generatedAt: '2025-12-02T10:40:00.000Z', compared, selection: { events: 'events.jsonl' }, events: summary.events, version: '0.1.0' });
  writeFileSync(file, collector.render(p, summary, compared, 'zh', chartLibrary()));

  const browser = await launchChromium({ width: 1280, height: 900 });
  try {
    const refused: string[] = [];
    await browser.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (refused.push(route.request().url()), route.abort())));
    const { page, errors } = await watchedPage(browser);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts="3"]', { timeout: 10_000 });
    // Each chart drew something: its canvas has painted pixels.
    // Evaluated in the page (as text: the tests are type-checked without the DOM library).
    const painted = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    })`)) as number[];
    expect(painted).toHaveLength(3);
    for (const n of painted) expect(n).toBeGreaterThan(500);
    expect(errors).toEqual([]);
    expect(refused).toEqual([]);
    expect(await page.locator('table.rows tbody tr').count()).toBe(tally.summary().changed);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-report.png'), fullPage: true });

    // Printed: A4 pages whose text is the report's, in reading order.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(join(SCREENSHOTS, 'audit-report.pdf'), pdf);
    const pages = await pdfText(pdf);
    expect(pages.length).toBeGreaterThan(1);
    const first = pages[0]!;
    // A digest may break across lines of the page.
    for (const digest of [shippedPolicy().digest, r2.digest]) expect(first.replace(/\s+/g, '')).toContain(digest);
    for (const words of ['两个版本决定差异的审计报告', '比较了什么', '基准版本', '对比版本', '事件文件', '2025-12-02T10:40:00.000Z', 'tiaoli 0.1.0', '变化概览', '须保存', '发布内容和日志信息']) expect(first).toContain(words);
    const all = pages.join('\n');
    expect(all).toContain('政策源文件差异');
    expect(all).toMatch(/-\s*retain content_and_logs for P60D from occurredAt\n\+\s*retain content_and_logs for P90D from occurredAt/);
    // Read back through NFKC, full-width punctuation is the ASCII one.
    expect(all).toContain('附录:条款原文');
    expect(all).toContain('互联网直播服务提供者应当记录互联网直播服务使用者发布内容和日志信息,保存六十日。');
    // The charts fit the page: each printed canvas is no wider than the A4 text column (210 mm less margins, in CSS px).
    await page.emulateMedia({ media: 'print' });
    const widths = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().width)`)) as number[];
    for (const w of widths) expect(w).toBeLessThanOrEqual(1280);
    await page.setViewportSize({ width: 680, height: 960 });
    const printed = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().right)`)) as number[];
    for (const right of printed) expect(right).toBeLessThanOrEqual(680);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-report-print.png'), fullPage: false });
  } finally {
    await browser.close();
  }
}, 90_000);

/** The text of each page of a PDF, its items joined as pdf.js reads them. */
async function pdfText(pdf: Buffer): Promise<string[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false });
  const doc = await task.promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    // NFKC: the CJK font's ToUnicode map names some ideographs by their Kangxi radical (⽐ for 比).
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('').normalize('NFKC'));
  }
  await task.destroy();
  return pages;
}
