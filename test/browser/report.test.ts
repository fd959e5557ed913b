// The audit report in a real browser, with every network request refused: Debian's chromium opens
// the HTML file a diff wrote and must draw its three charts from the inlined Chart.js. Skips without
// /usr/bin/chromium, except under CI=true. Saves a screenshot under .tmp/screenshots/.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { diffRevisions } from '../../engine/audit/diff.js';
import { auditLines, Tally } from '../../engine/audit/findings.js';
import { ReportCollector } from '../../engine/audit/report.js';
import { chartLibrary } from '../../engine/cli/audit.js';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { event, shippedPolicy } from '../helpers.js';
import { browserNote, launchChromium, noBrowser, SCREENSHOTS, watchedPage } from './browser.js';

it.skipIf(noBrowser)(`the HTML report opens offline in chromium and draws its charts${browserNote}`, async () => {
  const r2 = buildBundle(readPolicyDir(SHIPPED_POLICIES).map((s) => (s.path === 'live-2016/article-16.tiaoli' ? { ...s, text: s.text.replace('for P60D', 'for P90D') } : s))).policy!;
  const events = ['2017-06-01', '2017-07-14', '2018-09-15', '2020-03-02'].flatMap((day, i) =>
    (['content.publish', 'interaction.post', 'feature.launch'] as const).map((type) => ({ ok: true as const, value: event(type, { id: `${type}-${i}`, occurredAt: `${day}T10:00:00+08:00` }) })),
  );
  const tally = new Tally();
  const collector = new ReportCollector();
  for await (const _ of auditLines(diffRevisions((async function* () { yield* events; })(), shippedPolicy(), r2), tally, collector.observe));
  const file = join(mkdtempSync(join(tmpdir(), 'tiaoli-report-')), 'report.html');
  writeFileSync(file, collector.render('Tiaoli diff', tally.summary(), chartLibrary()));

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
    expect(await page.locator('tbody tr').count()).toBe(tally.summary().changed);
    await page.evaluate(`document.querySelector('details').open = true`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
}, 60_000);
