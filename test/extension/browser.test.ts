// The worked extension in the playground page, in chromium (playwright-core, Debian's chromium; skips
// without it, except under CI=true): `tiaoli serve` started on the extended revision, the page loaded
// from it. The event panel's JSON editor must validate against that revision's event schema, not the
// shipped one built into the page.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserNote, launchChromium, noBrowser, shot } from '../browser/browser.js';
import { revision, serveChild, tip } from './revision.js';

/** The event as the panel shows it: one top-level key a line, so each marker falls on a line of its own. */
const asLines = (ev: Record<string, unknown>) => `{\n${Object.entries(ev).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}`;

describe.skipIf(noBrowser)(`the playground on the extended revision, in chromium${browserNote}`, () => {
  let browser: BrowserContext;
  let url: string;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const served = await serveChild({ TIAOLI_POLICIES: revision() });
    ({ stop } = served);
    url = `${served.url}/`;
    browser = await launchChromium({ width: 1440, height: 900 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stop?.();
  });

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });
  async function freshPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(url);
    await page.evaluate('localStorage.clear()');
    await page.goto(url);
    await page.waitForSelector('body.ready', { timeout: 30_000 });
    return page;
  }
  async function putEvent(page: Page, ev: Record<string, unknown>): Promise<void> {
    await page.click('#event-editor .view-lines');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText(asLines(ev));
    // The editor closes a bracket as it is opened; what it added after the cursor goes.
    await page.keyboard.press('Control+Shift+End');
    await page.keyboard.press('Delete');
  }
  /** The text of each line of the event editor that carries an error squiggle. */
  async function markedLines(page: Page): Promise<string[]> {
    const lines = await page.locator('#event-editor .view-line').evaluateAll((els) => els.map((e) => ({ text: e.textContent ?? '', top: e.getBoundingClientRect().top, bottom: e.getBoundingClientRect().bottom })));
    const middles = await page.locator('#event-editor .squiggly-error').evaluateAll((els) => els.map((e) => (e.getBoundingClientRect().top + e.getBoundingClientRect().bottom) / 2));
    return middles.map((y) => lines.find((l) => y >= l.top && y <= l.bottom)?.text.trim() ?? '?');
  }

  it('marks only the field the revision bounds, not the new event type', async () => {
    const page = await freshPage();
    await poll(() => page.textContent('#status')).toContain('compiles');
    expect(await page.locator('#files [data-path="example-tips/vocabulary.tiaoli"]').count()).toBe(1);
    await putEvent(page, tip({ tip: { amount: 100_001, channels: ['virtual_gift'] } }));
    // Waits for the validation of the whole text: on a busy machine the text as it was typed, its
    // closing brackets not yet deleted, may be validated and marked first.
    await poll(() => markedLines(page)).toEqual([expect.stringContaining('"amount":100001')]);
    await shot(page, 'extension-event-marker');
    await page.close();
  });

  it('decides a tip.send event in the event panel', async () => {
    const page = await freshPage();
    await putEvent(page, tip());
    await page.click('#decide');
    await poll(() => page.textContent('#result')).toContain('DENIED');
    expect(await page.getAttribute('#result .verdict', 'data-verdict')).toBe('denied');
    expect(await page.textContent('#result')).toContain('example-tips');
    await page.close();
  });
});
