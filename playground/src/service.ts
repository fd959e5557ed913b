// The playground's language service: a workspace of policy and test files, analysed with the real
// passes (parse, check, compile, policy tests, decide, explain, format). It runs in the page's worker;
// it is plain TypeScript with no DOM or editor types, so vitest runs it in Node too.
import { buildBundle } from '../../engine/bundle.js';
import type { CompiledPolicy } from '../../engine/compile.js';
import { decide, isDecisionError } from '../../engine/decide.js';
import { explain, renderExplanation } from '../../engine/explain.js';
import { isFixturesFile, isPolicyFile, isTestFile } from '../../engine/files.js';
import { ruleCoverage, runPolicyTests } from '../../engine/policy-tests.js';
import type { Event } from '../../engine/schema/event.js';
import type * as A from '../../language/ast.js';
import { formatDate } from '../../language/calendar.js';
import type { CheckedBundle, CodeKind } from '../../language/checked.js';
import { EMPTY_VOCABULARY } from '../../language/check.js';
import { EMPTY_CALENDAR } from '../../language/check-calendar.js';
import { format } from '../../language/format.js';
import { citationName, glossaryOf } from '../../language/glossary.js';
import { OPERATORS, spellings } from '../../language/operators.js';
import { lex, parseFile, type ParsedFile } from '../../language/parse.js';
import type { Span } from '../../language/source.js';
import { Identifier, KEYWORDS, MOVED_PAST_REST_DAYS } from '../../language/tokens.js';
import { describeType, indexOf, type VocabularyIndex } from '../../language/vocabulary.js';
import type { Analysis, CompletionEntry, DecideResult, FileText, FormatAnswer, HoverInfo, TestReport } from './protocol.js';

/** A named thing in a policy file that hover, completion and go-to-definition know about. */
type Sym =
  | { readonly k: 'citation'; readonly span: Span; readonly citation: A.Citation }
  | { readonly k: 'rule'; readonly span: Span; readonly rule: A.Rule }
  | { readonly k: 'define'; readonly span: Span; readonly name: string }
  /** A dotted name in a condition: an event field, a defined term or a value. */
  | { readonly k: 'ref'; readonly span: Span; readonly path: string }
  /** An outcome code, a record kind, a verification code or an event type. */
  | { readonly k: 'code'; readonly span: Span; readonly code: string }
  | { readonly k: 'regulation'; readonly span: Span; readonly id: string };

const EMPTY: CheckedBundle = { vocabulary: EMPTY_VOCABULARY, calendar: EMPTY_CALENDAR, regulations: [], articles: [], definitions: [] };

export class Workspace {
  private readonly files = new Map<string, string>();
  private readonly parsed = new Map<string, ParsedFile>();
  private policy: CompiledPolicy | undefined;
  private checked: CheckedBundle = EMPTY;
  /** Rule id → the number of test cases that made it fire. */
  private coverage = new Map<string, number>();

  /** Takes in changed files and analyses the whole workspace. */
  sync(changed: readonly FileText[]): Analysis {
    for (const f of changed) this.files.set(f.path, f.text);
    const all = [...this.files].map(([path, text]) => ({ path, text })).sort((a, b) => (a.path < b.path ? -1 : 1));
    const built = buildBundle(all.filter((f) => isPolicyFile(f.path)));
    this.policy = built.policy;
    this.checked = built.checked;
    let tests: TestReport | undefined;
    if (built.policy) {
      const run = runPolicyTests(built.policy, all.filter((f) => isTestFile(f.path)), all.filter((f) => isFixturesFile(f.path)));
      tests = { ...run, coverage: ruleCoverage(built.policy, run.results) };
    }
    this.coverage = new Map(tests?.coverage.map((c) => [c.rule, c.cases]));
    return {
      diagnostics: built.diagnostics,
      ...(built.policy ? { digest: built.policy.digest } : {}),
      regulations: built.checked.regulations.map(({ id, file, titleZh, titleEn, articleCount }) => ({ id, file, titleZh, titleEn, articleCount })),
      articles: built.checked.articles.map(({ file, regulation, article, version, paragraphs, nonOperative }) => ({ file, regulation, article, version, paragraphs, nonOperative })),
      glossary: glossaryOf(built.checked.vocabulary),
      ...(tests ? { tests } : {}),
    };
  }

  decide(event: unknown): DecideResult {
    if (!this.policy) return { ok: false, reason: 'not-compiled' };
    const decision = decide(this.policy, event);
    if (isDecisionError(decision)) return { ok: false, reason: 'invalid', errors: decision.error.errors ?? [] };
    const explanation = explain(this.policy, event as Event);
    const text = { zh: renderExplanation(explanation, event as Event, 'zh'), en: renderExplanation(explanation, event as Event, 'en') };
    return { ok: true, decision, explanation, text };
  }

  format(file: FileText): FormatAnswer {
    if (!isPolicyFile(file.path)) return { diagnostics: [] };
    const { text, diagnostics } = format(file, this.vocab.temporal);
    return text === undefined ? { diagnostics } : { text, diagnostics };
  }

  hover(file: FileText, offset: number): HoverInfo | null {
    const sym = this.symbolAt(file, offset, false);
    if (!sym) return null;
    const contents = this.describe(sym, file.path);
    return contents.length ? { span: sym.span, contents } : null;
  }

  definition(file: FileText, offset: number): { path: string; span: Span } | null {
    const sym = this.symbolAt(file, offset, true);
    const at = (path: string): { path: string; span: Span } => ({ path, span: { file: path, start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } } });
    switch (sym?.k) {
      case 'ref': {
        const def = this.definitionNamed(sym.path, file);
        return def ? { path: def.file, span: def.span } : null;
      }
      case 'citation': {
        const article = this.articleVersion(sym.citation.regulation.text, sym.citation.article.value, file.path);
        return article ? at(article.file) : null;
      }
      case 'regulation': {
        const reg = this.checked.regulations.find((r) => r.id === sym.id);
        return reg ? at(reg.file) : null;
      }
      default:
        return null;
    }
  }

  complete(file: FileText, offset: number): CompletionEntry[] {
    const prefix = file.text.slice(0, offset);
    const { tokens, comments, diagnostics } = lex({ path: file.path, text: prefix });
    // Inside a comment or unfinished quoted text (which the lexer reports at its opening quote), nothing is offered.
    if (comments.some((c) => (c.endOffset ?? -1) + 1 === offset) || diagnostics.some((d) => prefix[d.span.start.offset] === '"')) return [];
    // Leave out the word being typed: what comes before it says what may stand there.
    let i = tokens.length;
    let end = offset;
    while (i > 0) {
      const t = tokens[i - 1]!;
      const wordlike = /^(Identifier|Integer|Dot)$/.test(t.tokenType.name) || KEYWORDS.includes(t.image);
      if ((t.endOffset ?? -1) + 1 !== end || !wordlike) break;
      end = t.startOffset;
      i--;
    }
    const before = tokens.slice(0, i).map((t) => ({ image: t.image, word: t.tokenType === Identifier }));
    const img = (n: number) => before[before.length - n]?.image;

    if (img(1) === 'cites' || (img(1) === 'of' && img(3) === 'article')) return this.regulationEntries();
    if (img(1) === 'article' && img(3) === 'cites') return this.articleEntries(img(2)!);
    if (img(1) === 'paragraph' && img(3) === 'article' && img(5) === 'cites') return this.paragraphEntries(img(4)!, Number(img(2)));
    const vocab = this.vocab;
    if (inEventTypeList(before)) return vocab.eventTypes.map((t) => ({ label: t, kind: 'event-type', detail: carries(vocab, t) }));
    const codes = codeKind(img(1), img(2));
    if (codes) return vocab.codes[codes].map((c) => valueEntry(vocab, c, 'code'));
    const field = valueField(before);
    if (field) {
      const t = vocab.fields.get(field)?.type;
      const values = t?.t === 'enum' || t?.t === 'set' ? t.values.map((v) => valueEntry(vocab, v, 'value', t.enumeration)) : t?.t === 'bool' ? ['true', 'false'].map((v) => valueEntry(vocab, v, 'value')) : [];
      return [...values, ...keywordEntries(AFTER_VALUE_START)];
    }
    if (['when', 'and', 'or', 'not', '(', 'as'].includes(img(1) ?? '')) return [...this.fieldEntries(() => true), ...this.definitionEntries(file), ...keywordEntries(['not'])];
    // After a period, a last day may move past rest days (民法典 art. 203): offered as one phrase.
    if (['plus', 'minus'].includes(img(2) ?? '') && /^P/.test(img(1) ?? '')) return keywordEntries([MOVED_PAST_REST_DAYS, ...KEYWORDS]);
    if ([...BEFORE_DATES, 'due'].includes(img(1) ?? '') || (img(1) === 'from' && img(3) === 'for')) {
      return this.fieldEntries((p) => ['date', 'timestamp'].includes(vocab.fields.get(p)!.type.t));
    }
    return keywordEntries(KEYWORDS);
  }

  // ------------------------------------------------------------------------------------------

  private parse(file: FileText): ParsedFile | undefined {
    if (!isPolicyFile(file.path)) return undefined;
    const cached = this.parsed.get(file.path);
    if (cached?.source.text === file.text) return cached;
    const parsed = parseFile(file);
    this.parsed.set(file.path, parsed);
    return parsed;
  }

  /** The innermost symbol at `offset`; `atEnd` also takes one that ends there (the word just typed). */
  private symbolAt(file: FileText, offset: number, atEnd: boolean): Sym | undefined {
    const ast = this.parse(file)?.ast;
    if (!ast) return undefined;
    const inside = (s: Sym) => s.span.start.offset <= offset && (offset < s.span.end.offset || (atEnd && offset === s.span.end.offset));
    const size = (s: Sym) => s.span.end.offset - s.span.start.offset;
    return symbols(ast).filter(inside).sort((a, b) => size(a) - size(b))[0];
  }

  private definitionNamed(name: string, file: FileText): { file: string; span: Span; text: string } | undefined {
    const here = definitionsIn(this.parse(file)?.ast).find((d) => d.name.text === name);
    if (here) return { file: file.path, span: here.span, text: file.text.slice(here.span.start.offset, here.span.end.offset) };
    const def = this.checked.definitions.find((d) => d.name === name);
    if (!def) return undefined;
    return { file: def.file, span: def.span, text: this.files.get(def.file)?.slice(def.span.start.offset, def.span.end.offset) ?? name };
  }

  /** The version of an article a hover shows: the one in `file` if it is that article, else the latest. */
  private articleVersion(regulation: string, article: number, file: string) {
    const versions = this.checked.articles.filter((a) => a.regulation === regulation && a.article === article);
    return versions.find((a) => a.file === file) ?? versions.at(-1);
  }

  private describe(sym: Sym, path: string): string[] {
    switch (sym.k) {
      case 'citation':
        return this.articleMarkdown(sym.citation.regulation.text, sym.citation.article.value, sym.citation.paragraph?.value, path);
      case 'rule': {
        const r = sym.rule;
        const id = this.checked.articles.flatMap((a) => a.rules).find((x) => x.file === path && x.name === r.name.text)?.id;
        const cases = id === undefined ? undefined : this.coverage.get(id);
        const head = `rule \`${r.name.text}\`${cases === undefined ? '' : cases > 0 ? ` — fires in ${cases} test case${cases === 1 ? '' : 's'}` : ' — no test case makes it fire'}`;
        return [head, ...(r.citation ? this.articleMarkdown(r.citation.regulation.text, r.citation.article.value, r.citation.paragraph?.value, path) : [])];
      }
      case 'define':
      case 'ref': {
        const name = sym.k === 'define' ? sym.name : sym.path;
        const field = this.vocab.fields.get(name);
        if (field) {
          const about = field.aboutZh ?? field.aboutEn;
          return [`event field \`${name}\` — ${field.zh} · ${field.en}`, `${describeType(field.type)}${about ? ` — ${about}` : ''}`];
        }
        const def = this.definitionNamed(name, { path, text: this.files.get(path) ?? '' });
        if (def) return [`defined term \`${name}\` (${def.file})`, `\`\`\`tiaoli\n${def.text}\n\`\`\``];
        return valueMarkdown(this.vocab, name);
      }
      case 'code':
        return valueMarkdown(this.vocab, sym.code);
      case 'regulation': {
        const reg = this.checked.regulations.find((r) => r.id === sym.id);
        return reg ? [`**${escape(reg.titleZh ?? reg.id)}**${reg.titleEn ? ` · ${escape(reg.titleEn)}` : ''}`, `\`${reg.id}\` — in force from ${formatDate(reg.inForce)}, ${reg.articleCount} articles`] : [];
      }
    }
  }

  /** An article's text for a hover: the regulation's title, the citation, each paragraph in Chinese and English. */
  private articleMarkdown(regulation: string, article: number, paragraph: number | undefined, path: string): string[] {
    const reg = this.checked.regulations.find((r) => r.id === regulation);
    const cited = { regulation, article, ...(paragraph === undefined ? {} : { paragraph }) };
    const where = `${citationName(cited, 'zh')} · ${citationName(cited, 'en')}`;
    const head = `**${escape(reg?.titleZh ?? regulation)}**${reg?.titleEn ? ` · ${escape(reg.titleEn)}` : ''}  \n${where}`;
    const a = this.articleVersion(regulation, article, path);
    if (!a) return [head, '_No policy file holds this article._'];
    const paragraphs = a.paragraphs.filter((p) => paragraph === undefined || p.number === paragraph);
    const body = paragraphs.map((p) => [`${paragraphs.length > 1 ? `**${p.number}** ` : ''}${escape(p.zh)}`, ...(p.en ? [`_${escape(p.en)}_`] : [])].join('\n\n'));
    return [head, ...body, ...(a.nonOperative !== undefined ? [`non-operative: ${escape(a.nonOperative)}`] : [])];
  }

  private regulationEntries(): CompletionEntry[] {
    return this.checked.regulations.map((r) => ({ label: r.id, kind: 'regulation', detail: r.titleZh, ...(r.titleEn ? { documentation: r.titleEn } : {}) }));
  }

  private articleEntries(regulation: string): CompletionEntry[] {
    const reg = this.checked.regulations.find((r) => r.id === regulation);
    return Array.from({ length: reg?.articleCount ?? 0 }, (_, i) => {
      const a = this.articleVersion(regulation, i + 1, '');
      const zh = a?.paragraphs[0]?.zh ?? '';
      return { label: String(i + 1), kind: 'article', detail: zh.length > 30 ? `${zh.slice(0, 30)}…` : zh };
    });
  }

  private paragraphEntries(regulation: string, article: number): CompletionEntry[] {
    return (this.articleVersion(regulation, article, '')?.paragraphs ?? []).map((p) => ({ label: String(p.number), kind: 'paragraph', detail: p.zh, ...(p.en ? { documentation: p.en } : {}) }));
  }

  private get vocab(): VocabularyIndex {
    return indexOf(this.checked.vocabulary);
  }

  private fieldEntries(keep: (path: string) => boolean): CompletionEntry[] {
    return this.vocab.vocabulary.fields.filter((f) => keep(f.path)).map((f) => ({ label: f.path, kind: 'field', detail: describeType(f.type), documentation: `${f.zh} · ${f.en}` }));
  }

  private definitionEntries(file: FileText): CompletionEntry[] {
    const names = new Set([...this.checked.definitions.map((d) => d.name), ...definitionsIn(this.parse(file)?.ast).map((d) => d.name.text)]);
    return [...names].map((name) => ({ label: name, kind: 'definition', detail: 'defined term', documentation: this.definitionNamed(name, file)?.text ?? name }));
  }
}

const definitionsIn = (ast: A.PolicyFile | undefined): readonly A.Definition[] => (ast && ast.kind !== 'vocabulary' && ast.kind !== 'calendar' ? ast.definitions : []);

const escape = (s: string): string => s.replace(/[\\`*_[\]<>#|~]/g, '\\$&');

const carries = (vocab: VocabularyIndex, type: string): string => `carries ${[...vocab.required].filter((p) => vocab.objects.has(p)).concat(vocab.requiredByType[type] ?? []).join(', ')}`;

/** A value, a code or an event type, by its plain names. */
function valueMarkdown(vocab: VocabularyIndex, value: string): string[] {
  const event = vocab.events.get(value);
  if (event) return [`event type \`${value}\` — ${event.zh} · ${event.en} — ${carries(vocab, value)}`];
  const term = vocab.valueNames(value);
  return term ? [`\`${value}\` — ${term.zh} · ${term.en}`] : [];
}

function valueEntry(vocab: VocabularyIndex, value: string, kind: 'code' | 'value', enumeration?: string): CompletionEntry {
  const term = vocab.valueNames(value, enumeration);
  return { label: value, kind, ...(term ? { detail: `${term.zh} · ${term.en}` } : {}) };
}

// What follows an operator's words, from the table (language/operators.ts): the field's values after
// `is`, `has any of [` …, date fields after `before` or `<`, verification codes after `meets`.
const wordsOf = (spelling: string): string[] => spelling.split(' ');
const VALUE_OPERATORS = OPERATORS.filter((o) => o.completes === 'values');
/** The first words of operators a field's value follows: `is`, `has`. */
const VALUE_STARTS = new Set(VALUE_OPERATORS.map((o) => wordsOf(o.words)[0]!));
/** Their later words, before the value: `not`, `one`, `of`, `any`, `all`. */
const WITHIN_VALUE_OPERATOR = new Set(VALUE_OPERATORS.flatMap(spellings).flatMap((s) => wordsOf(s).slice(1)));
/** What may follow a field's `is` or `has`: the later words of every operator begun so, `present` and `absent` too. */
const AFTER_VALUE_START = [...new Set(OPERATORS.flatMap(spellings).map(wordsOf).filter(([w]) => VALUE_STARTS.has(w!)).flatMap((w) => w.slice(1)))];
/** The last words of operators a date follows: `before`, `<` … */
const BEFORE_DATES = OPERATORS.filter((o) => o.completes === 'dates').flatMap((o) => spellings(o).map((s) => wordsOf(s).at(-1)!));
/** `meets`: the verification codes follow. */
const BEFORE_CODES = Object.fromEntries(OPERATORS.filter((o) => o.completes === 'verification').map((o) => [o.words, 'verification' as const]));

const keywordEntries = (words: readonly string[]): CompletionEntry[] => words.map((w) => ({ label: w, kind: 'keyword' }));

/** The code list an outcome or `meets` takes after `previous`. */
function codeKind(previous: string | undefined, beforeThat: string | undefined): CodeKind | undefined {
  if (previous === 'verification' && beforeThat === 'require') return 'verification';
  if (previous === 'label' && beforeThat === 'require') return 'label';
  return ({ ...BEFORE_CODES, take: 'disposal', retain: 'record', oblige: 'obligation' } as const)[previous ?? ''];
}

interface Tok {
  readonly image: string;
  /** An identifier (not a keyword). */
  readonly word: boolean;
}

/** After `on` or a comma of a rule's event type list (not `on or before` in a condition). */
function inEventTypeList(before: readonly Tok[]): boolean {
  let j = before.length - 1;
  if (before[j]?.image !== 'on' && before[j]?.image !== ',') return false;
  while (j >= 0 && (before[j]!.word || before[j]!.image === '.' || before[j]!.image === ',')) j--;
  if (before[j]?.image !== 'on') return false;
  for (let k = j - 1; k >= 0; k--) {
    const w = before[k]!.image;
    if (w === 'rule') return true;
    if (w === 'when' || w === 'then' || w === 'define') return false;
  }
  return false;
}

/** The field a value is being written for: `FIELD is …`, `FIELD has any of [A, …`. */
function valueField(before: readonly Tok[]): string | undefined {
  let j = before.length - 1;
  if (before[j]?.image === ',' || before[j]?.image === '[') {
    while (j >= 0 && before[j]!.image !== '[') {
      if (!before[j]!.word && before[j]!.image !== ',') return undefined;
      j--;
    }
  }
  while (j >= 0 && (before[j]!.image === '[' || WITHIN_VALUE_OPERATOR.has(before[j]!.image))) j--;
  if (!VALUE_STARTS.has(before[j]?.image ?? '')) return undefined;
  const path: string[] = [];
  for (let k = j - 1; k >= 0 && (before[k]!.word || before[k]!.image === '.'); k--) path.unshift(before[k]!.image);
  return path.length ? path.join('') : undefined;
}

/** Every symbol of a file, from its syntax tree. */
function symbols(file: A.PolicyFile): Sym[] {
  const out: Sym[] = [];
  if (file.kind === 'vocabulary' || file.kind === 'calendar') return out;
  const operand = (o: A.Operand): void => {
    if (o.kind === 'ref') out.push({ k: 'ref', span: o.span, path: o.path.join('.') });
    else if (o.kind === 'shift' || o.kind === 'moved') operand(o.base);
  };
  const condition = (c: A.Condition): void => {
    switch (c.kind) {
      case 'all':
      case 'any':
        c.items.forEach(condition);
        return;
      case 'not':
        condition(c.item);
        return;
      case 'compare':
        operand(c.left);
        operand(c.right);
        return;
      case 'oneOf':
      case 'has':
        operand(c.operand);
        c.values.forEach(operand);
        return;
      case 'meets':
        operand(c.operand);
        out.push({ k: 'code', span: c.code.span, code: c.code.text });
        return;
      default:
        operand(c.operand);
    }
  };
  const reg = file.kind === 'regulation' ? file.id : file.regulation;
  out.push({ k: 'regulation', span: reg.span, id: reg.text });
  for (const d of file.definitions) {
    out.push({ k: 'define', span: d.name.span, name: d.name.text });
    condition(d.body);
  }
  if (file.kind === 'regulation') return out;
  for (const r of file.rules) {
    out.push({ k: 'rule', span: r.name.span, rule: r });
    if (r.citation) out.push({ k: 'citation', span: r.citation.span, citation: r.citation });
    for (const t of r.on) out.push({ k: 'code', span: t.span, code: t.text });
    if (r.when) condition(r.when);
    for (const o of r.outcomes) {
      if ('code' in o) out.push({ k: 'code', span: o.code.span, code: o.code.text });
      if (o.kind === 'retain') {
        out.push({ k: 'code', span: o.record.span, code: o.record.text });
        operand(o.from);
      }
      if (o.kind === 'oblige' && o.due) operand(o.due);
    }
  }
  return out;
}
