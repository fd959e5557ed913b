// The named things of a policy file, found in its syntax tree and resolved against the bundle: what
// hover, go to definition, references, rename and semantic highlighting all stand on.
import type * as A from '../ast.js';
import type { CodeKind } from '../checked.js';
import { CODE_KIND_OF, type VocabularyIndex } from '../vocabulary.js';
import type { Span } from '../source.js';
import { vocabularyOf, type Snapshot } from './workspace.js';

/** What a name in a file stands for. `declared` marks the place that declares it. */
export type Target =
  | { readonly k: 'regulation'; readonly name: string }
  | { readonly k: 'citation'; readonly regulation: string; readonly article: number; readonly paragraph?: number }
  | { readonly k: 'rule'; readonly name: string; readonly file: string }
  | { readonly k: 'definition'; readonly name: string }
  | { readonly k: 'field'; readonly name: string }
  | { readonly k: 'event-type'; readonly name: string }
  /** An enumeration's value: a code an outcome names (`codes` says which list) or a value a condition compares. */
  | { readonly k: 'value'; readonly name: string; readonly enumeration?: string; readonly codes?: CodeKind }
  | { readonly k: 'enumeration'; readonly name: string }
  | { readonly k: 'object'; readonly name: string };

export interface Occurrence {
  readonly span: Span;
  readonly target: Target;
  readonly declared: boolean;
}

/** Every occurrence of a name in `path`, in no particular order. */
export function occurrences(s: Snapshot, path: string): Occurrence[] {
  const ast = s.files.get(path)?.ast;
  if (!ast) return [];
  const vocab = vocabularyOf(s);
  const defined = new Set([...s.checked.definitions.map((d) => d.name), ...(ast.kind === 'regulation' || ast.kind === 'article' ? ast.definitions.map((d) => d.name.text) : [])]);
  const out: Occurrence[] = [];
  const at = (span: Span, target: Target, declared = false): void => {
    out.push({ span, target, declared });
  };
  // A calendar names only days.
  if (ast.kind === 'calendar') return out;
  if (ast.kind === 'vocabulary') {
    vocabularyOccurrences(ast, vocab, at);
    return out;
  }
  const ref = (r: A.Ref, field?: string): void => {
    const name = r.path.join('.');
    if (r.path.length === 1 && defined.has(name)) at(r.span, { k: 'definition', name });
    else if (vocab.fields.has(name)) at(r.span, { k: 'field', name });
    else {
      const t = field === undefined ? undefined : vocab.fields.get(field)?.type;
      at(r.span, { k: 'value', name, ...(t && 'enumeration' in t ? { enumeration: t.enumeration } : {}) });
    }
  };
  const operand = (o: A.Operand, field?: string): void => {
    if (o.kind === 'ref') ref(o, field);
    else if (o.kind === 'shift') operand(o.base, field);
  };
  const fieldOf = (o: A.Operand): string | undefined => (o.kind === 'ref' ? o.path.join('.') : undefined);
  const condition = (c: A.Condition): void => {
    switch (c.kind) {
      case 'all':
      case 'any':
        return c.items.forEach(condition);
      case 'not':
        return condition(c.item);
      case 'compare':
        operand(c.left);
        return operand(c.right, fieldOf(c.left));
      case 'oneOf':
      case 'has':
        operand(c.operand);
        return c.values.forEach((v) => operand(v, fieldOf(c.operand)));
      case 'meets':
        operand(c.operand);
        return at(c.code.span, { k: 'value', name: c.code.text, codes: 'verification' });
      default:
        return operand(c.operand);
    }
  };
  const regulation = ast.kind === 'regulation' ? ast.id : ast.regulation;
  at(regulation.span, { k: 'regulation', name: regulation.text }, ast.kind === 'regulation');
  for (const d of ast.definitions) {
    at(d.name.span, { k: 'definition', name: d.name.text }, true);
    condition(d.body);
  }
  if (ast.kind === 'regulation') return out;
  for (const r of ast.rules) {
    at(r.name.span, { k: 'rule', name: r.name.text, file: path }, true);
    const c = r.citation;
    if (c) {
      at(c.regulation.span, { k: 'regulation', name: c.regulation.text });
      at(c.span, { k: 'citation', regulation: c.regulation.text, article: c.article.value, ...(c.paragraph ? { paragraph: c.paragraph.value } : {}) });
    }
    for (const t of r.on) at(t.span, { k: 'event-type', name: t.text });
    if (r.when) condition(r.when);
    for (const o of r.outcomes) {
      if (o.kind === 'deny') continue;
      const codes = CODE_KIND_OF[o.kind];
      at(o.kind === 'retain' ? o.record.span : o.code.span, { k: 'value', name: o.kind === 'retain' ? o.record.text : o.code.text, codes });
      if (o.kind === 'retain') operand(o.from);
      if (o.kind === 'oblige' && o.due) operand(o.due);
    }
  }
  return out;
}

function vocabularyOccurrences(ast: A.VocabularyFile, vocab: VocabularyIndex, at: (span: Span, target: Target, declared?: boolean) => void): void {
  /** The paths an object's fields are read at: the header fields carrying that object. */
  const carriers = (object: string): string[] => [...vocab.objects.values()].filter((o) => o.kind.name === object).map((o) => o.path);
  const field = (f: A.FieldDecl, under: readonly string[]): void => {
    for (const p of under.length ? under.map((u) => `${u}.${f.name.text}`) : [f.name.text]) at(f.name.span, { k: 'field', name: p }, true);
    if (f.type.of) at(f.type.of.span, { k: 'enumeration', name: f.type.of.text });
    else if (vocab.enumerations.has(f.type.word.text)) at(f.type.word.span, { k: 'enumeration', name: f.type.word.text });
    else if (carriers(f.type.word.text).length) at(f.type.word.span, { k: 'object', name: f.type.word.text });
  };
  for (const f of ast.fields) field(f, []);
  for (const item of ast.items) {
    switch (item.kind) {
      case 'enumeration':
        at(item.name.span, { k: 'enumeration', name: item.name.text }, !item.extend);
        for (const v of item.values) {
          at(v.name.span, { k: 'value', name: v.name.text, enumeration: item.name.text }, true);
          for (const m of v.metBy) at(m.span, { k: 'value', name: m.text });
        }
        break;
      case 'object':
        at(item.name.span, { k: 'object', name: item.name.text }, !item.extend);
        for (const f of item.fields) field(f, carriers(item.name.text));
        break;
      case 'event':
        at(item.name.span, { k: 'event-type', name: item.name.text }, true);
        break;
      case 'conflict':
        for (const p of [item.first, item.second]) if (p.code && p.kind !== 'deny') at(p.code.span, { k: 'value', name: p.code.text, codes: CODE_KIND_OF[p.kind] });
        if (item.on) at(item.on.span, { k: 'event-type', name: item.on.text });
        break;
    }
  }
}

/** The occurrences holding `offset`, innermost first; `atEnd` also takes those ending there (the word just typed). */
export function occurrencesAt(s: Snapshot, path: string, offset: number, atEnd = true): Occurrence[] {
  const inside = (o: Occurrence) => o.span.start.offset <= offset && (offset < o.span.end.offset || (atEnd && offset === o.span.end.offset));
  const size = (o: Occurrence) => o.span.end.offset - o.span.start.offset;
  return occurrences(s, path)
    .filter(inside)
    .sort((a, b) => size(a) - size(b));
}

export const occurrenceAt = (s: Snapshot, path: string, offset: number, atEnd = true): Occurrence | undefined => occurrencesAt(s, path, offset, atEnd)[0];

/** Whether two occurrences name the same thing. A rule is known by its file; a value by its enumeration when both say. */
export function sameTarget(a: Target, b: Target, vocab: VocabularyIndex): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'citation':
      return b.k === 'citation' && a.regulation === b.regulation && a.article === b.article;
    case 'rule':
      return b.k === 'rule' && a.name === b.name && a.file === b.file;
    case 'value': {
      if (b.k !== 'value' || a.name !== b.name) return false;
      const ea = enumerationOf(a, vocab);
      const eb = enumerationOf(b, vocab);
      return ea === undefined || eb === undefined || ea === eb;
    }
    default:
      return a.name === (b as { name: string }).name;
  }
}

/** The enumeration a value belongs to, when its place says. */
export function enumerationOf(t: Target & { k: 'value' }, vocab: VocabularyIndex): string | undefined {
  return t.enumeration ?? (t.codes ? vocab.vocabulary.enumerations.find((e) => e.codes === t.codes)?.name : undefined);
}
