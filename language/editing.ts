// How an editor edits the language, for every editor: the comment mark, the bracket pairs, the quote,
// and what one word is. The playground's Monaco configuration and the VS Code extension's
// language-configuration.json are both made from this.
import { Comment, Identifier, StringLiteral } from './tokens.js';

const NAME = (Identifier.PATTERN as RegExp).source;

export const EDITING = {
  /** The comment token's first character: a comment runs from it to the end of the line. */
  lineComment: (Comment.PATTERN as RegExp).source[0]!,
  brackets: [
    ['(', ')'],
    ['[', ']'],
  ] as const,
  /** Quoted text opens and closes with the quoted-text token's first character. */
  quote: (StringLiteral.PATTERN as RegExp).source[0]!,
  /**
   * A field path (`actor.verified`), a hyphenated name or a number is one word to complete and
   * select; so is a path being typed (`actor.`), so that completion narrows to its fields.
   */
  wordPattern: `(?:${NAME})(?:\\.(?:${NAME}))*\\.?|\\d+`,
} as const;
