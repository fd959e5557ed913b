// The token vocabulary of the Tiaoli policy language and its one lexer. The keyword list here is
// the only one: the parser, the formatter and the playground's highlighter all read it.
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { CHINESE } from './glossary.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\u3000]+/, group: Lexer.SKIPPED });
/** `#` to the end of the line. Kept in a group so the formatter can put comments back. */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: 'comments' });

/** Lower-case words with inner `-` or `_`: names, field segments, enum values, regulation ids. */
export const Identifier = createToken({ name: 'Identifier', pattern: /[a-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/, label: 'a name' });

/**
 * A name written in Chinese (`已认证`): read as a name, so that the parser goes on and the checker can
 * say which field, value or code has that Chinese name (TL150), instead of an unexpected character
 * and the syntax errors that follow it.
 */
export const ChineseWord = createToken({ name: 'ChineseWord', pattern: new RegExp(`${CHINESE}+`), categories: [Identifier], label: 'a name' });

const keywordTokens: TokenType[] = [];
function keyword(word: string, name = word[0]!.toUpperCase() + word.slice(1).replace(/-(.)/g, (_, c: string) => c.toUpperCase())): TokenType {
  const t = createToken({ name, pattern: word, longer_alt: Identifier, label: `'${word}'` });
  keywordTokens.push(t);
  return t;
}

// File headers
export const Regulation = keyword('regulation');
export const Title = keyword('title');
export const Zh = keyword('zh');
export const En = keyword('en');
export const In = keyword('in');
export const Force = keyword('force');
export const Effect = keyword('effect');
export const From = keyword('from');
export const Until = keyword('until');
export const Repealed = keyword('repealed');
export const Articles = keyword('articles');
export const Article = keyword('article');
export const Of = keyword('of');
export const Version = keyword('version');
export const Paragraph = keyword('paragraph');
export const NonOperative = keyword('non-operative');
export const Because = keyword('because');
// Definitions and rules
export const Define = keyword('define');
export const As = keyword('as');
export const Rule = keyword('rule');
export const Cites = keyword('cites');
export const On = keyword('on');
export const When = keyword('when');
export const Then = keyword('then');
// Outcomes
export const Deny = keyword('deny');
export const Require = keyword('require');
export const Verification = keyword('verification');
export const Label = keyword('label');
export const Take = keyword('take');
export const Retain = keyword('retain');
export const For = keyword('for');
export const Oblige = keyword('oblige');
export const Due = keyword('due');
// Conditions
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const Is = keyword('is');
export const One = keyword('one');
export const Present = keyword('present');
export const Absent = keyword('absent');
export const Has = keyword('has');
export const Any = keyword('any');
export const All = keyword('all');
export const Meets = keyword('meets');
export const Before = keyword('before');
export const After = keyword('after');
export const Plus = keyword('plus');
export const Minus = keyword('minus');
export const True = keyword('true');
export const False = keyword('false');

// Vocabulary files
export const VocabularyKw = keyword('vocabulary', 'VocabularyKw');
export const Extends = keyword('extends');
export const Extend = keyword('extend');
export const Enumeration = keyword('enumeration');
export const ValueKw = keyword('value', 'ValueKw');
export const Met = keyword('met');
export const By = keyword('by');
export const ObjectKw = keyword('object', 'ObjectKw');
export const FieldKw = keyword('field', 'FieldKw');
export const Required = keyword('required');
export const Means = keyword('means');
export const Requires = keyword('requires');
export const To = keyword('to');
export const About = keyword('about');
export const EventKw = keyword('event', 'EventKw');
export const Deletes = keyword('deletes');
export const Conflict = keyword('conflict');

// The holiday calendar file, and the deadline that applies it (民法典 art. 203)
export const CalendarKw = keyword('calendar', 'CalendarKw');
export const Year = keyword('year');
export const Source = keyword('source');
export const Holiday = keyword('holiday');
export const Worked = keyword('worked');
export const Moved = keyword('moved');
export const Past = keyword('past');
export const Rest = keyword('rest');
export const Days = keyword('days');

export const DateLiteral = createToken({ name: 'DateLiteral', pattern: /\d{4}-\d{2}-\d{2}/, label: 'a date (YYYY-MM-DD)' });
/** Anything from a capital P on is lexed as a period; the checker says what is wrong with a bad one. */
export const Duration = createToken({ name: 'Duration', pattern: /P[0-9A-Z]*/, label: 'a period (P60D, P6M, P1Y)' });
export const Integer = createToken({ name: 'Integer', pattern: /\d+/, label: 'a number' });
/** Double-quoted text; may span lines (article paragraphs are long). `\"` and `\\` escape. */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\]|\\.)*"/, line_breaks: true, label: 'quoted text' });
/**
 * Quoted text with no closing quote, to the end of the file. Taken as one token (reported, not
 * parsed), so the lexer does not rescan the rest of the file from every later quote: that rescanning
 * made a file of many open quotes take quadratic time.
 */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\]|\\.)*\\?/, line_breaks: true, group: 'unterminated' });

/** The labels of the tokens that are not keywords (a keyword is its word in both languages), in Chinese. */
export const LABELS_ZH: ReadonlyMap<TokenType, string> = new Map([
  [Identifier, '名称'],
  [DateLiteral, '日期（YYYY-MM-DD）'],
  [Duration, '期间（P60D、P6M、P1Y）'],
  [Integer, '数字'],
  [StringLiteral, '引号内的文本'],
]);

export const LessEq = createToken({ name: 'LessEq', pattern: '<=', label: "'<='" });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: /≥|>=/, label: "'>='" });
export const Less = createToken({ name: 'Less', pattern: '<', label: "'<'" });
export const Greater = createToken({ name: 'Greater', pattern: '>', label: "'>'" });
export const Dot = createToken({ name: 'Dot', pattern: '.', label: "'.'" });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: "','" });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: "']'" });

/** The words that end a date moved past rest days (民法典 art. 203), as it is written. */
export const MOVED_PAST_REST_DAYS = [Moved, Past, Rest, Days].map((t) => (t.LABEL ?? '').slice(1, -1)).join(' ');

/** Every keyword, in declaration order: the formatter and the playground read this list. */
export const KEYWORDS: readonly string[] = keywordTokens.map((t) => t.PATTERN as string);

/** The keywords' tokens: each matches its word, written as plain text. */
export const KEYWORD_TOKENS: ReadonlySet<TokenType> = new Set(keywordTokens);

/**
 * A token's pattern as a regular expression (the editors' grammars are made of them). Keywords and
 * punctuation are written as the plain text they match, which Chevrotain matches without one and
 * builds its lexer from in a third less time.
 */
export const patternOf = (t: TokenType): RegExp => (typeof t.PATTERN === 'string' ? new RegExp(t.PATTERN.replace(/[.*+?^${}()|[\\]/g, '\\$&')) : (t.PATTERN as RegExp));

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  DateLiteral,
  Duration,
  Integer,
  // Longest keyword first, so `one` is not read as `on` followed by `e`.
  ...[...keywordTokens].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  ChineseWord,
  LessEq,
  GreaterEq,
  Less,
  Greater,
  Dot,
  Comma,
  LParen,
  RParen,
  LBracket,
  RBracket,
];

/** How the lexer is made; its checks of the token definitions are left to test/language/grammar.test.ts, as the parser's are. */
export const LEXER_CONFIG = { positionTracking: 'full', ensureOptimizations: false } as const;
let shared: Lexer | undefined;
/** The lexer, made when first asked for (a start that lexes nothing does not pay for it). */
export const policyLexer = (): Lexer => (shared ??= new Lexer(allTokens, { ...LEXER_CONFIG, skipValidations: true }));
