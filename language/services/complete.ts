// Completion from the grammar: Chevrotain computes which tokens the one parser accepts after the
// text before the cursor (`computeContentAssist`), with the grammar rules it would be in; the
// vocabulary and the bundle say which names fit there. Nothing here restates the grammar.
import type { IToken, TokenType } from 'chevrotain';
import type { CodeKind } from '../checked.js';
import { OPERATORS, spellings, type Operator } from '../operators.js';
import { lex } from '../parse.js';
import { policyParser, type PolicyParser } from '../parser.js';
import * as T from '../tokens.js';
import { byChineseName, isChinese, type Term } from '../glossary.js';
import { CODE_KIND_OF, describeType } from '../vocabulary.js';
import { articleVersion, carries } from './navigate.js';
import type { CompletionKind } from './kinds.js';
import { textOf, vocabularyOf, type Snapshot } from './workspace.js';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** What it is called in Chinese and English (a field's, value's, code's or event type's names in the vocabulary). */
  readonly names?: Term;
  /** What the typed word is matched against, when not the label: the word itself for an item found by its Chinese name. */
  readonly filterText?: string;
}

export interface Completions {
  /** Where the word being typed starts: an accepted completion replaces the text from here to the cursor. */
  readonly from: number;
  readonly items: readonly Completion[];
}

/** A keyword token's word (its pattern is the word itself, see tokens.ts). */
const wordOf = (t: TokenType): string | undefined => (T.KEYWORD_TOKENS.has(t) ? (t.PATTERN as string) : undefined);

/** The tokens a word being typed may be made of: a name, a dotted path, a number, or a keyword. */
const isWordPart = (t: IToken): boolean => t.tokenType === T.Identifier || t.tokenType === T.ChineseWord || t.tokenType === T.Dot || t.tokenType === T.Integer || wordOf(t.tokenType) !== undefined;

/** The keyword after which an outcome's code comes, and the kind of that code. */
const OUTCOME_CODES = new Map<TokenType, CodeKind>([
  [T.Verification, CODE_KIND_OF.verification],
  [T.Label, CODE_KIND_OF.label],
  [T.Take, CODE_KIND_OF.disposal],
  [T.Retain, CODE_KIND_OF.retain],
  [T.Oblige, CODE_KIND_OF.oblige],
]);

/** The grammar rules a value is written in for an operator (its words come before it); `test` is a condition's subject. */
const PREDICATE_RULES = new Set(['isPredicate', 'orderPredicate', 'hasPredicate', 'list', 'predicate']);

/** What may be written at `offset` of `path`. */
export function complete(s: Snapshot, path: string, offset: number): Completions {
  const text = (textOf(s, path) ?? '').slice(0, offset);
  const { tokens, comments, diagnostics } = lex({ path, text });
  // In a comment or in quoted text still open (the lexer reports it at its opening quote), nothing is offered.
  const inComment = comments.some((c) => (c.endOffset ?? -1) + 1 === offset);
  const inText = diagnostics.some((d) => text[d.span.start.offset] === '"');
  if (inComment || inText) return { from: offset, items: [] };
  // The word being typed is left out: what comes before it says what may stand there.
  let i = tokens.length;
  let from = offset;
  while (i > 0 && (tokens[i - 1]!.endOffset ?? -1) + 1 === from && isWordPart(tokens[i - 1]!)) from = tokens[--i]!.startOffset;
  const before = tokens.slice(0, i);
  const items = new Map<string, Completion>();
  for (const p of assist(before)) for (const c of offered(s, path, before, p.nextTokenType, p.ruleStack)) items.set(`${c.kind} ${c.label}`, c);
  const typed = text.slice(from);
  if (isChinese(typed)) {
    // A word typed in Chinese finds what has it in its Chinese name; the editor keeps them, as they match the word.
    const named = [...items.values()].filter((c): c is Completion & { names: Term } => c.names !== undefined);
    return { from, items: byChineseName(typed, named.map((c) => ({ ...c, zh: c.names.zh })), Infinity).map(({ zh: _, ...c }) => ({ ...c, filterText: typed })) };
  }
  // A word in English finds an item by its English name too.
  return { from, items: [...items.values()].map((c) => (c.names ? { ...c, filterText: `${c.label} ${c.names.en}` } : c)) };
}

/** The first tokens of an item: where the parser can start again after a syntax error earlier in the file. */
let itemStarts: ReadonlySet<TokenType> | undefined;
const ITEM_STARTS = (): ReadonlySet<TokenType> => (itemStarts ??= new Set(policyParser().computeContentAssist('item', []).map((p) => p.nextTokenType)));

/** What the parser accepts next; after an earlier syntax error, what it accepts within the item being written. */
function assist(before: IToken[]): ReturnType<PolicyParser['computeContentAssist']> {
  const parser = policyParser();
  const whole = parser.computeContentAssist('file', before);
  if (whole.length > 0) return whole;
  const starts = ITEM_STARTS();
  const start = before.findLastIndex((t) => starts.has(t.tokenType));
  return start < 0 ? [] : parser.computeContentAssist('item', before.slice(start));
}

function offered(s: Snapshot, path: string, before: readonly IToken[], next: TokenType, rules: readonly string[]): Completion[] {
  const word = wordOf(next);
  // `moved` opens one phrase, offered whole.
  if (next === T.Moved) return [{ label: T.MOVED_PAST_REST_DAYS, kind: 'keyword' }];
  if (word !== undefined) return [{ label: word, kind: 'keyword' }];
  const rule = rules.at(-1);
  const previous = before.at(-1)?.tokenType;
  const vocab = vocabularyOf(s);
  const regulations = (): Completion[] => s.checked.regulations.map((r) => ({ label: r.id, kind: 'regulation', ...(r.titleZh ? { detail: r.titleZh } : {}), ...(r.titleEn ? { documentation: r.titleEn } : {}) }));
  const codes = (kind: CodeKind): Completion[] =>
    vocab.codes[kind].map((c) => {
      const term = vocab.valueNames(c, vocab.vocabulary.enumerations.find((e) => e.codes === kind)?.name);
      return { label: c, kind: 'code', ...(term ? { detail: `${term.zh} · ${term.en}`, names: { zh: term.zh, en: term.en } } : {}) };
    });
  const fields = (keep: (type: string) => boolean): Completion[] =>
    vocab.vocabulary.fields.filter((f) => keep(f.type.t)).map((f) => ({ label: f.path, kind: 'field', detail: describeType(f.type), documentation: `${f.zh} · ${f.en}`, names: { zh: f.zh, en: f.en } }));
  if (next === T.Integer && rule === 'citation') return citationNumbers(s, path, before, previous === T.Paragraph);
  if (next !== T.Identifier) return [];
  if (rule === 'citation' || rule === 'articleHeader') return regulations();
  if (rule === 'outcome' || rule === 'outcomePattern') {
    const kind = previous && OUTCOME_CODES.get(previous);
    return kind ? codes(kind) : [];
  }
  if (rule === 'typeExpr' && previous === T.Of) return [...vocab.enumerations.values()].map((e) => ({ label: e.name, kind: 'value', detail: `${e.zh} · ${e.en}` }));
  if (rule !== 'dottedName' && rule !== 'predicate') return [];
  const within = rules.findLast((r) => r === 'rule' || r === 'test' || r === 'outcome' || PREDICATE_RULES.has(r));
  if (within === 'rule') {
    return vocab.eventTypes.map((t) => {
      const { zh, en } = vocab.events.get(t)!;
      return { label: t, kind: 'event-type', detail: `${zh} · ${en}`, documentation: carries(vocab, t), names: { zh, en } };
    });
  }
  if (within === 'outcome') return fields((t) => t === 'date' || t === 'timestamp');
  if (within === 'test') {
    const here = s.files.get(path)?.ast;
    const names = new Set([...s.checked.definitions.map((d) => d.name), ...(here && (here.kind === 'regulation' || here.kind === 'article') ? here.definitions.map((d) => d.name.text) : [])]);
    return [...fields(() => true), ...[...names].map((name): Completion => ({ label: name, kind: 'definition', detail: 'defined term' }))];
  }
  if (within === undefined) return [];
  const written = operatorBefore(before);
  if (!written) return [];
  switch (written.operator.completes) {
    case 'verification':
      return codes('verification');
    case 'dates':
      return fields((t) => t === 'date' || t === 'timestamp');
    case 'values': {
      const type = vocab.fields.get(written.subject)?.type;
      if (!type || !('enumeration' in type)) return [];
      return type.values.map((v) => {
        const term = vocab.valueNames(v, type.enumeration);
        return { label: v, kind: 'value', ...(term ? { detail: `${term.zh} · ${term.en}`, names: { zh: term.zh, en: term.en } } : {}) };
      });
    }
    default:
      return [];
  }
}

/** Every spelling of every operator as words, longest first: `is not one of` before `is not` before `is`. */
const SPELLED = OPERATORS.flatMap((operator) => spellings(operator).map((s) => ({ operator, words: s.split(' ') }))).sort((a, b) => b.words.length - a.words.length);

/** The operator whose words end `before` (a list being written after it set aside), and the field it is asked of. */
function operatorBefore(before: readonly IToken[]): { operator: Operator; subject: string } | undefined {
  let end = before.length;
  const bracket = before.findLastIndex((t) => t.tokenType === T.LBracket || t.tokenType === T.RBracket);
  if (bracket >= 0 && before[bracket]!.tokenType === T.LBracket) end = bracket;
  for (const { operator, words } of SPELLED) {
    const start = end - words.length;
    if (start < 1 || !words.every((w, k) => before[start + k]!.image === w)) continue;
    let first = start - 1;
    while (first >= 2 && before[first - 1]!.tokenType === T.Dot && before[first - 2]!.tokenType === T.Identifier) first -= 2;
    return { operator, subject: before.slice(first, start).map((t) => t.image).join('') };
  }
  return undefined;
}

/** Article numbers after `cites REG article`, paragraph numbers after `… paragraph`. */
function citationNumbers(s: Snapshot, path: string, before: readonly IToken[], paragraphs: boolean): Completion[] {
  const cites = before.findLastIndex((t) => t.tokenType === T.Cites);
  const regulation = before[cites + 1]?.image ?? '';
  if (paragraphs) {
    const article = Number(before[cites + 3]?.image);
    return (articleVersion(s, regulation, article, path)?.paragraphs ?? []).map((p) => ({ label: String(p.number), kind: 'paragraph', detail: p.zh, ...(p.en ? { documentation: p.en } : {}) }));
  }
  const count = s.checked.regulations.find((r) => r.id === regulation)?.articleCount ?? 0;
  return Array.from({ length: count }, (_, k) => {
    const zh = articleVersion(s, regulation, k + 1, '')?.paragraphs[0]?.zh ?? '';
    return { label: String(k + 1), kind: 'article', detail: zh.length > 30 ? `${zh.slice(0, 30)}…` : zh };
  });
}
