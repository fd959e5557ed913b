// The editor's highlighting is built from the lexer's own tokens: every token has an editor class,
// every rule is a lexer pattern, and the keywords are the lexer's keyword list.
import { describe, expect, it } from 'vitest';
import { allTokens, Identifier, KEYWORDS } from '../../language/tokens.js';
import { monarchLanguage } from '../../playground/src/monarch.js';

describe('the Monarch tokenizer', () => {
  const lang = monarchLanguage();
  const root = lang.tokenizer['root']!.map((r) => (Array.isArray(r) ? r[0] : undefined));

  it('has the lexer keyword list', () => {
    expect(lang['keywords']).toEqual(KEYWORDS);
  });

  it('matches with each non-keyword token pattern of the lexer, in the lexer order', () => {
    const patterns = allTokens.filter((t) => !KEYWORDS.includes((t.PATTERN as RegExp).source)).map((t) => t.PATTERN);
    expect(root).toEqual(patterns);
    expect(root).toContain(Identifier.PATTERN);
  });
});
