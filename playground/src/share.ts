// The edits as files to send: a zip of the edited files (paths as in the tree), a zip read back in,
// and a unified patch against the shipped files. Plain functions with no DOM, so vitest runs them in
// Node; share-dialog.ts puts them on the page, loaded only when asked for (with fflate and jsdiff).
import { createTwoFilesPatch } from 'diff';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { isFixturesFile, isPolicyFile, isTestFile } from '../../engine/files.js';

/** A file of a zip larger than this is no policy file: refused before it is inflated. */
const MAX_FILE_BYTES = 4 << 20;

/** The edited files, each at its path in the tree. */
export function zipOf(edits: ReadonlyMap<string, string>): Uint8Array {
  return zipSync(Object.fromEntries([...edits].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, text]) => [path, strToU8(text)])), { level: 6 });
}

export type ZipRead = { readonly edits: ReadonlyMap<string, string> } | { readonly error: string };

const treeFile = (path: string) => isPolicyFile(path) || isTestFile(path) || isFixturesFile(path);

/**
 * The edits a zip holds: each file must be a policy, policy test or fixtures file of the tree
 * (`base`), at its path there or all under one folder (a zip of a folder), in UTF-8. Any that is not
 * makes the whole zip refused, saying which: nothing is half imported.
 */
export function readZip(bytes: Uint8Array, base: ReadonlyMap<string, string>): ZipRead {
  let files: Record<string, Uint8Array>;
  let tooLarge: string | undefined;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.originalSize > MAX_FILE_BYTES) tooLarge ??= f.name;
        return !f.name.endsWith('/') && f.originalSize <= MAX_FILE_BYTES;
      },
    });
  } catch (e) {
    return { error: `not a zip file 不是有效的 zip 文件 (${(e as Error).message})` };
  }
  if (tooLarge) return { error: `${tooLarge} is larger than a policy file can be 文件过大` };
  let names = Object.keys(files).map((n) => n.replace(/^\.\//, ''));
  if (names.length === 0) return { error: 'the zip holds no files zip 中没有文件' };
  // A zip of a folder holding the tree: its paths are the tree's under that folder.
  const folder = /^[^/]+\//.exec(names[0]!)?.[0];
  if (folder && !names.every((n) => base.has(n)) && names.every((n) => n.startsWith(folder) && base.has(n.slice(folder.length)))) names = names.map((n) => n.slice(folder.length));
  const foreign = names.filter((n) => !base.has(n) || !treeFile(n));
  if (foreign.length) return { error: `not policy or test files of the tree 不是本策略树中的策略或测试文件: ${foreign.join(', ')}` };
  const edits = new Map<string, string>();
  const raw = Object.values(files);
  for (const [i, path] of names.entries()) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw[i]);
    } catch {
      return { error: `${path} is not UTF-8 text 不是 UTF-8 文本` };
    }
    if (text !== base.get(path)) edits.set(path, text);
  }
  return { edits };
}

/**
 * A unified patch of the edits against the shipped files (`base`), a file after another in path
 * order, with `a/` and `b/` before the tree's paths; the lines before the first file say what it is
 * and where it applies.
 */
export function patchOf(base: ReadonlyMap<string, string>, edits: ReadonlyMap<string, string>, digest: string): string {
  const paths = [...edits.keys()].sort();
  const head = [
    `Edits made in the Tiaoli playground to the shipped policies (sources ${digest}).`,
    'In the policy directory (policies/ of the repository): patch -p1 < this file, or git apply --directory=policies.',
    '',
  ].join('\n');
  return head + paths.map((p) => createTwoFilesPatch(`a/${p}`, `b/${p}`, base.get(p) ?? '', edits.get(p)!, undefined, undefined, { context: 3 })).join('');
}
