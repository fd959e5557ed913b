// Hover, go to definition, find references, the outline and rename: each a plain function of a
// snapshot and a place in one of its files.
import type * as A from '../ast.js';
import { formatDate } from '../calendar.js';
import type { CheckedArticle } from '../checked.js';
import { citationName } from '../glossary.js';
import { fileStart, type Span } from '../source.js';
import { describeType, type VocabularyIndex } from '../vocabulary.js';
import { enumerationOf, occurrenceAt, occurrences, occurrencesAt, sameTarget, type Target } from './symbols.js';
import type { OutlineKind } from './kinds.js';
import { textOf, vocabularyOf, type Snapshot } from './workspace.js';

export interface Hover {
  readonly span: Span;
  /** Markdown blocks. */
  readonly contents: readonly string[];
}

/** What only the caller knows about a rule: how many policy test cases make it fire, by rule id. */
export interface HoverContext {
  readonly casesOf?: (ruleId: string) => number | undefined;
}

export function hover(s: Snapshot, path: string, offset: number, cx: HoverContext = {}): Hover | null {
  // Over any part of a citation, its article's text: what a reader of the rule wants to see.
  const all = occurrencesAt(s, path, offset, false);
  const o = all.find((x) => x.target.k === 'citation') ?? all[0];
  if (!o) return null;
  const contents = describe(s, o.target, path, cx);
  return contents.length ? { span: o.span, contents } : null;
}

/** Where the name at `offset` is declared: a definition, a rule, a field, a code, an event type, an article, a regulation. */
export function definition(s: Snapshot, path: string, offset: number): Span | null {
  const o = occurrenceAt(s, path, offset);
  return o ? declarationOf(s, o.target, path) : null;
}

function declarationOf(s: Snapshot, t: Target, from: string): Span | null {
  switch (t.k) {
    case 'citation': {
      const a = articleVersion(s, t.regulation, t.article, from);
      return a ? (s.files.get(a.file)?.ast?.span ?? fileStart(a.file)) : null;
    }
    case 'regulation': {
      const r = s.checked.regulations.find((x) => x.id === t.name);
      return r ? (s.files.get(r.file)?.ast?.span ?? fileStart(r.file)) : null;
    }
    case 'definition': {
      // The file's own definition first: it is what the checker reads for it even while another file is broken.
      const here = occurrences(s, from).find((o) => o.declared && sameTarget(o.target, t, vocabularyOf(s)));
      if (here) return here.span;
      return s.checked.definitions.find((d) => d.name === t.name)?.span ?? null;
    }
    default: {
      const vocab = vocabularyOf(s);
      for (const path of s.files.keys()) {
        const found = occurrences(s, path).find((o) => o.declared && sameTarget(o.target, t, vocab));
        if (found) return found.span;
      }
      return null;
    }
  }
}

/** Every place naming what the name at `offset` names, across the bundle, its declaration first when asked. */
export function references(s: Snapshot, path: string, offset: number, includeDeclaration = true): Span[] {
  const o = occurrenceAt(s, path, offset);
  if (!o) return [];
  const vocab = vocabularyOf(s);
  const all = [...s.files.keys()].flatMap((p) => occurrences(s, p)).filter((x) => sameTarget(x.target, o.target, vocab) && (includeDeclaration || !x.declared));
  return all
    .sort((a, b) => Number(b.declared) - Number(a.declared) || (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start.offset - b.span.start.offset))
    .map((x) => x.span);
}

// ------------------------------------------------------------------------------------------ outline

export interface OutlineSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: OutlineKind;
  /** The whole item. */
  readonly span: Span;
  /** Its name. */
  readonly selection: Span;
  readonly children: readonly OutlineSymbol[];
}

const leaf = (name: string, kind: OutlineKind, span: Span, selection: Span, detail?: string, children: readonly OutlineSymbol[] = []): OutlineSymbol => ({
  name,
  kind,
  span,
  selection,
  children,
  ...(detail === undefined ? {} : { detail }),
});

/** A file's outline: its header, then its paragraphs, definitions and rules (or its declarations). */
export function documentSymbols(s: Snapshot, path: string): OutlineSymbol[] {
  const ast = s.files.get(path)?.ast;
  if (!ast) return [];
  const definitions = (ds: readonly A.Definition[]) => ds.map((d) => leaf(d.name.text, 'definition', d.span, d.name.span, 'defined term'));
  switch (ast.kind) {
    case 'regulation':
      return [leaf(ast.id.text, 'regulation', ast.span, ast.id.span, ast.titleZh?.value, definitions(ast.definitions))];
    case 'article': {
      const children = [
        ...ast.paragraphs.map((p) => leaf(`paragraph ${p.number.value}`, 'paragraph', p.span, p.number.span, clip(p.zh.value))),
        ...definitions(ast.definitions),
        ...ast.rules.map((r) => leaf(r.name.text, 'rule', r.span, r.name.span, r.on.map((t) => t.text).join(', '))),
      ];
      return [leaf(`${ast.regulation.text} article ${ast.article.value}`, 'article', ast.span, ast.article.span, `version ${ast.version.value}`, children)];
    }
    case 'vocabulary': {
      const fields = (fs: readonly A.FieldDecl[]) => fs.map((f) => leaf(f.name.text, 'field', f.span, f.name.span, f.names.zh?.value));
      const items = ast.items.map((i): OutlineSymbol => {
        switch (i.kind) {
          case 'enumeration':
            return leaf(i.name.text, 'enumeration', i.span, i.name.span, i.names.zh?.value, i.values.map((v) => leaf(v.name.text, 'value', v.span, v.name.span, v.names.zh?.value)));
          case 'object':
            return leaf(i.name.text, 'object', i.span, i.name.span, i.names.zh?.value, fields(i.fields));
          case 'event':
            return leaf(i.name.text, 'event-type', i.span, i.name.span, i.names.zh?.value);
          case 'conflict':
            return leaf(`conflict ${i.first.code?.text ?? i.first.kind} and ${i.second.code?.text ?? i.second.kind}`, 'conflict', i.span, i.first.span);
        }
      });
      return [leaf(ast.id.text, 'vocabulary', ast.span, ast.id.span, ast.titleZh?.value, [...fields(ast.fields), ...items])];
    }
    case 'calendar':
      return [leaf(ast.id.text, 'calendar', ast.span, ast.id.span, ast.titleZh?.value, ast.years.map((y) => leaf(String(y.year.value), 'year', y.span, y.year.span)))];
  }
}

const clip = (s: string, n = 30): string => (s.length > n ? `${s.slice(0, n)}…` : s);

// ------------------------------------------------------------------------------------------ hover text

const escape = (s: string): string => s.replace(/[\\`*_[\]<>#|~]/g, '\\$&');

/** The version of an article a reader means: the one in `file` if it is that article, else the latest. */
export function articleVersion(s: Snapshot, regulation: string, article: number, file: string): CheckedArticle | undefined {
  const versions = s.checked.articles.filter((a) => a.regulation === regulation && a.article === article);
  return versions.find((a) => a.file === file) ?? versions.at(-1);
}

export const carries = (vocab: VocabularyIndex, type: string): string =>
  `carries ${[...vocab.required].filter((p) => vocab.objects.has(p)).concat(vocab.requiredByType[type] ?? []).join(', ')}`;

function describe(s: Snapshot, t: Target, path: string, cx: HoverContext): string[] {
  const vocab = vocabularyOf(s);
  switch (t.k) {
    case 'citation':
      return articleMarkdown(s, t.regulation, t.article, t.paragraph, path);
    case 'rule': {
      const rule = s.checked.articles.flatMap((a) => a.rules).find((x) => x.file === t.file && x.name === t.name);
      const cases = rule && cx.casesOf?.(rule.id);
      const fires = cases === undefined ? '' : cases > 0 ? ` — fires in ${cases} test case${cases === 1 ? '' : 's'}` : ' — no test case makes it fire';
      const cited = rule ? articleMarkdown(s, rule.citation.regulation, rule.citation.article, rule.citation.paragraph, path) : [];
      return [`rule \`${t.name}\`${fires}`, ...cited];
    }
    case 'definition': {
      const at = declarationOf(s, t, path);
      // The declaration's span is its name; show the whole item.
      const item = at && itemText(s, at);
      return [`defined term \`${t.name}\`${at ? ` (${at.file})` : ''}`, ...(item ? [`\`\`\`tiaoli\n${item}\n\`\`\``] : [])];
    }
    case 'field': {
      const field = vocab.fields.get(t.name);
      if (!field) return [];
      const about = [field.aboutZh, field.aboutEn].filter(Boolean).join(' · ');
      return [`event field \`${t.name}\` — ${field.zh} · ${field.en}`, `${describeType(field.type)}${about ? ` — ${about}` : ''}`];
    }
    case 'event-type': {
      const e = vocab.events.get(t.name);
      return e ? [`event type \`${t.name}\` — ${e.zh} · ${e.en} — ${carries(vocab, t.name)}`] : [];
    }
    case 'value': {
      const term = vocab.valueNames(t.name, enumerationOf(t, vocab));
      if (!term) return [];
      const about = [term.aboutZh, term.aboutEn].filter(Boolean).join(' · ');
      return [`\`${t.name}\` — ${term.zh} · ${term.en}`, ...(about ? [about] : [])];
    }
    case 'enumeration': {
      const e = vocab.enumerations.get(t.name);
      return e ? [`enumeration \`${t.name}\` — ${e.zh} · ${e.en}`, e.values.map((v) => `\`${v.name}\` ${v.zh}`).join(', ')] : [];
    }
    case 'object': {
      const o = [...vocab.objects.values()].find((x) => x.kind.name === t.name);
      return o ? [`object \`${t.name}\` — ${o.kind.zh} · ${o.kind.en}`] : [];
    }
    case 'regulation': {
      const reg = s.checked.regulations.find((r) => r.id === t.name);
      return reg ? [`**${escape(reg.titleZh ?? reg.id)}**${reg.titleEn ? ` · ${escape(reg.titleEn)}` : ''}`, `\`${reg.id}\` — in force from ${formatDate(reg.inForce)}, ${reg.articleCount} articles`] : [];
    }
  }
}

/** The whole text of the definition at `at` (its name, or all of it). */
function itemText(s: Snapshot, at: Span): string | undefined {
  const ast = s.files.get(at.file)?.ast;
  const d = ast && (ast.kind === 'regulation' || ast.kind === 'article') ? ast.definitions.find((x) => x.span.start.offset <= at.start.offset && at.start.offset < x.span.end.offset) : undefined;
  return d && textOf(s, at.file)?.slice(d.span.start.offset, d.span.end.offset);
}

/** An article's text for a hover: the regulation's title, the citation, each paragraph in Chinese and English. */
export function articleMarkdown(s: Snapshot, regulation: string, article: number, paragraph: number | undefined, path: string): string[] {
  const reg = s.checked.regulations.find((r) => r.id === regulation);
  const cited = { regulation, article, ...(paragraph === undefined ? {} : { paragraph }) };
  const where = `${citationName(cited, 'zh')} · ${citationName(cited, 'en')}`;
  const head = `**${escape(reg?.titleZh ?? regulation)}**${reg?.titleEn ? ` · ${escape(reg.titleEn)}` : ''}  \n${where}`;
  const a = articleVersion(s, regulation, article, path);
  if (!a) return [head, '_No policy file holds this article._'];
  const paragraphs = a.paragraphs.filter((p) => paragraph === undefined || p.number === paragraph);
  const body = paragraphs.map((p) => [`${paragraphs.length > 1 ? `**${p.number}** ` : ''}${escape(p.zh)}`, ...(p.en ? [`_${escape(p.en)}_`] : [])].join('\n\n'));
  return [head, ...body, ...(a.nonOperative !== undefined ? [`non-operative: ${escape(a.nonOperative)}`] : [])];
}

