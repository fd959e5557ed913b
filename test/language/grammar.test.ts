// The grammar and its tokens pass Chevrotain's own checks (no ambiguous alternatives, no left
// recursion, every rule resolved; token patterns that can match, none that can never be reached).
// The lexer and parser the product builds skip them at start; these build them with the checks on.
import { Lexer } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { PolicyParser } from '../../language/parser.js';
import { allTokens, LEXER_CONFIG } from '../../language/tokens.js';

describe('the grammar', () => {
  it('passes Chevrotain’s grammar checks', () => {
    expect(() => new PolicyParser({ checkGrammar: true })).not.toThrow();
  });

  it('has tokens that pass Chevrotain’s lexer checks', () => {
    const lexer = new Lexer(allTokens, { ...LEXER_CONFIG, deferDefinitionErrorsHandling: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });
});
