// Reading a policy directory from disk (Node only): every *.tiaoli file below it, and its policy tests,
// named by their paths relative to the directory, so a bundle's digest does not depend on where it was
// checked out.
//
// One walker reads a policy tree, for the policies, their tests and the fixtures alike, and refuses
// (PolicyLoadError) rather than skip anything it cannot read as the tree's own law:
// - a symbolic link is followed only when its target's real path lies inside the root's real path
//   (a Kubernetes ConfigMap mount: `article.tiaoli -> ..data/article.tiaoli`, `..data -> ..2026_…`);
//   a link out of the tree, or one that leads nowhere, is an error naming the link and its target;
// - names beginning with `.` are not part of the tree (`.git`, a ConfigMap's `..data`), so what
//   they hold is read only through the visible links into them;
// - a directory reached a second time by its real path (a loop such as `x -> .`) is an error;
// - only regular files are read: a FIFO, socket or device with a policy file's name is an error, and
//   is never opened for blocking reads;
// - LOAD_LIMITS bounds the entries walked, the files read and their bytes, so that a directory such
//   as /usr is refused after a moment instead of read to the end.
import { closeSync, constants, fstatSync, lstatSync, openSync, opendirSync, readFileSync, readSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../language/source.js';
import { PACKAGE_ROOT } from './package-root.js';
import { buildBundle, type BundleResult, type Prebuilt } from './bundle.js';
import { isFixturesFile, isPolicyFile, isTestFile } from './files.js';
import type { TestSource } from './policy-tests.js';

/** The version of this package, as `tiaoli --version` and reports give it. */
export const packageVersion = (): string => (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The policies shipped with Tiaoli. */
export const SHIPPED_POLICIES = join(PACKAGE_ROOT, 'policies');

/** How much a policy tree may hold. The shipped one: 77 entries, 74 files, 204 KB, the largest 10 KB. */
export interface LoadLimits {
  /** Directory entries walked, of any kind, hidden ones included. */
  readonly maxEntries: number;
  /** Policy, test and fixtures files read. */
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
  /** Directories below the root. */
  readonly maxDepth: number;
}

export const LOAD_LIMITS: LoadLimits = { maxEntries: 50_000, maxFiles: 10_000, maxFileBytes: 1 << 20, maxTotalBytes: 64 << 20, maxDepth: 16 };

export type LoadErrorCode =
  | 'not_found'
  | 'not_a_directory'
  | 'outside_root'
  | 'link_outside_root'
  | 'dangling_link'
  | 'directory_loop'
  | 'special_file'
  | 'unreadable'
  | 'too_many_entries'
  | 'too_many_files'
  | 'file_too_large'
  | 'too_many_bytes'
  | 'too_deep';

/** Why a policy tree was refused: a code, and the offending path relative to the root and as an absolute path. */
export class PolicyLoadError extends Error {
  override readonly name = 'PolicyLoadError';
  constructor(
    readonly code: LoadErrorCode,
    /** Relative to the policy root, `/`-separated; `.` for the root itself. */
    readonly path: string,
    readonly absolute: string,
    detail: string,
  ) {
    super(`${absolute}: ${detail}`);
  }
}

export interface PolicyTree {
  readonly sources: SourceFile[];
  readonly tests: TestSource[];
  readonly fixtures: TestSource[];
}

/**
 * Every policy, test and fixtures file below `root`, sorted by path; throws PolicyLoadError. With
 * `tests: false` the tests and fixtures are walked and refused as ever, but not read (a command
 * that only decides has no use for them).
 */
export function readPolicyTree(root: string, limits: LoadLimits = LOAD_LIMITS, { tests = true }: { readonly tests?: boolean } = {}): PolicyTree {
  const absRoot = resolve(root);
  const refuse = (code: LoadErrorCode, rel: string, detail: string): never => {
    throw new PolicyLoadError(code, rel === '' ? '.' : rel, rel === '' ? absRoot : join(absRoot, rel), detail);
  };
  const io = <T>(rel: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof PolicyLoadError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      return refuse(code === 'ENOENT' ? 'not_found' : 'unreadable', rel, `cannot be read (${code ?? (e as Error).message})`);
    }
  };
  const realRoot = io('', () => realpathSync(absRoot));
  if (!io('', () => statSync(realRoot)).isDirectory()) refuse('not_a_directory', '', 'is not a directory');
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);

  const found: { rel: string; real: string }[] = [];
  const dirsSeen = new Map<string, string>([[realRoot, '.']]);
  let entries = 0;
  const walk = (real: string, rel: string, depth: number): void => {
    // One entry at a time, so that a huge directory is refused at the limit instead of listed first;
    // then sorted, so that which entry is refused does not depend on the file system's order.
    const listed: Dirent[] = [];
    const dir = io(rel, () => opendirSync(real));
    try {
      for (let e: Dirent | null; (e = io(rel, () => dir.readSync())) !== null; listed.push(e))
        if (++entries > limits.maxEntries) refuse('too_many_entries', rel, `takes the policy tree past ${limits.maxEntries} entries; is this a policy directory?`);
    } finally {
      dir.closeSync();
    }
    for (const e of listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      let childReal = join(real, e.name);
      // Some file systems do not say what an entry is; lstat does.
      const entry = e.isFile() || e.isDirectory() || e.isSymbolicLink() ? e : io(childRel, () => lstatSync(childReal));
      if (entry.isSymbolicLink()) {
        childReal = io(childRel, () => {
          try {
            return realpathSync(childReal);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') return refuse('dangling_link', childRel, 'is a symbolic link to nothing');
            if (code === 'ELOOP') return refuse('directory_loop', childRel, 'is a symbolic link that leads back to itself');
            throw err;
          }
        });
        if (!inside(childReal)) refuse('link_outside_root', childRel, `is a symbolic link to ${childReal}, outside the policy directory ${realRoot}; copy the file in (cp -L) instead`);
      }
      const kind = entry.isSymbolicLink() ? io(childRel, () => statSync(childReal)) : entry;
      if (kind.isDirectory()) {
        const seen = dirsSeen.get(childReal);
        if (seen !== undefined) refuse('directory_loop', childRel, `is the directory ${seen === '.' ? 'of the policy root' : seen} again (${childReal})`);
        if (depth + 1 > limits.maxDepth) refuse('too_deep', childRel, `is more than ${limits.maxDepth} directories deep`);
        dirsSeen.set(childReal, childRel);
        walk(childReal, childRel, depth + 1);
      } else if (isPolicyFile(e.name) || isTestFile(e.name) || isFixturesFile(e.name)) {
        if (!kind.isFile()) refuse('special_file', childRel, 'is not a regular file (a FIFO, socket or device); only regular files are read');
        if (found.length >= limits.maxFiles) refuse('too_many_files', childRel, `is past the limit of ${limits.maxFiles} policy and test files`);
        found.push({ rel: childRel, real: childReal });
      }
    }
  };
  walk(realRoot, '', 0);

  let total = 0;
  const tree: PolicyTree = { sources: [], tests: [], fixtures: [] };
  for (const { rel, real } of found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    if (!tests && !isPolicyFile(rel)) continue;
    const bytes = io(rel, () => readRegularFile(real, Math.min(limits.maxFileBytes, limits.maxTotalBytes - total), (code, detail) => refuse(code, rel, detail)));
    total += bytes.length;
    const file = { path: rel, text: bytes.toString('utf8') };
    if (isPolicyFile(rel)) tree.sources.push(file);
    else if (isTestFile(rel)) tree.tests.push(file);
    else tree.fixtures.push(file);
  }
  return tree;

  /** Reads at most `max` bytes; the file is opened non-blocking so that a FIFO put in its place is refused, not waited on. */
  function readRegularFile(path: string, max: number, fail: (code: LoadErrorCode, detail: string) => never): Buffer {
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) fail('special_file', 'is not a regular file (a FIFO, socket or device); only regular files are read');
      const tooBig = (size: number): never =>
        size > limits.maxFileBytes
          ? fail('file_too_large', `is larger than the limit of ${limits.maxFileBytes} bytes`)
          : fail('too_many_bytes', `takes the policy files past the limit of ${limits.maxTotalBytes} bytes`);
      if (st.size > max) tooBig(st.size);
      // The size stat gives is not trusted (a file may grow, a generated one shows 0): read in steps up to max + 1.
      const chunks: Buffer[] = [];
      for (let n = 0; ; ) {
        const chunk = Buffer.allocUnsafe(Math.min(64 << 10, max + 1 - n));
        const r = readSync(fd, chunk, 0, chunk.length, null);
        if (r === 0) break;
        chunks.push(chunk.subarray(0, r));
        if ((n += r) > max) tooBig(n);
      }
      return Buffer.concat(chunks);
    } finally {
      closeSync(fd);
    }
  }
}

export function readPolicyDir(dir: string): SourceFile[] {
  return readPolicyTree(dir, LOAD_LIMITS, { tests: false }).sources;
}

export type LoadedPolicies = BundleResult & { readonly sources: readonly SourceFile[]; readonly tests: TestFiles };

/** Reads and builds the policies in `dir` in one walk, their tests along unless `tests: false`; throws PolicyLoadError. */
export function loadPolicyDir(dir: string = SHIPPED_POLICIES, options: { readonly tests?: boolean; readonly prebuilt?: Prebuilt } = {}): LoadedPolicies {
  const { sources, tests, fixtures } = readPolicyTree(dir, LOAD_LIMITS, options);
  return { ...buildBundle(sources, options.prebuilt), sources, tests: { tests, fixtures } };
}

export interface TestFiles {
  readonly tests: TestSource[];
  readonly fixtures: TestSource[];
}

/** Policy test files under `path` (a file or a directory inside the policy directory), named relative to the policy directory. */
export function readTestFiles(policyDir: string, path: string = policyDir): TestFiles {
  return testsWithin(readPolicyTree(policyDir), policyDir, path);
}

/** The tests of a policy tree that lie under `path`, with all its fixtures; throws PolicyLoadError when `path` is outside it. */
export function testsWithin({ tests, fixtures }: TestFiles, policyDir: string, path: string = policyDir): TestFiles {
  const within = relative(resolve(policyDir), resolve(path)).split(sep).join('/');
  if (within === '..' || within.startsWith('../') || isAbsolute(within))
    throw new PolicyLoadError('outside_root', within, resolve(path), `is not inside the policy directory ${resolve(policyDir)}; tests are read from the policy tree`);
  return { tests: within === '' ? tests : tests.filter((t) => t.path === within || t.path.startsWith(`${within}/`)), fixtures };
}
