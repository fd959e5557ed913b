// What every language service reads: a bundle's policy files, each parsed once per text, and the
// bundle checked as a whole. A snapshot is a value; a change makes a new one, reusing the parses of
// the files whose text did not change.
import { check } from '../check.js';
import type { CheckedBundle } from '../checked.js';
import { byPosition, type Diagnostic } from '../diagnostics.js';
import { parseFile, type ParsedFile } from '../parse.js';
import type { SourceFile } from '../source.js';
import { indexOf, type VocabularyIndex } from '../vocabulary.js';

export interface Snapshot {
  /** Each policy file by path, in path order. */
  readonly files: ReadonlyMap<string, ParsedFile>;
  /** Best effort even with errors: what names are resolved against. */
  readonly checked: CheckedBundle;
  /** Every file's parse and check diagnostics, by position. */
  readonly diagnostics: readonly Diagnostic[];
}

const byPath = (a: SourceFile, b: SourceFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The bundle of `sources`, reusing `previous`'s parse of each file whose text is unchanged. */
export function snapshot(sources: readonly SourceFile[], previous?: Snapshot): Snapshot {
  const files = new Map(
    [...sources].sort(byPath).map((s): [string, ParsedFile] => {
      const old = previous?.files.get(s.path);
      return [s.path, old?.source.text === s.text ? old : parseFile(s)];
    }),
  );
  const parsed = [...files.values()];
  const checked = check({ files: parsed.map((p) => p.ast) });
  // A vocabulary that did not change stays the same object, so that what its readers remember of it
  // (its index, the event validator ajv compiled for it) still holds.
  const kept = previous && JSON.stringify(previous.checked.vocabulary) === JSON.stringify(checked.bundle.vocabulary);
  const bundle = kept ? { ...checked.bundle, vocabulary: previous.checked.vocabulary } : checked.bundle;
  return { files, checked: bundle, diagnostics: [...parsed.flatMap((p) => p.diagnostics), ...checked.diagnostics].sort(byPosition) };
}

/** `s` with `changed` files replaced or added, and `removed` paths gone. */
export function update(s: Snapshot, changed: readonly SourceFile[], removed: readonly string[] = []): Snapshot {
  if (removed.length === 0 && changed.every((c) => s.files.get(c.path)?.source.text === c.text)) return s;
  const sources = new Map([...s.files].map(([path, p]) => [path, p.source]));
  for (const c of changed) sources.set(c.path, c);
  for (const r of removed) sources.delete(r);
  return snapshot([...sources.values()], s);
}

export const vocabularyOf = (s: Snapshot): VocabularyIndex => indexOf(s.checked.vocabulary);

export const textOf = (s: Snapshot, path: string): string | undefined => s.files.get(path)?.source.text;
