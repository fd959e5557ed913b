// "What does my edit change?" in a real browser: the playground served by the real service, driven in
// Debian's chromium (as playground.test.ts), runs engine/analysis/compare with Z3 compiled to
// WebAssembly in a worker of the page. The page must be cross-origin isolated for Z3's threads.
// Logs how long each analysis takes; saves screenshots under .tmp/screenshots/. Skips without
// /usr/bin/chromium, except under CI=true.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserNote, noBrowser, openAtEnd, servePlayground, shot, watchedPage } from './browser.js';

/** Loading Z3 (35 MB of WebAssembly) and comparing, on a busy 2-core machine. */
const ANALYSIS_TIMEOUT = 90_000;

describe.skipIf(noBrowser)(`what does my edit change, in chromium${browserNote}`, () => {
  const playground = servePlayground();
  const freshPage = () => playground.freshPage();

  /** Runs the analysis and waits for its summary; answers the time from click to answer, in ms. */
  async function analyse(page: Page, label: string): Promise<number> {
    const start = Date.now();
    await page.click('#what-changes');
    // A failure or a stall says where it stood (the panel shows the stage and the time spent in it).
    const answer = page.locator('#changes .summary, #changes .notice.error');
    await answer.waitFor({ timeout: ANALYSIS_TIMEOUT }).catch(async (e: Error) => {
      throw new Error(`${label}: no answer — the panel says "${await page.textContent('#changes')}" (${e.message})`);
    });
    if (await page.locator('#changes .notice.error').count()) throw new Error(`${label}: ${await page.textContent('#changes')}`);
    const ms = Date.now() - start;
    console.log(`analysis in the browser, ${label}: ${ms} ms — ${await page.textContent('#changes .work')}`);
    return ms;
  }

  it('is cross-origin isolated, loads no Z3 until asked, and proves that without an edit nothing changes', async () => {
    const { page, errors } = await freshPage();
    expect(await page.evaluate('crossOriginIsolated')).toBe(true);
    const fetched: string[] = [];
    page.on('request', (r) => void fetched.push(r.url()));
    // The page at rest fetched nothing of Z3.
    expect(await page.evaluate(`performance.getEntriesByType('resource').filter((e) => e.name.includes('/z3-')).length`)).toBe(0);

    await analyse(page, 'no edit, the first time (Z3 downloaded and compiled)');
    expect(await page.getAttribute('#changes .summary', 'data-proved')).toBe('true');
    expect(await page.textContent('#changes .summary')).toContain("No event's decision changes (proved)");
    expect(await page.textContent('#change-count')).toBe('✓');
    expect(fetched.some((u) => u.endsWith('/z3-built.wasm'))).toBe(true);
    await shot(page, 'changes-proved');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('can be cancelled; lists a retention change with its witness event, which loads and decides under the edited policies', async () => {
    const { page, errors } = await freshPage();
    await page.click('#files [data-path="live-2016/article-16.tiaoli"]');
    // Double-clicking the period selects it; typing replaces it.
    await page.locator('#editor .view-line span').filter({ hasText: /^P60D$/ }).dblclick();
    await page.keyboard.type('P90D');
    await page.locator('#editor .view-line', { hasText: 'retain content_and_logs for P90D from occurredAt' }).waitFor();
    await expect.poll(() => page.textContent('#status'), { timeout: 15_000 }).toContain('compiles');

    // Cancelled while Z3 loads (its wasm held back meanwhile): the worker is stopped, and the next run starts afresh.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/z3-built.wasm', (route) => held.then(() => route.continue()).catch(() => {}));
    await page.click('#what-changes');
    await page.locator('#changes .progress[data-stage="loading"] button').click();
    await expect.poll(() => page.textContent('#changes')).toContain('cancelled');
    release();
    await page.unroute('**/z3-built.wasm');

    await analyse(page, 'P60D → P90D, Z3 loaded again (from the HTTP cache)');
    expect(await page.getAttribute('#changes .summary', 'data-proved')).toBe('false');
    const retention = page.locator('#changes .change[data-observable="retention:content_and_logs"]');
    expect(await retention.count()).toBe(1);
    // What a lawyer expects: a publication (the rule's first event type) by the fixtures' provider of
    // 2019, kept sixty days by notice-2018 and now ninety, headlined in the UI's Chinese with plain names.
    expect(await retention.locator('.headline').textContent()).toBe('发布内容和日志信息保存期限：60 日 → 90 日，至 2019-05-30');
    // Grouped by article: every change of this edit is under live-2016 art. 16.
    expect(await page.locator('#changes .article-group').count()).toBe(1);
    expect(await page.locator('#changes .article-group > h4').textContent()).toBe('live-2016 第16条');
    expect(await page.locator('#changes .article-group[data-articles="live-2016 16"] .change').count()).toBe(await page.locator('#changes .change').count());
    expect(await page.locator('#changes .change[data-observable="allowed"] .headline').textContent()).toBe('删除记录：允许 → 不允许');
    expect(await retention.locator('.differences').textContent()).toContain('90 日，以此为准');
    // The rule behind it, from the edited file, with its article.
    expect(await retention.locator('.change-rules').textContent()).toContain('content-and-logs-kept-sixty-days');
    expect(await retention.locator('.change-rules .cite').first().textContent()).toContain('live-2016');
    expect(await page.locator('#changes .change').count()).toBeGreaterThan(1);
    await retention.locator('details summary').click();
    const witness = JSON.parse((await retention.locator('.witness').textContent())!) as { type: string; occurredAt: string };
    expect(witness).toMatchObject({ type: 'content.publish', occurredAt: '2019-03-01T12:00:00+08:00' });
    // A deletion's witness deletes a record made while live-2016 was in force.
    const deletion = page.locator('#changes .change[data-observable="allowed"]');
    await deletion.locator('details summary').click();
    const deleted = JSON.parse((await deletion.locator('.witness').textContent())!) as { type: string; record: { createdAt: string } };
    expect(deleted.type).toBe('record.delete');
    expect(deleted.record.createdAt >= '2016-12-01').toBe(true);
    await shot(page, 'changes-grouped');

    await retention.locator('button.load').click();
    await page.locator('#result .verdict').waitFor();
    // The witness decided under the edited policies: kept ninety days from its day, 2019-03-01.
    await expect.poll(() => page.textContent('#result .outcomes')).toContain('2019-05-30 (P90D，以此为准)');
    expect(await page.locator('#result .outcomes [data-binding="false"]').textContent()).toContain('(P60D，已为更长期限涵盖)');
    await shot(page, 'decision-binding');
    await retention.scrollIntoViewIfNeeded();
    await shot(page, 'changes-witness');

    // Again, with Z3 loaded: only the comparison.
    await page.click('[data-tab="problems"]');
    await analyse(page, 'P60D → P90D again, Z3 already loaded');
    expect(await page.locator('#changes .change[data-observable="retention:content_and_logs"]').count()).toBe(1);
    // In English, the same headline in English.
    await page.selectOption('#lang', 'en');
    await expect.poll(() => page.textContent('#changes .change[data-observable="retention:content_and_logs"] .headline')).toBe('Published content and logs kept: 60 days → 90 days, until 2019-05-30');
    expect(await page.locator('#changes .article-group > h4').textContent()).toBe('live-2016 art. 16');
    await shot(page, 'changes-en');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('proves that a rule that never fires changes nothing, and marks it with the finding', async () => {
    const { page, errors } = await freshPage();
    await openAtEnd(page, 'live-2016/article-12.tiaoli');
    await page.keyboard.type('rule never cites live-2016 article 12 on content.publish when occurredAt before 2016-06-01 then deny');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.textContent('#status'), { timeout: 15_000 }).toContain('compiles');

    await analyse(page, 'a rule that never fires added');
    expect(await page.getAttribute('#changes .summary', 'data-proved')).toBe('true');
    expect(await page.locator('#changes .notice.stale').count()).toBe(0);
    // The finding opens the rule, which is marked.
    const finding = page.locator('#changes .row[data-code="TL100"]');
    expect(await finding.textContent()).toContain('规则 never 永远不会触发');
    await finding.click();
    await expect.poll(() => page.locator('#editor .squiggly-warning').count()).toBeGreaterThan(0);
    await shot(page, 'changes-finding');
    // Editing the file takes its findings away (they were about the text as it was), and the report says it is out of date.
    await page.keyboard.press('End');
    for (let i = 0; i < 'deny'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('take warn');
    await expect.poll(() => page.locator('#editor .squiggly-warning').count()).toBe(0);
    await page.locator('#changes .notice.stale').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('leaves the API documentation working under cross-origin isolation', async () => {
    const { page, errors } = await watchedPage(playground.browser);
    await page.goto(`${playground.url}docs/`);
    await page.locator('.swagger-ui .opblock', { hasText: '/v1/decisions' }).first().waitFor();
    expect(await page.evaluate('crossOriginIsolated')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
