// What changes text: rename of a defined term or a rule across the bundle, quick fixes for the
// diagnostics whose help proposes a replacement, and the formatter's layout.
import { isScalar, isSeq, parseDocument, visit } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { format } from '../format.js';
import { lex } from '../parse.js';
import { spanAt, type SourceFile, type Span } from '../source.js';
import * as T from '../tokens.js';
import { occurrenceAt, occurrences, type Target } from './symbols.js';
import { textOf, vocabularyOf, type Snapshot } from './workspace.js';

export interface TextEdit {
  readonly span: Span;
  readonly text: string;
}

/** The rule or defined term a rename at `offset` would rename, and its name's place there; null for anything else. */
export function prepareRename(s: Snapshot, path: string, offset: number): { readonly span: Span; readonly name: string } | null {
  const o = occurrenceAt(s, path, offset);
  if (o?.target.k !== 'definition' && o?.target.k !== 'rule') return null;
  return { span: o.span, name: o.target.name };
}

export type RenameResult = { readonly edits: readonly TextEdit[] } | { readonly refused: Diagnostic };

/**
 * Renames the defined term or rule at `offset` everywhere the bundle names it: a term in every
 * condition of every file, a rule in its file and in the `fired` lists of the policy tests `tests`.
 */
export function rename(s: Snapshot, path: string, offset: number, newName: string, tests: readonly SourceFile[] = []): RenameResult | null {
  const at = prepareRename(s, path, offset);
  const o = occurrenceAt(s, path, offset);
  if (!at || !o) return null;
  const { tokens, diagnostics } = lex({ path: '', text: newName });
  if (diagnostics.length > 0 || tokens.length !== 1 || tokens[0]!.tokenType !== T.Identifier) {
    return { refused: diagnostic('renameNotAName', at.span, { name: JSON.stringify(newName) }) };
  }
  const taken = takenBy(s, o.target, newName);
  if (taken) return { refused: diagnostic('renameTaken', at.span, { name: newName, what: taken.what, file: taken.file }) };
  if (o.target.k === 'definition') {
    const name = o.target.name;
    const edits = [...s.files.keys()].flatMap((p) => occurrences(s, p).filter((x) => x.target.k === 'definition' && x.target.name === name)).map((x) => ({ span: x.span, text: newName }));
    return { edits };
  }
  const target = o.target as Target & { k: 'rule' };
  const rule = s.checked.articles.flatMap((a) => a.rules).find((r) => r.file === target.file && r.name === target.name);
  const own = occurrences(s, target.file).filter((x) => x.declared && x.target.k === 'rule' && x.target.name === target.name);
  return { edits: [...own.map((x) => ({ span: x.span, text: newName })), ...(rule ? tests.flatMap((t) => firedEdits(t, rule.id, newName)) : [])] };
}

/** What in the bundle is already called `name`, in the scope of `t`: a term's the bundle, a rule's its article. */
function takenBy(s: Snapshot, t: Target, name: string): { what: string; file: string } | undefined {
  if (t.k === 'definition') {
    const def = s.checked.definitions.find((d) => d.name === name);
    if (def) return { what: 'defined term', file: def.file };
    return vocabularyOf(s).fields.has(name) ? { what: 'event field', file: s.checked.vocabulary.names.join(', ') } : undefined;
  }
  if (t.k !== 'rule') return undefined;
  return occurrences(s, t.file).some((x) => x.declared && x.target.k === 'rule' && x.target.name === name) ? { what: 'rule', file: t.file } : undefined;
}

/** The entries of the `fired` lists of a test file that name the rule `id`: its full id or its name alone. */
function firedEdits(test: SourceFile, id: string, newName: string): TextEdit[] {
  const doc = parseDocument(test.text);
  const name = id.slice(id.lastIndexOf('/') + 1);
  const renamed = `${id.slice(0, id.lastIndexOf('/') + 1)}${newName}`;
  const edits: TextEdit[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'fired' || !isSeq(pair.value)) return;
      for (const item of pair.value.items) {
        if (!isScalar(item) || !item.range || (item.value !== id && item.value !== name)) continue;
        const [start, end] = item.range;
        // A quoted entry keeps its quotes.
        const quoted = test.text[start] === '"' || test.text[start] === "'" ? 1 : 0;
        edits.push({ span: spanAt(test, start + quoted, end - quoted), text: item.value === id ? renamed : newName });
      }
    },
  });
  return edits;
}

export interface CodeAction {
  readonly title: string;
  readonly diagnostic: Diagnostic;
  readonly edit: TextEdit;
}

/** A quick fix for each replacement the help of a diagnostic of `path` proposes, for those overlapping [start, end). */
export function codeActions(s: Snapshot, path: string, start = 0, end = Number.MAX_SAFE_INTEGER): CodeAction[] {
  return s.diagnostics
    .filter((d) => d.span.file === path && d.span.start.offset <= end && d.span.end.offset >= start)
    .flatMap((d) => (d.replacements ?? []).map((r) => ({ title: r === '' ? 'Remove it 删除' : `Change to \`${r}\` 改为 \`${r}\``, diagnostic: d, edit: { span: d.span, text: r } })));
}

export interface Formatted {
  /** Absent when the file could not be formatted; the diagnostics say why. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** The file in the one canonical layout (language/format.ts). */
export function formatting(s: Snapshot, path: string): Formatted {
  const text = textOf(s, path);
  if (text === undefined) return { diagnostics: [] };
  return format({ path, text }, vocabularyOf(s).temporal);
}
