// The playground's weight, as a browser on a fresh profile sees it: the first load (the page, Monaco,
// the language and JSON workers, the sources) must come in under 1.5 MB transferred, every script, style sheet
// and font compressed (brotli, written at build time), and nothing of Z3; Z3 comes compressed, when
// first used. Bytes are the Performance API's resource timing (scripts/playground-load.js, which
// `npm run bench` runs too, timing the first view: no wall-clock assertion here). The first view, a
// text area checked as it is typed, is usable before Monaco has loaded. Skips without
// /usr/bin/chromium, except under CI=true. Saves a screenshot and the figures under .tmp/screenshots/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLoad, launchBrowser } from '../../scripts/playground-load.js';
import { browserNote, noBrowser, SCREENSHOTS, servePlayground, shot, watchedPage } from './browser.js';

const FIRST_VIEW_BYTES = 1.5e6;

describe.skipIf(noBrowser)(`the playground's first load, in chromium${browserNote}`, () => {
  const playground = servePlayground();
  let browser: Browser | undefined;
  beforeAll(async () => void (browser = await launchBrowser()), 60_000);
  afterAll(async () => browser?.close());

  it('transfers under 1.5 MB, compressed, without Z3, and is ready for input with its diagnostics', async () => {
    const load = await firstLoad(browser!, playground.url);
    writeFileSync(join(SCREENSHOTS, 'first-load.json'), `${JSON.stringify({ transferBytes: load.transferBytes, decodedBytes: load.decodedBytes, interactiveMs: Math.round(load.interactiveMs), resources: load.resources }, null, 2)}\n`);
    console.log(`first view: ${(load.transferBytes / 1e6).toFixed(2)} MB transferred (${(load.decodedBytes / 1e6).toFixed(2)} MB decoded), interactive with diagnostics at ${Math.round(load.interactiveMs)} ms`);
    expect(load.transferBytes).toBeLessThan(FIRST_VIEW_BYTES);
    // What must be there: the page's script and style, the language and JSON workers, the sources.
    const names = load.resources.map((r) => new URL(r.name).pathname);
    for (const part of ['/assets/index-', '/assets/language-worker-', '/assets/json.worker-', '/v1/sources']) expect(names.some((n) => n.startsWith(part))).toBe(true);
    expect(names.filter((n) => n.includes('z3'))).toEqual([]);
    expect(names.filter((n) => n.includes('analysis-worker'))).toEqual([]);
    // Every asset came as brotli, and is much smaller on the wire than decoded.
    const assets = load.resources.filter((r) => new URL(r.name).pathname.startsWith('/assets/'));
    expect(assets.length).toBeGreaterThan(4);
    for (const r of assets) expect([r.name, load.encodings[r.name]]).toEqual([r.name, 'br']);
    expect(load.decodedBytes).toBeGreaterThan(3 * load.transferBytes);
  }, 120_000);

  it('is usable before the editor has loaded: the first view checks what is typed, and Monaco takes over its text, caret and focus', async () => {
    const { page, errors } = await watchedPage(playground.browser);
    // The editor's chunk held back, as on a slow line: the page must not wait for it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/assets/main-*.js', (route) => held.then(() => route.continue()).catch(() => {}));
    await page.goto(playground.url);
    await page.evaluate('localStorage.clear()');
    await page.goto(playground.url);
    await page.waitForSelector('body.interactive');
    await expect.poll(() => page.textContent('#status')).toContain('compiles');
    await page.click('#editor textarea.first-view');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n§');
    await page.locator('#problems [data-code="TL001"]').waitFor();
    expect(await page.textContent('#problems [data-code="TL001"] .where')).toMatch(/^live-2016\/article-12\.tiaoli:\d+:1$/);
    expect(await page.locator('body.ready').count()).toBe(0);
    expect(await page.locator('#files [data-path="live-2016/article-12.tiaoli"] .modified').count()).toBe(1);
    await shot(page, 'first-view');
    release();
    await page.waitForSelector('body.ready');
    expect(await page.locator('#editor textarea.first-view').count()).toBe(0);
    // Monaco has the text typed, the caret after it and the focus: the next key lands after the §.
    await page.keyboard.type('X');
    await page.locator('#editor .view-line', { hasText: /^§X$/ }).waitFor();
    await expect.poll(() => page.locator('#problems [data-code="TL001"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('fetches Z3 only when the analysis first runs, and then compressed', async () => {
    const { page } = await playground.freshPage();
    const wasm = page.waitForResponse((r) => r.url().endsWith('/z3-built.wasm'), { timeout: 90_000 });
    await page.click('#what-changes');
    const response = await wasm;
    expect(response.headers()['content-encoding']).toBe('br');
    expect(response.headers()['content-type']).toBe('application/wasm');
    // 35 MB of WebAssembly, about 5.4 MB sent.
    const sizes = await response.request().sizes();
    expect(sizes.responseBodySize).toBeLessThan(8e6);
    await page.locator('#changes .summary').waitFor({ timeout: 90_000 });
    await shot(page, 'z3-compressed');
    await page.close();
  }, 150_000);
});
