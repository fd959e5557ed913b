// Test results and decisions a lawyer reads, in chromium: a failing policy test case shows what it
// expected and what was decided field by field, in the vocabulary's plain names (Chinese, or English
// on a switch), not JSON; a denied event's decision says what would make it allowed right under the
// verdict, and says its explanation once. Screenshots under .tmp/screenshots/. Skips without
// /usr/bin/chromium, except under CI=true.
import { describe, expect, it } from 'vitest';
import { browserNote, noBrowser, openAtEnd, servePlayground, shot } from './browser.js';

describe.skipIf(noBrowser)(`readable test results and decisions, in chromium${browserNote}`, () => {
  const playground = servePlayground();
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });

  it('shows a failing case field by field in plain names, in either language', async () => {
    const { page } = await playground.freshPage();
    await page.click('[data-tab="tests"]');
    await openAtEnd(page, 'live-2016/article-12.test.yaml');
    await page.keyboard.insertText(
      '  - { name: a verified user wrongly expected refused, event: { use: [live-provider, verified-user], type: account.register }, expect: { allowed: false, verification: [identity_document], citations: [live-2016 12.1] } }',
    );
    const table = page.locator('#tests .case.fail table.mismatch');
    await table.waitFor();
    const row = (field: string) => table.locator(`tr[data-field="${field}"]`);
    const cells = async (field: string) => (await row(field).locator('th, td').allTextContents()).map((t) => t.trim());
    expect(await cells('allowed')).toEqual(['判定', '不允许', '允许']);
    expect(await cells('verification')).toEqual(['尚缺的身份认证', '身份证件', '（无）']);
    expect(await cells('citations')).toEqual(['依据', 'live-2016 第12条第1款', '（无）']);
    // The entry the decision lacks is marked; nothing reads as JSON.
    expect(await row('verification').locator('.entry.missing').textContent()).toBe('身份证件');
    expect(await table.textContent()).not.toMatch(/expected|got|\[|\{|"/);
    await page.locator('#tests .case.fail').scrollIntoViewIfNeeded();
    await shot(page, 'test-failure-fields');

    await page.selectOption('#lang', 'en');
    await poll(() => cells('allowed')).toEqual(['Verdict', 'denied', 'allowed']);
    expect(await cells('verification')).toEqual(['Identity checks still missing', 'identity document', '(none)']);
    expect(await table.locator('tr').first().locator('th').allTextContents()).toEqual(['Field', 'Expected', 'Decided']);
    await shot(page, 'test-failure-fields-en');
    await page.close();
  });

  it('puts what would make a denied event allowed right under the verdict, and the explanation once', async () => {
    const { page } = await playground.freshPage();
    await page.selectOption('#examples', { label: 'content.publish · 主播只认证了手机号就开播' });
    await page.click('#decide');
    await page.locator('#result .verdict[data-verdict="denied"]').waitFor();
    // The verdict, then the remedies, then the rest.
    const order = (await page.evaluate("[...document.querySelector('#result').children].map((e) => e.className)")) as string[];
    expect(order.slice(0, 3)).toEqual(['verdict denied', 'remedies', 'outcomes']);
    const remedies = (await page.textContent('#result .remedies'))!;
    expect(remedies).toContain('怎样才能允许');
    expect(remedies).toContain('在「已认证的真实身份信息」中补充：身份证件');
    expect(remedies).toContain('live-2016 第12条第1款');
    expect(remedies).toContain('已验证：补充以上各项后，该事件即被允许。');
    // Said once: no second explanation below, and the article text is quoted at the rule that fired.
    const all = (await page.textContent('#result'))!;
    expect(all.split('怎样才能允许').length).toBe(2);
    expect(await page.locator('#result .explanation').count()).toBe(0);
    expect(await page.locator('#result .trace .article-text', { hasText: '后台实名、前台自愿' }).count()).toBe(1);
    await shot(page, 'decision-remedies-first');

    // An allowed event has no remedies.
    await page.selectOption('#examples', { label: 'interaction.post · 已认证用户发弹幕' });
    await page.click('#decide');
    await page.locator('#result .verdict[data-verdict="allowed"]').waitFor();
    expect(await page.locator('#result .remedies').count()).toBe(0);
    await page.close();
  });
});
