// What the browser tests share: Debian's chromium driven by playwright-core (nothing downloads a
// browser), the playground served by the real service (built into dist/playground by `npm run build`)
// on an ephemeral port, and fresh pages that collect their errors. Without /usr/bin/chromium the
// tests skip, except under CI=true, where a missing browser fails the run.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { loadPolicyDir, readTestFiles, SHIPPED_POLICIES } from '../../engine/load.js';
import { PACKAGE_ROOT } from '../../engine/package-root.js';
import { SqliteLog } from '../../engine/log/sqlite.js';
import { testService } from '../server/harness.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/playground-load.js';

export const SCREENSHOTS = join(PACKAGE_ROOT, '.tmp', 'screenshots');

/** Whether to skip the browser tests: there is no chromium. Under CI=true they run whatever happens, so a missing browser fails them at launch. */
export const noBrowser = !existsSync(CHROMIUM) && process.env['CI'] !== 'true';
/** For a suite's title: why it is skipped here, or nothing. */
export const browserNote = noBrowser ? ` (skipped: no chromium at ${CHROMIUM})` : '';

/** Chromium, headless, with a profile of its own. */
export function launchChromium(viewport: { width: number; height: number }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tiaoli-chromium-')), { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS], viewport });
}

/** A page and the errors it raises. */
export interface WatchedPage {
  readonly page: Page;
  readonly errors: string[];
}

/** A new page of `browser` that collects the errors it raises. */
export async function watchedPage(browser: BrowserContext): Promise<WatchedPage> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

export interface Playground {
  /** The page's address, once started. */
  readonly url: string;
  /** Chromium, once started. */
  readonly browser: BrowserContext;
  /** A page with nothing saved from an earlier test, once the policies are checked. Its errors are logged too. */
  freshPage(): Promise<WatchedPage>;
}

/**
 * The playground served by the real service with the shipped policies, and chromium to open it:
 * started before the tests of the calling `describe` and closed after them.
 */
export function servePlayground(): Playground {
  let app: FastifyInstance | undefined;
  let log: SqliteLog | undefined;
  let browser: BrowserContext | undefined;
  let url = '';

  beforeAll(async () => {
    if (!existsSync(join(PACKAGE_ROOT, 'dist', 'playground', 'index.html'))) throw new Error('the playground is not built: run npm run build');
    const loaded = loadPolicyDir();
    if (!loaded.policy) throw new Error('the shipped policies do not compile');
    log = new SqliteLog(join(mkdtempSync(join(tmpdir(), 'tiaoli-browser-')), 'decisions.sqlite'));
    app = await testService({ policy: loaded.policy, sources: loaded.sources, tests: readTestFiles(SHIPPED_POLICIES), log });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/`;
    browser = await launchChromium({ width: 1440, height: 900 });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await log?.close();
  });

  const playground: Playground = {
    get url() {
      return url;
    },
    get browser() {
      if (!browser) throw new Error('chromium has not started');
      return browser;
    },
    async freshPage() {
      const watched = await watchedPage(playground.browser);
      const { page } = watched;
      page.on('pageerror', (e) => console.error('page error:', e.message));
      // Its workers' complaints too (Z3's threads report there), so a stalled run leaves a trace.
      page.on('console', (m) => void (m.type() === 'error' && console.error('console error:', m.text())));
      await page.goto(url);
      await page.evaluate('localStorage.clear()');
      await page.goto(url);
      await page.waitForSelector('body.ready', { timeout: 30_000 });
      return watched;
    },
  };
  return playground;
}

/** Saves a screenshot of the page under .tmp/screenshots/. */
export const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

/** Opens a file from the tree and puts the cursor at the end of it, in the editor; answers its number of lines. */
export async function openAtEnd(page: Page, path: string): Promise<number> {
  await page.click(`#files [data-path="${path}"]`);
  await page.click('#editor .view-lines');
  await page.keyboard.press('Control+End');
  return readFileSync(join(SHIPPED_POLICIES, path), 'utf8').split('\n').length;
}
