// Writing policies in the playground as a Chinese-speaking lawyer would: messages in the UI's
// language, article completion that shows the articles, and no
// "cites nothing" while a citation is still being typed. Real server, Debian's chromium; each test
// saves screenshots under .tmp/screenshots/.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserNote, noBrowser, openAtEnd, servePlayground, shot } from './browser.js';

describe.skipIf(noBrowser)(`writing policies in chromium${browserNote}`, () => {
  const playground = servePlayground();
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });
  const freshPage = async (): Promise<Page> => (await playground.freshPage()).page;
  const suggestions = (page: Page) => page.locator('.editor-widget.suggest-widget .monaco-list-row');

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
