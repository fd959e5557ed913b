// Semantic tokens: the lexer's tokens classed by what they are, names by what they name in the
// bundle (a field, a defined term, a code …), each piece on one line, in the order of the text.
import type { IToken } from 'chevrotain';
import { lex } from '../parse.js';
import { LINE_BREAK, positionAt, type Span } from '../source.js';
import * as T from '../tokens.js';
import { occurrences, type Target } from './symbols.js';
import { textOf, type Snapshot } from './workspace.js';

/** The token types, named as the Language Server Protocol names its standard ones. */
export const SEMANTIC_TYPES = ['keyword', 'string', 'number', 'comment', 'operator', 'namespace', 'method', 'function', 'property', 'enumMember', 'event', 'enum', 'struct'] as const;
export type SemanticType = (typeof SEMANTIC_TYPES)[number];
export const SEMANTIC_MODIFIERS = ['declaration'] as const;

export interface SemanticToken {
  /** Within one line. */
  readonly span: Span;
  readonly type: SemanticType;
  readonly declaration: boolean;
}

const NAMES: Record<Exclude<Target['k'], 'citation'>, SemanticType> = {
  regulation: 'namespace',
  rule: 'method',
  definition: 'function',
  field: 'property',
  value: 'enumMember',
  'event-type': 'event',
  enumeration: 'enum',
  object: 'struct',
};

const LEXICAL = new Map<unknown, SemanticType>([
  [T.StringLiteral, 'string'],
  [T.DateLiteral, 'number'],
  [T.Duration, 'number'],
  [T.Integer, 'number'],
  [T.Less, 'operator'],
  [T.LessEq, 'operator'],
  [T.Greater, 'operator'],
  [T.GreaterEq, 'operator'],
]);

export function semanticTokens(s: Snapshot, path: string): SemanticToken[] {
  const text = textOf(s, path);
  if (text === undefined) return [];
  const source = { path, text };
  const { tokens, comments } = lex(source);
  // Each name token takes the class of the innermost occurrence holding it.
  const named = new Map<number, { type: SemanticType; declaration: boolean; size: number }>();
  for (const o of occurrences(s, path)) {
    if (o.target.k === 'citation') continue;
    const size = o.span.end.offset - o.span.start.offset;
    for (const t of tokens) {
      if (t.tokenType !== T.Identifier || t.startOffset < o.span.start.offset || t.startOffset >= o.span.end.offset) continue;
      const had = named.get(t.startOffset);
      if (!had || had.size > size) named.set(t.startOffset, { type: NAMES[o.target.k], declaration: o.declared, size });
    }
  }
  const out: SemanticToken[] = [];
  const push = (t: IToken, type: SemanticType, declaration = false): void => {
    const start = t.startOffset;
    const end = (t.endOffset ?? start) + 1;
    // A quoted text or comment over several lines is one piece per line.
    let from = start;
    for (const m of text.slice(start, end).matchAll(LINE_BREAK)) {
      const lineEnd = start + m.index;
      if (lineEnd > from) out.push({ span: { file: path, start: positionAt(text, from), end: positionAt(text, lineEnd) }, type, declaration });
      from = lineEnd + m[0].length;
    }
    if (end > from) out.push({ span: { file: path, start: positionAt(text, from), end: positionAt(text, end) }, type, declaration });
  };
  for (const t of [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset)) {
    if (t.tokenType === T.Comment) push(t, 'comment');
    else if (T.KEYWORD_TOKENS.has(t.tokenType)) push(t, 'keyword');
    else if (LEXICAL.has(t.tokenType)) push(t, LEXICAL.get(t.tokenType)!);
    else if (named.has(t.startOffset)) push(t, named.get(t.startOffset)!.type, named.get(t.startOffset)!.declaration);
  }
  return out;
}
