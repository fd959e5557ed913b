// The playground in a real browser: Debian's chromium driven by playwright-core, against the page the
// real service serves (built into dist/playground by `npm run build`) on an ephemeral port. Nothing
// downloads a browser. Without /usr/bin/chromium these tests skip, except under CI=true, where a
// missing browser fails the run. Each test saves a screenshot under .tmp/screenshots/.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserNote, noBrowser, openAtEnd, servePlayground, shot } from './browser.js';

describe.skipIf(noBrowser)(`the playground in chromium${browserNote}`, () => {
  const playground = servePlayground();

  /** A page with nothing saved from an earlier test, once the policies are checked (its errors are logged). */
  const freshPage = async (): Promise<Page> => (await playground.freshPage()).page;

  /** The page answers after the worker has: give it a few seconds. */
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });

  it('loads the shipped policies as a file tree, compiled, tested and highlighted', async () => {
    const page = await freshPage();
    await poll(() => page.textContent('#status')).toContain('compiles');
    expect(await page.locator('#files [data-path]').count()).toBeGreaterThan(44);
    // Keywords are coloured as keywords: the Monarch tokenizer built from the lexer's tokens is in use.
    await poll(() => page.locator('#editor .view-line span.mtk1, #editor .view-line span[class*="mtk"]').filter({ hasText: /^rule$/ }).count()).toBeGreaterThan(0);
    const ruleClass = await page.locator('#editor .view-line span').filter({ hasText: /^rule$/ }).first().getAttribute('class');
    const nameClass = await page.locator('#editor .view-line span').filter({ hasText: /^users-verified-by-phone$/ }).first().getAttribute('class');
    expect(ruleClass).not.toBe(nameClass);
    // Rule coverage in the gutter, and the tests' summary.
    await poll(() => page.locator('#editor .glyph.covered').count()).toBeGreaterThan(0);
    expect(await page.textContent('#test-count')).toMatch(/^\d+✓ 0✗$/);
    await shot(page, 'loaded');
    await page.close();
  });

  it('marks a misspelled field at its line and column with "did you mean", and clears it once fixed', async () => {
    const page = await freshPage();
    const line = await openAtEnd(page, 'live-2016/article-12.tiaoli');
    const typed = 'rule r2 cites live-2016 article 12 paragraph 1 on content.publish when actor.verifed meets phone_number then deny';
    await page.keyboard.type(typed);
    await page.keyboard.press('Escape');
    const column = typed.indexOf('actor.verifed') + 1;
    const problem = page.locator('#problems [data-code="TL050"]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain(`live-2016/article-12.tiaoli:${line}:${column}`);
    expect(await problem.textContent()).toContain('did you mean `actor.verified`?');
    await poll(() => page.locator('#editor .squiggly-error').count()).toBeGreaterThan(0);
    expect(await page.textContent('#status')).toContain('1 error');
    await poll(() => page.locator('#banner').isVisible()).toBe(true);
    await shot(page, 'misspelled-field');

    // Fix it: back to just after `verif`, and finish the word properly.
    await page.keyboard.press('End');
    for (let i = 0; i < ' meets phone_number then deny'.length; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('ied');
    await page.keyboard.press('Escape');
    await poll(() => problem.count()).toBe(0);
    await poll(() => page.locator('#editor .squiggly-error').count()).toBe(0);
    await poll(() => page.textContent('#status')).toContain('compiles');
    await shot(page, 'misspelled-field-fixed');
    await page.close();
  });

  it('decides an example event and shows the decision, its citations and the article text on hover', async () => {
    const page = await freshPage();
    await page.selectOption('#examples', { label: 'content.publish · 主播只认证了手机号就开播' });
    await page.click('#decide');
    const verdict = page.locator('#result .verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verdict')).toBe('denied');
    const cite = page.locator('#result .citations .cite', { hasText: 'live-2016 第12条第1款' });
    expect(await cite.count()).toBe(1);
    expect(await page.textContent('#result .remedies')).toContain('怎样才能允许');
    expect(await page.textContent('#result .remedies')).toContain('身份证件');
    await cite.hover();
    const popover = page.locator('#article-popover');
    await popover.waitFor();
    expect(await popover.textContent()).toContain('互联网直播服务提供者应当按照“后台实名、前台自愿”的原则');
    expect(await popover.textContent()).toContain('real name in the background');
    await shot(page, 'decision-citation-hover');

    // A bad field is marked in the event editor, and Decide names its JSON path.
    await page.mouse.move(0, 0);
    await popover.waitFor({ state: 'hidden' });
    await page.click('#event-editor .view-lines');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText('{ "id": "bad", "type": "content.publish", "occurredAt": "yesterday", "provider": { "id": "p" } }');
    await poll(() => page.locator('#event-editor .squiggly-error').count()).toBeGreaterThan(0);
    await page.click('#decide');
    await poll(() => page.textContent('#result')).toContain('/occurredAt');
    await shot(page, 'bad-event');
    await page.close();
  });

  it('shows the article text on hover over a citation in a policy', async () => {
    const page = await freshPage();
    await page.click('#files [data-path="live-2016/article-16.tiaoli"]');
    await page.locator('#editor .view-line span').filter({ hasText: /^cites$/ }).first().hover();
    const hover = page.locator('.monaco-hover', { hasText: '保存六十日' });
    await hover.waitFor();
    expect(await hover.textContent()).toContain('互联网直播服务管理规定');
    expect(await hover.textContent()).toContain('keep them for 60 days');
    await page.waitForTimeout(300); // the hover fades in
    await shot(page, 'citation-hover');
    await page.close();
  });

  it('completes event fields, goes to a defined term, and formats the file', async () => {
    const page = await freshPage();
    await openAtEnd(page, 'live-2016/article-12.tiaoli');
    await page.keyboard.type('rule r3 cites live-2016 article 12 on content.publish when actor.');
    const suggest = page.locator('.suggest-widget');
    await suggest.locator('.monaco-list-row', { hasText: 'actor.verified' }).waitFor();
    await shot(page, 'completion');
    await page.keyboard.type('blacklisted then deny');
    await page.keyboard.press('Escape');
    await page.click('#format');
    // The formatter puts each clause of the rule on its own line.
    await page.locator('#editor .view-line', { hasText: /^\s*when\sactor\.blacklisted$/ }).waitFor();

    // Go to the definition of `live-provider`, used in this file, defined in article 2.
    await page.locator('#editor .view-line span').filter({ hasText: /^live-provider$/ }).first().click();
    await page.keyboard.press('F12');
    await poll(() => page.textContent('#open-path')).toBe('live-2016/article-02.tiaoli');
    await page.locator('#editor .view-line', { hasText: /define\slive-provider\sas/ }).waitFor();
    await shot(page, 'definition');
    await page.close();
  });

  it('runs the policy tests and shows pass/fail and rule coverage in the gutter', async () => {
    const page = await freshPage();
    await page.click('[data-tab="tests"]');
    await openAtEnd(page, 'live-2016/article-12.test.yaml');
    await poll(() => page.locator('#editor .glyph.pass').count()).toBeGreaterThan(0);
    // A case that expects the wrong thing turns red in the gutter and in the list of tests.
    await page.keyboard.insertText('  - { name: a verified user wrongly expected refused, event: { use: [live-provider, verified-user], type: account.register }, expect: { allowed: false } }');
    await poll(() => page.locator('#editor .glyph.fail').count()).toBe(1);
    expect(await page.textContent('#tests')).toMatch(/1 failed/);
    await shot(page, 'tests-gutter');
    await page.close();
  });

  it('keeps edits and the event across a reload, and says clearly when the policies do not compile', async () => {
    const page = await freshPage();
    await openAtEnd(page, 'live-2016/article-16.tiaoli');
    await page.keyboard.type('rule broken cites nowhere');
    await page.selectOption('#examples', { label: 'record.delete · 删除九天前的直播内容和日志' });
    await poll(() => page.textContent('#status')).toContain('error');
    await page.reload();
    await page.waitForSelector('body.ready');
    expect(await page.textContent('#open-path')).toBe('live-2016/article-16.tiaoli');
    await page.locator('#editor .view-line', { hasText: 'rule broken cites nowhere' }).waitFor();
    expect(await page.locator('#files [data-path="live-2016/article-16.tiaoli"] .modified').count()).toBe(1);
    await poll(() => page.textContent('#status')).toContain('error');
    expect(await page.isVisible('#banner')).toBe(true);
    expect(await page.textContent('#banner')).toContain('The policies do not compile');
    await page.click('#decide');
    await poll(() => page.textContent('#result')).toContain('The policies do not compile');
    expect(await page.locator('#event-editor .view-line', { hasText: 'record.delete' }).count()).toBe(1);
    await shot(page, 'not-compiling');

    page.once('dialog', (d) => void d.accept());
    await page.click('#reset');
    await poll(() => page.textContent('#status')).toContain('compiles');
    await page.click('#decide');
    await page.locator('#result .verdict').waitFor();
    await page.close();
  });
});
