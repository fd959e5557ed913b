// The Tiaoli language for Monaco, built from the lexer's own token definitions (language/tokens.ts):
// the keyword list and every token pattern come from there, so highlighting reads what the lexer reads.
import type { TokenType } from 'chevrotain';
import type { languages } from 'monaco-editor/editor';
import { EDITING } from '../../language/editing.js';
import { allTokens, Identifier, KEYWORD_TOKENS, KEYWORDS, patternOf, StringLiteral, UnterminatedString } from '../../language/tokens.js';

/** The editor's class for each lexer token; keywords and names are told apart by the keyword list. */
const TOKEN_CLASSES: Readonly<Record<string, languages.IMonarchLanguageAction>> = {
  WhiteSpace: 'white',
  Comment: 'comment',
  StringLiteral: 'string',
  // A name written in Chinese: the checker marks it (TL150) with the name meant.
  ChineseWord: 'identifier',
  // Monarch reads one line at a time: quoted text still open at the end of its line goes on in `text`.
  UnterminatedString: { token: 'string', next: '@text' },
  DateLiteral: 'number.date',
  Duration: 'number.period',
  Integer: 'number',
  LessEq: 'operator',
  GreaterEq: 'operator',
  Less: 'operator',
  Greater: 'operator',
  Dot: 'delimiter',
  Comma: 'delimiter',
  LParen: '@brackets',
  RParen: '@brackets',
  LBracket: '@brackets',
  RBracket: '@brackets',
};

function afterQuote(t: TokenType): RegExp {
  const source = patternOf(t).source;
  if (!source.startsWith('"')) throw new Error(`token ${t.name} does not start with a quote`);
  return new RegExp(source.slice(1));
}

const isKeyword = (t: TokenType): boolean => KEYWORD_TOKENS.has(t);

export function monarchLanguage(): languages.IMonarchLanguage {
  // In the lexer a keyword wins over a name only when no longer name matches (`longer_alt`); Monarch
  // has no such rule, so names are matched whole and then looked up in the keyword list.
  const rules = allTokens
    .filter((t) => !isKeyword(t))
    .map((t): languages.IMonarchLanguageRule => {
      if (t === Identifier) return [patternOf(t), { cases: { '@keywords': 'keyword', '@default': 'identifier' } }];
      const action = TOKEN_CLASSES[t.name];
      if (action === undefined) throw new Error(`token ${t.name} has no editor class`);
      return [patternOf(t), action];
    });
  return {
    defaultToken: 'invalid',
    tokenPostfix: '.tiaoli',
    keywords: [...KEYWORDS],
    brackets: [
      { open: '(', close: ')', token: 'delimiter.parenthesis' },
      { open: '[', close: ']', token: 'delimiter.bracket' },
    ],
    tokenizer: {
      root: rules,
      // The rest of quoted text on a later line: the two quoted-text patterns without their opening quote.
      text: [
        [afterQuote(StringLiteral), { token: 'string', next: '@pop' }],
        [afterQuote(UnterminatedString), 'string'],
      ],
    },
  };
}

export const languageConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: EDITING.lineComment },
  brackets: EDITING.brackets.map(([open, close]): [string, string] => [open, close]),
  autoClosingPairs: [...EDITING.brackets.map(([open, close]) => ({ open, close })), { open: EDITING.quote, close: EDITING.quote, notIn: ['string', 'comment'] }],
  wordPattern: new RegExp(EDITING.wordPattern, 'g'),
};
