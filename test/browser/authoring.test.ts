// Writing policies in the playground as a Chinese-speaking lawyer would: messages in the UI's
// language, fields found by their Chinese names, quick fixes where the help names one, and no
// "cites nothing" while a citation is still being typed. Real server, Debian's chromium; each test
// saves screenshots under .tmp/screenshots/.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserNote, noBrowser, openAtEnd, servePlayground, shot } from './browser.js';

describe.skipIf(noBrowser)(`writing policies in chromium${browserNote}`, () => {
  const playground = servePlayground();
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });
  const freshPage = async (): Promise<Page> => (await playground.freshPage()).page;
  const RULE = 'rule r2 cites live-2016 article 12 paragraph 1 on content.publish when ';
  const suggestions = (page: Page) => page.locator('.editor-widget.suggest-widget .monaco-list-row');
  /** The editor's text of its last lines. */
  const lastLine = (page: Page) => page.evaluate<string>("[...document.querySelectorAll('#editor .view-line')].map((l) => l.textContent).join('\\n')");

  it('a field written by its Chinese name: one diagnostic in Chinese naming the field, and a quick fix that writes it', async () => {
    const page = await freshPage();
    expect(await page.inputValue('#lang')).toBe('zh');
    await openAtEnd(page, 'live-2016/article-12.tiaoli');
    await page.keyboard.type(`${RULE}已认证 has phone_number then deny`);
    await page.keyboard.press('Escape');
    const problem = page.locator('#problems [data-code="TL150"]');
    await problem.waitFor();
    expect(await page.locator('#problems .row').count()).toBe(1);
    expect(await problem.locator('.message').textContent()).toBe('语言不识别 已认证：是否想写 `actor.verified` (已认证的真实身份信息)？');
    await poll(() => page.locator('#editor .squiggly-error').count()).toBe(1);
    await shot(page, 'authoring-chinese-name');

    // The quick fix on the marked word (Ctrl+. at it) writes the field's path.
    await page.keyboard.press('End');
    for (let i = 0; i < ' has phone_number then deny'.length + 1; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .action-item', { hasText: 'actor.verified' });
    await fix.waitFor();
    await shot(page, 'authoring-quick-fix');
    await fix.click();
    await poll(() => lastLine(page)).toContain('when actor.verified has phone_number then deny');
    await poll(() => page.locator('#problems [data-code]').count()).toBe(0);
    await poll(() => page.textContent('#status')).toContain('compiles');
    await page.close();
  });

  it('completion finds a field by part of its Chinese name, shows the Chinese name on its row, and inserts the path', async () => {
    const page = await freshPage();
    await openAtEnd(page, 'live-2016/article-12.tiaoli');
    await page.keyboard.type(RULE);
    await page.keyboard.press('Escape');
    await page.keyboard.type('黑名单');
    await page.keyboard.press('Control+Space');
    await poll(() => suggestions(page).count()).toBe(2);
    expect(await suggestions(page).first().textContent()).toContain('actor.blacklisted');
    expect(await suggestions(page).first().textContent()).toContain('列入黑名单');
    await shot(page, 'authoring-complete-chinese');
    await page.keyboard.press('Enter');
    await poll(() => lastLine(page)).toContain('when actor.blacklisted');
    expect(await lastLine(page)).not.toContain('黑名单');
    await page.close();
  });

  it('at 1280 px, article completion shows each article’s opening words, not bare numbers', async () => {
    const page = await freshPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await openAtEnd(page, 'live-2016/article-12.tiaoli');
    await page.keyboard.type('rule r2 cites live-2016 article ');
    await page.keyboard.press('Control+Space');
    await poll(() => suggestions(page).count()).toBeGreaterThan(5);
    const row = (await suggestions(page).first().textContent()) ?? '';
    expect(row).toMatch(/^1\S*\p{Script=Han}/u);
    await shot(page, 'authoring-articles-1280');
    await page.close();
  });

  it('a citation being typed shows its syntax error only, not TL040; the English UI shows messages in English', async () => {
    const page = await freshPage();
    await openAtEnd(page, 'live-2016/article-12.tiaoli');
    await page.keyboard.type('rule r2 cites live-2016 art');
    await page.keyboard.press('Escape');
    await page.locator('#problems [data-code="TL002"]').waitFor();
    expect(await page.locator('#problems [data-code="TL040"]').count()).toBe(0);
    expect(await page.locator('#problems [data-code="TL002"] .message').textContent()).toBe("语法错误：此处应为'article'，却是 'art'");
    await page.selectOption('#lang', 'en');
    await poll(() => page.locator('#problems [data-code="TL002"] .message').textContent()).toBe("expected 'article' but found 'art'");
    await shot(page, 'authoring-typing-citation-en');
    await page.close();
  });
});
