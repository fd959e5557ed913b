// The TextMate grammar and language configuration of the VS Code extension, made from the lexer's
// own tokens (language/tokens.ts) as the playground's Monarch grammar is: the keyword list, each
// token's pattern, in the lexer's order. `syntaxes/tiaoli.tmLanguage.json` and
// `language-configuration.json` are written from here (test/editors/vscode.test.ts fails when stale).
import type { TokenType } from 'chevrotain';
import { EDITING } from '../../../language/editing.js';
import { allTokens, Identifier, KEYWORD_TOKENS, KEYWORDS, patternOf, StringLiteral, UnterminatedString, WhiteSpace } from '../../../language/tokens.js';

export const SCOPE = 'source.tiaoli';

/** The TextMate scope of each lexer token that is not a keyword. */
const SCOPES: Readonly<Record<string, string>> = {
  Comment: 'comment.line.number-sign.tiaoli',
  DateLiteral: 'constant.numeric.date.tiaoli',
  Duration: 'constant.numeric.period.tiaoli',
  Integer: 'constant.numeric.integer.tiaoli',
  Identifier: 'variable.other.name.tiaoli',
  ChineseWord: 'variable.other.name.tiaoli',
  LessEq: 'keyword.operator.comparison.tiaoli',
  GreaterEq: 'keyword.operator.comparison.tiaoli',
  Less: 'keyword.operator.comparison.tiaoli',
  Greater: 'keyword.operator.comparison.tiaoli',
  Dot: 'punctuation.accessor.tiaoli',
  Comma: 'punctuation.separator.comma.tiaoli',
  LParen: 'punctuation.section.parens.begin.tiaoli',
  RParen: 'punctuation.section.parens.end.tiaoli',
  LBracket: 'punctuation.section.brackets.begin.tiaoli',
  RBracket: 'punctuation.section.brackets.end.tiaoli',
};

export interface Rule {
  readonly name: string;
  readonly match?: string;
  readonly begin?: string;
  readonly end?: string;
  readonly patterns?: readonly Rule[];
}

export interface Grammar {
  readonly scopeName: string;
  readonly name: string;
  readonly fileTypes: readonly string[];
  readonly patterns: readonly Rule[];
}

const sourceOf = (t: TokenType): string => patternOf(t).source;
const isKeyword = (t: TokenType): boolean => KEYWORD_TOKENS.has(t);

/** The characters a name goes on with: a keyword followed by one of them is part of a longer name (the lexer's `longer_alt`). */
function nameCharacters(): string {
  const classes = sourceOf(Identifier).match(/\[[^\]]+\]/g) ?? [];
  if (classes.length < 2) throw new Error('the name pattern has no character class for the rest of a name');
  return `${classes[1]!.slice(1, -1)}-`;
}

/** Quoted text: from its quote to the next unescaped one, over lines (an unclosed one runs on, as the lexer reads it). */
function quoted(): Rule {
  const source = sourceOf(StringLiteral);
  const quote = source[0]!;
  const escape = '\\\\.';
  if (source.at(-1) !== quote || !source.includes(escape)) throw new Error('quoted text is not a quote, escapes and a quote');
  return { name: 'string.quoted.double.tiaoli', begin: quote, end: quote, patterns: [{ name: 'constant.character.escape.tiaoli', match: escape }] };
}

export function textmateGrammar(): Grammar {
  const keywords = [...KEYWORDS].sort((a, b) => b.length - a.length);
  const patterns = allTokens.flatMap((t): Rule[] => {
    if (t === WhiteSpace || t === UnterminatedString || isKeyword(t)) return [];
    if (t === StringLiteral) return [quoted()];
    // The keywords stand where the lexer tries them: before names.
    const keywordRule = t === Identifier ? [{ name: 'keyword.other.tiaoli', match: `(?:${keywords.join('|')})(?![${nameCharacters()}])` }] : [];
    const scope = SCOPES[t.name];
    if (scope === undefined) throw new Error(`token ${t.name} has no TextMate scope`);
    return [...keywordRule, { name: scope, match: sourceOf(t) }];
  });
  return { scopeName: SCOPE, name: 'Tiaoli', fileTypes: ['tiaoli'], patterns };
}

/** VS Code's language-configuration.json. */
export function languageConfiguration(): Record<string, unknown> {
  return {
    comments: { lineComment: EDITING.lineComment },
    brackets: EDITING.brackets,
    autoClosingPairs: [...EDITING.brackets.map(([open, close]) => ({ open, close })), { open: EDITING.quote, close: EDITING.quote, notIn: ['string', 'comment'] }],
    surroundingPairs: [...EDITING.brackets, [EDITING.quote, EDITING.quote]],
    wordPattern: EDITING.wordPattern,
  };
}
