// Export and share in chromium, each round-tripped: the edits downloaded as a zip and imported into a
// fresh page are the same edits (a bad zip is refused, losing nothing); the patch downloaded applies
// to the shipped texts and gives the edits; a permalink opened in a fresh browser restores the edits
// and the event, and no request to the server carries its fragment. Screenshots under
// .tmp/screenshots/. Skips without /usr/bin/chromium, except under CI=true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHIPPED_POLICIES } from '../../engine/load.js';
import { browserNote, launchChromium, noBrowser, openAtEnd, servePlayground, shot, watchedPage } from './browser.js';

const A16 = 'live-2016/article-16.tiaoli';
const T12 = 'live-2016/article-12.test.yaml';
const shipped = (path: string) => readFileSync(join(SHIPPED_POLICIES, path), 'utf8');

describe.skipIf(noBrowser)(`export and share, in chromium${browserNote}`, () => {
  const playground = servePlayground();
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });
  const editsOf = (page: Page) => page.evaluate('JSON.parse(localStorage.getItem("tiaoli.playground.v1")).edits') as Promise<Record<string, string>>;

  /** A fresh page with two files edited: a line at the end of article 16 and of article 12's tests. */
  async function edited(): Promise<{ page: Page; edits: Record<string, string> }> {
    const { page } = await playground.freshPage();
    await openAtEnd(page, A16);
    await page.keyboard.insertText('\n# 保存九十日 kept ninety days');
    await openAtEnd(page, T12);
    await page.keyboard.insertText('\n# a note for the reviewer');
    const edits = await editsOf(page);
    expect(Object.keys(edits).sort()).toEqual([T12, A16]);
    expect(edits[A16]).toBe(`${shipped(A16)}\n# 保存九十日 kept ninety days`);
    return { page, edits };
  }

  const openShare = async (page: Page) => {
    await page.click('#share');
    await page.locator('#share-dialog[open] #share-link').waitFor();
  };

  const downloaded = async (page: Page, button: string): Promise<{ name: string; bytes: Buffer }> => {
    const download = page.waitForEvent('download');
    await page.click(button);
    const d = await download;
    return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
  };

  it('downloads the edited files as a zip, which imported into a fresh page gives the same edits; a bad zip is refused whole', async () => {
    const { page, edits } = await edited();
    await openShare(page);
    await shot(page, 'share-dialog');
    const zip = await downloaded(page, '#share-zip');
    expect(zip.name).toMatch(/^tiaoli-edits-[0-9a-f]{8}\.zip$/);
    const files = unzipSync(new Uint8Array(zip.bytes));
    expect(Object.fromEntries(Object.entries(files).map(([p, b]) => [p, Buffer.from(b).toString('utf8')]))).toEqual(edits);
    await page.close();

    const fresh = (await playground.freshPage()).page;
    expect(await editsOf(fresh)).toEqual({});
    await openShare(fresh);
    await fresh.setInputFiles('#share-import', { name: zip.name, mimeType: 'application/zip', buffer: zip.bytes });
    await poll(() => fresh.locator('#share-dialog').getAttribute('open')).toBeNull();
    expect(await editsOf(fresh)).toEqual(edits);
    await poll(() => fresh.locator(`#files [data-path="${A16}"] .modified`).count()).toBe(1);
    await poll(() => fresh.textContent('#status')).toContain('compiles');

    // A zip with a file foreign to the tree, and a file that is no zip: refused, the edits kept.
    await openShare(fresh);
    const foreign = Buffer.from(zipSync({ [A16]: strToU8('rule x'), 'notes.txt': strToU8('hello') }));
    await fresh.setInputFiles('#share-import', { name: 'mixed.zip', mimeType: 'application/zip', buffer: foreign });
    await poll(() => fresh.textContent('#share-error')).toContain('mixed.zip: not policy or test files of the tree 不是本策略树中的策略或测试文件: notes.txt');
    await fresh.setInputFiles('#share-import', { name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('PK not really') });
    await poll(() => fresh.textContent('#share-error')).toContain('broken.zip: not a zip file');
    expect(await fresh.textContent('#share-error')).toContain('Nothing was imported');
    await shot(fresh, 'share-import-refused');
    expect(await editsOf(fresh)).toEqual(edits);
    await fresh.close();
  }, 120_000);

  it('downloads a patch that applies to the shipped files and gives the edits', async () => {
    const { page, edits } = await edited();
    await openShare(page);
    const patch = await downloaded(page, '#share-patch');
    expect(patch.name).toMatch(/^tiaoli-edits-[0-9a-f]{8}\.patch$/);
    const files = parsePatch(patch.bytes.toString('utf8'));
    expect(files.map((f) => [f.oldFileName, f.newFileName])).toEqual([[`a/${T12}`, `b/${T12}`], [`a/${A16}`, `b/${A16}`]]);
    for (const f of files) {
      const path = f.newFileName!.slice(2);
      expect(applyPatch(shipped(path), f)).toBe(edits[path]);
    }
    await page.close();
  }, 120_000);

  it('makes a permalink that restores the edits and the event in a fresh browser, its fragment never sent to the server', async () => {
    const { page, edits } = await edited();
    await page.selectOption('#examples', { label: 'record.delete · 删除九天前的直播内容和日志' });
    await openShare(page);
    const link = await page.inputValue('#share-link');
    expect(link.startsWith(`${playground.url}#share=`)).toBe(true);
    const payload = link.slice(link.indexOf('#share=') + 7);
    await page.close();

    const other = await launchChromium({ width: 1440, height: 900 });
    try {
      const sent: string[] = [];
      // Headers are read as requests go out; one still in flight when the browser closes cannot be
      // read, and is counted rather than left as an unhandled rejection.
      const reading: Promise<unknown>[] = [];
      let unread = 0;
      other.on('request', (r) => void reading.push(r.allHeaders().then((headers) => sent.push(`${r.url()} ${JSON.stringify(headers)}`), () => unread++)));
      const { page: opened, errors } = await watchedPage(other);
      await opened.goto(link);
      await opened.waitForSelector('body.ready', { timeout: 30_000 });
      expect(await editsOf(opened)).toEqual(edits);
      expect(await opened.textContent('#open-path')).toBe(T12);
      expect(await opened.locator('#examples option:checked').textContent()).toBe('record.delete · 删除九天前的直播内容和日志');
      // The event is decided as it opens, under the edited policies.
      await opened.locator('#result .verdict').waitFor();
      await poll(() => opened.textContent('#toast')).toContain('2 of its 2 edited file(s) restored');
      // The fragment now names the open file: a reload keeps the edits made since.
      expect(new URL(opened.url()).hash).toBe(`#${T12}`);
      await shot(opened, 'permalink-opened');
      await Promise.all(reading);
      expect(unread).toBe(0);
      expect(sent.length).toBeGreaterThan(3);
      expect(sent.filter((s) => s.includes(payload.slice(0, 24)) || s.includes('share='))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await other.close();
    }
  }, 120_000);
});
