// The playground's export and share, in Node: a zip of edits read back is the same edits, a zip with
// anything but the tree's policy and test files is refused whole, the patch applies to the shipped
// texts and gives the edits, and a permalink's payload reads back (a damaged one says so).
import { applyPatch, parsePatch } from 'diff';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readPolicyDir, readTestFiles, SHIPPED_POLICIES } from '../../engine/load.js';
import { linkOf, payloadOf, readPayload } from '../../playground/src/permalink.js';
import { patchOf, readZip, zipOf } from '../../playground/src/share.js';

const { tests, fixtures } = readTestFiles(SHIPPED_POLICIES);
const base = new Map([...readPolicyDir(SHIPPED_POLICIES), ...tests, ...fixtures].map((f) => [f.path, f.text]));
const A16 = 'live-2016/article-16.tiaoli';
const T12 = 'live-2016/article-12.test.yaml';
const edits = new Map([
  [A16, base.get(A16)!.replace('P60D', 'P90D')],
  [T12, `${base.get(T12)!}# 一个注释\n`],
]);

describe('a zip of the edits', () => {
  it('reads back as the same edits, and a file as shipped is no edit', () => {
    expect(edits.get(A16)).not.toBe(base.get(A16));
    expect(readZip(zipOf(edits), base)).toEqual({ edits });
    const same = zipOf(new Map([...edits, ['fixtures.yaml', base.get('fixtures.yaml')!]]));
    expect(readZip(same, base)).toEqual({ edits });
  });

  it('reads a zip of a folder holding the tree', () => {
    const zip = zipSync(Object.fromEntries([...edits].map(([p, t]) => [`policies/${p}`, strToU8(t)])));
    expect(readZip(zip, base)).toEqual({ edits });
  });

  it('refuses a file that is not a zip, one with files foreign to the tree, and one not UTF-8', () => {
    expect(readZip(strToU8('not a zip at all'), base)).toEqual({ error: expect.stringContaining('not a zip file') });
    const foreign = readZip(zipSync({ [A16]: strToU8('x'), 'notes.txt': strToU8('hello'), 'live-2016/article-99.tiaoli': strToU8('') }), base);
    expect(foreign).toEqual({ error: expect.stringContaining('notes.txt, live-2016/article-99.tiaoli') });
    expect(readZip(zipSync({}), base)).toEqual({ error: expect.stringContaining('no files') });
    expect(readZip(zipSync({ [A16]: new Uint8Array([0xff, 0xfe, 0x00]) }), base)).toEqual({ error: expect.stringContaining(`${A16} is not UTF-8`) });
  });
});

describe('the patch of the edits', () => {
  it('applies to the shipped texts and gives the edited ones, a file after another', () => {
    const patch = patchOf(base, edits, 'sha256:abc');
    expect(patch.split('\n')[0]).toContain('sha256:abc');
    const files = parsePatch(patch);
    expect(files.map((f) => f.newFileName)).toEqual([`b/${T12}`, `b/${A16}`]);
    for (const f of files) {
      const path = f.oldFileName!.slice(2);
      expect(applyPatch(base.get(path)!, f)).toBe(edits.get(path));
    }
  });
});

describe('a permalink', () => {
  it('carries the edits, the event and the open file in its fragment', async () => {
    const shared = { edits: Object.fromEntries(edits), event: '{ "id": "e" }', open: A16, digest: 'sha256:abc' };
    const link = await linkOf(shared, 'http://127.0.0.1:8080/');
    const url = new URL(link);
    expect(url.pathname + url.search).toBe('/');
    const payload = payloadOf(url.hash)!;
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    // Deflated: shorter than the texts it carries.
    expect(payload.length).toBeLessThan(JSON.stringify(shared).length);
    expect(await readPayload(payload)).toEqual(shared);
    expect(payloadOf('#live-2016/article-12.tiaoli')).toBeUndefined();
  });

  it('says so when the link is cut short or is not a permalink', async () => {
    const payload = payloadOf(new URL(await linkOf({ edits: Object.fromEntries(edits), digest: 'd' }, 'http://x/')).hash)!;
    await expect(readPayload(payload.slice(0, payload.length / 2))).rejects.toThrow('damaged or cut short');
    await expect(readPayload('a+b')).rejects.toThrow('damaged or cut short');
    const other = payloadOf(new URL(await linkOf({ edits: { [A16]: 1 } } as never, 'http://x/')).hash)!;
    await expect(readPayload(other)).rejects.toThrow('not a playground permalink');
  });
});
