// The playground's first load as a browser sees it, shared by its browser test
// (test/browser/load.test.ts) and `npm run bench` (scripts/playground-bench.js): a page of a fresh
// browser context (nothing cached) opens the playground, waits until its editor takes input (the
// first view, a text area, until Monaco takes its place), types a character the lexer refuses at
// the end of the open file and waits for its diagnostic: time to interactive is the page's clock
// then. Then it waits for the whole page (Monaco and the event editor ready, the network idle) and
// counts the bytes:
// what the Performance API's resource timing says was transferred (headers and compressed bodies),
// the page and its workers together.

import { chromium } from 'playwright-core';

/** Debian's chromium, and how the browser tests and the bench run it: headless, nothing fetched of its own. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** @returns {Promise<import('playwright-core').Browser>} */
export const launchBrowser = () => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

/** The resource timing of a page or worker (a worker's own fetches are in its timeline, not the page's). */
const ENTRIES = `[performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')].filter(Boolean).map((e) => ({ name: e.name, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize }))`;

/**
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @returns {Promise<{ transferBytes: number, decodedBytes: number, interactiveMs: number, readyMs: number, resources: { name: string, transferSize: number, encodedBodySize: number, decodedBodySize: number }[], encodings: Record<string, string | undefined> }>}
 */
export async function firstLoad(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    const workers = [];
    page.on('worker', (w) => workers.push(w));
    /** Content-Encoding of each response, to show what was sent compressed. */
    const encodings = {};
    page.on('response', (r) => void (encodings[r.url()] = r.headers()['content-encoding']));
    await page.goto(url);
    await page.waitForSelector('body.interactive', { timeout: 60_000 });
    // Whichever editor is up: the first view's text area, or Monaco if it has already taken over.
    await page.click('#editor textarea.first-view, #editor .view-lines');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n§');
    await page.waitForSelector('#problems [data-code="TL001"]', { timeout: 30_000 });
    const interactiveMs = await page.evaluate('performance.now()');
    await page.waitForSelector('body.ready', { timeout: 60_000 });
    const readyMs = await page.evaluate('performance.now()');
    // What Monaco fetches once up (the JSON worker of the event editor, its icon font) belongs to the
    // first load too: wait until the page has fetched nothing new for a second.
    for (let count = -1, still = 0; still < 4; ) {
      await page.waitForTimeout(250);
      const now = await page.evaluate(`performance.getEntriesByType('resource').length`);
      still = now === count ? still + 1 : 0;
      count = now;
    }
    const byName = new Map();
    for (const scope of [page, ...workers]) for (const r of await scope.evaluate(ENTRIES).catch(() => [])) if (!byName.has(r.name)) byName.set(r.name, r);
    const resources = [...byName.values()];
    const transferBytes = resources.reduce((n, r) => n + r.transferSize, 0);
    const decodedBytes = resources.reduce((n, r) => n + r.decodedBodySize, 0);
    return { transferBytes, decodedBytes, interactiveMs, readyMs, resources, encodings };
  } finally {
    await context.close();
  }
}
