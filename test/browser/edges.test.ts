// The playground's rough edges, in chromium: the example picker names the event loaded (and keeps
// naming it in the other language), and the header's banner is read in full at 1440 and 1280 px.
// Screenshots under .tmp/screenshots/. Skips without /usr/bin/chromium, except under CI=true.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserNote, noBrowser, openAtEnd, servePlayground, shot } from './browser.js';

describe.skipIf(noBrowser)(`the playground's header and example picker, in chromium${browserNote}`, () => {
  const playground = servePlayground();
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });
  const picked = (page: Page) => page.locator('#examples option:checked').textContent();

  it('names the example loaded, keeps it on a language switch, and says when the event is one of its own', async () => {
    const { page } = await playground.freshPage();
    // A fresh page holds the first example, and the picker says which.
    expect(await picked(page)).toBe('account.register · 直播用户注册，未认证任何身份');
    await page.selectOption('#examples', { label: 'record.delete · 删除九天前的直播内容和日志' });
    await poll(() => page.locator('#event-editor .view-line', { hasText: 'record.delete' }).count()).toBe(1);
    expect(await picked(page)).toBe('record.delete · 删除九天前的直播内容和日志');
    await page.selectOption('#lang', 'en');
    expect(await picked(page)).toBe('record.delete · deleting nine-day-old live content and logs');
    await shot(page, 'picker-kept-in-english');
    // After a reload too: the event saved is still that example.
    await page.reload();
    await page.waitForSelector('body.ready');
    expect(await picked(page)).toBe('record.delete · deleting nine-day-old live content and logs');
    // An edit makes the event one of its own.
    await page.click('#event-editor .view-lines');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{ "id": "mine", "type": "account.register" }');
    await poll(() => picked(page)).toBe('Your own event · pick an example…');
    await page.close();
  });

  for (const width of [1440, 1280]) {
    it(`shows the whole of the banner at ${width} px, with every control of the header`, async () => {
      const { page } = await playground.freshPage();
      await page.setViewportSize({ width, height: 800 });
      await openAtEnd(page, 'live-2016/article-16.tiaoli');
      await page.keyboard.type('rule broken cites nowhere');
      const banner = page.locator('#banner');
      await poll(() => banner.isVisible()).toBe(true);
      const text = (await banner.textContent()) ?? '';
      expect(text).toMatch(/^The policies do not compile 策略无法编译: live-2016\/article-16\.tiaoli:\d+:\d+ — decisions and policy tests wait until they do\. 修正后才能判定和测试。$/);
      // Nothing of it is clipped: it is as wide as its text needs, inside the window.
      const fit = await banner.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right }));
      expect(fit.scroll).toBeLessThanOrEqual(fit.client);
      expect(fit.right).toBeLessThanOrEqual(width);
      // And every control of the header is on screen.
      for (const id of ['#what-changes', '#format', '#reset', '#lang', '#status']) {
        const box = (await page.locator(id).boundingBox())!;
        expect([id, box.x + box.width <= width]).toEqual([id, true]);
      }
      await shot(page, `banner-${width}`);
      await page.close();
    });
  }
});
