// The policy tree walker on real files: symbolic links inside the tree are followed, any other is
// refused by name, and loops, FIFOs and oversized trees are refused quickly instead of hanging.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOAD_LIMITS, loadPolicyDir, PolicyLoadError, readPolicyTree, readTestFiles, SHIPPED_POLICIES, type LoadErrorCode } from '../../engine/load.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tiaoli-load-'));
const copyOfShipped = () => {
  const dir = tmp();
  cpSync(SHIPPED_POLICIES, dir, { recursive: true });
  return dir;
};
const shipped = loadPolicyDir();

/** The PolicyLoadError reading `dir` throws (the test fails if none). */
function refusal(dir: string, limits = LOAD_LIMITS): PolicyLoadError {
  try {
    readPolicyTree(dir, limits);
  } catch (e) {
    if (e instanceof PolicyLoadError) return e;
    throw e;
  }
  throw new Error(`${dir} was read without complaint`);
}

const expectRefused = (dir: string, code: LoadErrorCode, path: string, limits = LOAD_LIMITS) => {
  const e = refusal(dir, limits);
  expect([e.code, e.path]).toEqual([code, path]);
  expect(e.absolute).toBe(join(dir, path));
  return e;
};

describe('links inside the tree', () => {
  it('loads a ConfigMap mount (root/..<time>/…, ..data -> ..<time>, visible links into ..data) with the digest of the plain tree', () => {
    const root = tmp();
    cpSync(SHIPPED_POLICIES, join(root, '..2026_12_01_00_00_00.1'), { recursive: true });
    symlinkSync('..2026_12_01_00_00_00.1', join(root, '..data'));
    for (const name of readdirSync(join(root, '..data'))) symlinkSync(join('..data', name), join(root, name));
    const loaded = loadPolicyDir(root);
    expect(loaded.policy?.digest).toBe(shipped.policy!.digest);
    expect(loaded.sources).toEqual(shipped.sources);
    expect(loaded.tests).toEqual(shipped.tests);
  });

  it('follows a file link and a directory link whose targets are elsewhere in the tree', () => {
    const root = tmp();
    cpSync(SHIPPED_POLICIES, join(root, '.store'), { recursive: true });
    symlinkSync('.store/live-2016', join(root, 'live-2016'));
    symlinkSync('.store/fixtures.yaml', join(root, 'fixtures.yaml'));
    symlinkSync('.store/vocabulary.tiaoli', join(root, 'vocabulary.tiaoli'));
    symlinkSync('.store/calendar.tiaoli', join(root, 'calendar.tiaoli'));
    mkdirSync(join(root, 'av-2019'));
    for (const name of readdirSync(join(root, '.store/av-2019'))) symlinkSync(join('../.store/av-2019', name), join(root, 'av-2019', name));
    cpSync(join(SHIPPED_POLICIES, 'notice-2018'), join(root, 'notice-2018'), { recursive: true });
    expect(loadPolicyDir(root).policy?.digest).toBe(shipped.policy!.digest);
  });
});

describe('links out of the tree', () => {
  it('refuses a link to a policy file outside, naming the link and its target', () => {
    const root = copyOfShipped();
    const outside = tmp();
    writeFileSync(join(outside, 'article-21.tiaoli'), 'article 21 of live-2016\n');
    symlinkSync(join(outside, 'article-21.tiaoli'), join(root, 'live-2016/article-21.tiaoli'));
    const e = expectRefused(root, 'link_outside_root', 'live-2016/article-21.tiaoli');
    expect(e.message).toContain(join(outside, 'article-21.tiaoli'));
  });

  it('refuses a test file linked to /proc/self/environ without reading it', () => {
    const root = copyOfShipped();
    symlinkSync('/proc/self/environ', join(root, 'live-2016/secrets.test.yaml'));
    process.env['TIAOLI_LOAD_TEST_SECRET'] = 'do-not-publish';
    try {
      const e = expectRefused(root, 'link_outside_root', 'live-2016/secrets.test.yaml');
      expect(e.message).not.toContain('do-not-publish');
      expect(() => readTestFiles(root)).toThrow(PolicyLoadError);
    } finally {
      delete process.env['TIAOLI_LOAD_TEST_SECRET'];
    }
  });

  it('refuses a tree made by cp -rs (every link points back at the original) rather than load nothing', () => {
    const root = tmp();
    execFileSync('cp', ['-rs', SHIPPED_POLICIES, join(root, 'p')]);
    expect(refusal(join(root, 'p')).code).toBe('link_outside_root');
  });

  it('refuses a dangling link', () => {
    const root = copyOfShipped();
    symlinkSync('nowhere.tiaoli', join(root, 'live-2016/article-21.tiaoli'));
    expectRefused(root, 'dangling_link', 'live-2016/article-21.tiaoli');
  });
});

describe('trees that would hang the loader', () => {
  it('refuses a directory loop (x -> .)', () => {
    const root = copyOfShipped();
    symlinkSync('.', join(root, 'live-2016/x'));
    expectRefused(root, 'directory_loop', 'live-2016/x');
  });

  it('refuses a link to a directory above it', () => {
    const root = copyOfShipped();
    symlinkSync('..', join(root, 'live-2016/up'));
    expectRefused(root, 'directory_loop', 'live-2016/up');
  });

  it('refuses a FIFO named like a test file without opening it', { timeout: 5000 }, () => {
    const root = copyOfShipped();
    execFileSync('mkfifo', [join(root, 'live-2016/article-12.more.test.yaml')]);
    expectRefused(root, 'special_file', 'live-2016/article-12.more.test.yaml');
  });

  it('refuses /usr by the entry limit', () => {
    expect(refusal('/usr')).toBeInstanceOf(PolicyLoadError);
  });
});

describe('limits', () => {
  it('the shipped tree is far below them', () => {
    const bytes = [...shipped.sources, ...shipped.tests.tests, ...shipped.tests.fixtures].reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    expect(bytes * 100).toBeLessThan(LOAD_LIMITS.maxTotalBytes);
    expect(shipped.sources.length * 100).toBeLessThan(LOAD_LIMITS.maxFiles);
  });

  it('refuses a policy file over the per-file limit', () => {
    const root = copyOfShipped();
    writeFileSync(join(root, 'live-2016/article-21.tiaoli'), `# ${'x'.repeat(LOAD_LIMITS.maxFileBytes)}\n`);
    expectRefused(root, 'file_too_large', 'live-2016/article-21.tiaoli');
  });

  it('refuses past the file count, total bytes, entries and depth', () => {
    const root = copyOfShipped();
    expectRefused(root, 'too_many_files', 'live-2016/article-07.test.yaml', { ...LOAD_LIMITS, maxFiles: 40 });
    expect(refusal(root, { ...LOAD_LIMITS, maxTotalBytes: 100_000 }).code).toBe('too_many_bytes');
    expect(refusal(root, { ...LOAD_LIMITS, maxEntries: 50 }).code).toBe('too_many_entries');
    mkdirSync(join(root, 'a/b/c'), { recursive: true });
    expectRefused(root, 'too_deep', 'a/b/c', { ...LOAD_LIMITS, maxDepth: 2 });
  });
});

describe('the root', () => {
  it('refuses a missing directory and a file', () => {
    expect(refusal(join(tmp(), 'none')).code).toBe('not_found');
    expect(refusal(join(SHIPPED_POLICIES, 'fixtures.yaml')).code).toBe('not_a_directory');
  });

  it('reads test files below a path inside the tree only', () => {
    expect(readTestFiles(SHIPPED_POLICIES, join(SHIPPED_POLICIES, 'notice-2018')).tests.map((t) => t.path)).toEqual(shipped.tests.tests.filter((t) => t.path.startsWith('notice-2018/')).map((t) => t.path));
    expect(() => readTestFiles(SHIPPED_POLICIES, tmp())).toThrow(PolicyLoadError);
  });
});
