// `tiaoli fmt [--check] PATH…`: rewrites policy files in the canonical layout (language/format.ts),
// or with --check lists the files that are not in it. A file that cannot be formatted (a syntax
// error) is reported with its diagnostics and left as it is.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { format } from '../../language/format.js';
import { indexOf, type VocabularyIndex } from '../../language/vocabulary.js';
import type { PolicyFile } from '../../language/ast.js';
import { EMPTY_VOCABULARY } from '../../language/check.js';
import { checkVocabulary } from '../../language/check-vocabulary.js';
import { parseFile } from '../../language/parse.js';
import { PolicyLoadError, readPolicyTree, SHIPPED_POLICIES } from '../load.js';

/** Exit status: 0 all formatted (or rewritten), 1 with --check when some are not, 2 when some cannot be. */
export function fmtCommand(args: readonly string[]): number {
  const { values, positionals } = parseArgs({ args: [...args], options: { check: { type: 'boolean' } }, allowPositionals: true });
  let unformatted = 0;
  let failed = 0;
  for (const path of positionals.length > 0 ? positionals : [SHIPPED_POLICIES]) {
    let files;
    try {
      files = policyFiles(path);
    } catch (e) {
      if (!(e instanceof PolicyLoadError)) throw e;
      process.stderr.write(`tiaoli fmt: ${e.message}\n`);
      failed++;
      continue;
    }
    if (!files) {
      process.stderr.write(`tiaoli fmt: no such file or directory: ${path}\n`);
      failed++;
      continue;
    }
    const temporal = vocabularyNear(path, files).temporal;
    for (const { file, text } of files) {
      const result = format({ path: file, text }, temporal);
      if (result.text === undefined) {
        for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
        failed++;
      } else if (result.text !== text) {
        unformatted++;
        if (!values.check) writeFileSync(file, result.text);
        process.stdout.write(`${file}\n`);
      }
    }
  }
  if (values.check && unformatted > 0) process.stderr.write(`tiaoli fmt: ${unformatted} file(s) not formatted; run tiaoli fmt to rewrite them\n`);
  if (failed > 0) process.stderr.write(`tiaoli fmt: ${failed} file(s) could not be formatted\n`);
  return failed > 0 ? 2 : values.check && unformatted > 0 ? 1 : 0;
}

/**
 * The vocabulary a file or tree is written in, for the formatter to tell dates from numbers: that of
 * the highest of the directories at or above `path` holding a vocabulary.tiaoli, else the shipped one.
 */
function vocabularyNear(path: string, read: readonly { file: string; text: string }[]): VocabularyIndex {
  const has = (dir: string) => existsSync(join(dir, 'vocabulary.tiaoli'));
  let dir = resolve(path);
  while (!has(dir) && dirname(dir) !== dir) dir = dirname(dir);
  // A regulation's own vocabulary extends the one of the tree it stands in.
  while (has(dirname(dir)) && dirname(dir) !== dir) dir = dirname(dir);
  const root = has(dir) ? dir : SHIPPED_POLICIES;
  // The tree being formatted is not read again; only its vocabulary files are checked, not its rules.
  const sources = root === resolve(path) ? read.map((f) => ({ path: f.file, text: f.text })) : readPolicyTree(root).sources;
  const files = sources.map((s) => parseFile(s).ast).filter((f): f is PolicyFile => f?.kind === 'vocabulary');
  return indexOf(checkVocabulary(files, () => undefined) ?? EMPTY_VOCABULARY);
}

/** A file as named, or every policy file of a policy tree (sorted, read by its walker); undefined if there is neither. */
function policyFiles(path: string): { file: string; text: string }[] | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isDirectory()) return [{ file: path, text: readFileSync(path, 'utf8') }];
  return readPolicyTree(path).sources.map((s) => ({ file: join(path, s.path), text: s.text }));
}
