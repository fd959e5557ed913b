// `tiaoli fmt [--check|--diff] PATH…|-`: rewrites policy files in the canonical layout
// (language/format.ts), or with --check lists the files that are not in it, with --diff shows how.
// A file that cannot be formatted (a syntax error) is reported with its diagnostics and left as it
// is. Nothing is rewritten unless named: `tiaoli fmt` alone would otherwise rewrite the shipped policies.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { format } from '../../language/format.js';
import { indexOf, type VocabularyIndex } from '../../language/vocabulary.js';
import type { PolicyFile } from '../../language/ast.js';
import { EMPTY_VOCABULARY } from '../../language/check.js';
import { checkVocabulary } from '../../language/check-vocabulary.js';
import { parseFile } from '../../language/parse.js';
import { PolicyLoadError, readPolicyTree, SHIPPED_POLICIES } from '../load.js';
import { shown } from './paths.js';

export interface FmtOptions {
  /** Rewrite nothing: list the files not formatted. */
  readonly check?: boolean;
  /** Rewrite nothing: print a unified diff of what formatting changes. */
  readonly diff?: boolean;
}

/**
 * Exit status: 0 all formatted (or rewritten), 1 with --check or --diff when some are not, 2 when
 * some cannot be. `-` formats standard input to standard output (a policy file in the vocabulary of
 * the tree the current directory is in, else the shipped one).
 */
export async function fmtCommand(paths: readonly string[], o: FmtOptions): Promise<number> {
  const dryRun = o.check || o.diff;
  let unformatted = 0;
  let failed = 0;
  /** Formats one file; the new text when it changes, or undefined. */
  const formatOne = (file: string, text: string, temporal: VocabularyIndex['temporal']): string | undefined => {
    const result = format({ path: file, text }, temporal);
    if (result.text === undefined) {
      for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      failed++;
      return undefined;
    }
    if (result.text === text) return undefined;
    unformatted++;
    if (o.diff) process.stdout.write(createTwoFilesPatch(file, file, text, result.text, undefined, undefined, { context: 3 }));
    return result.text;
  };
  for (const path of paths) {
    if (path === '-') {
      const text = await readAll(process.stdin);
      const formatted = formatOne('<stdin>', text, vocabularyNear('.', []).temporal);
      if (!dryRun && failed === 0) process.stdout.write(formatted ?? text);
      continue;
    }
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
      process.stderr.write(`tiaoli fmt: ${shown(path)}: no such file or directory; check the path\n`);
      failed++;
      continue;
    }
    const temporal = vocabularyNear(path, files).temporal;
    for (const { file, text } of files) {
      const formatted = formatOne(shown(file), text, temporal);
      if (formatted === undefined || o.diff) continue;
      if (!o.check) writeFileSync(file, formatted);
      process.stdout.write(`${shown(file)}\n`);
    }
  }
  if (dryRun && unformatted > 0) process.stderr.write(`tiaoli fmt: ${unformatted} file(s) not formatted; tiaoli fmt PATH rewrites them\n`);
  if (failed > 0) process.stderr.write(`tiaoli fmt: ${failed} file(s) could not be formatted\n`);
  return failed > 0 ? 2 : dryRun && unformatted > 0 ? 1 : 0;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
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
