// The editor's highlighting is built from the lexer's own tokens: every token has an editor class,
// every rule is a lexer pattern, and the keywords are the words the lexer reads as keywords.
import { describe, expect, it } from 'vitest';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/load.js';
import { lex } from '../../language/parse.js';
import { allTokens, Identifier, KEYWORD_TOKENS, KEYWORDS, patternOf } from '../../language/tokens.js';
import { monarchLanguage } from '../../playground/src/monarch.js';

describe('the Monarch tokenizer', () => {
  const lang = monarchLanguage();
  const root = lang.tokenizer['root']!.map((r) => (Array.isArray(r) ? r[0] : undefined));

  // Judged by what the lexer does with a word, not by the list both are built from.
  const keywords = new Set(lang['keywords'] as string[]);
  const lexedAs = (word: string) => lex({ path: 'w.tiaoli', text: word }).tokens.map((t) => t.tokenType.name);

  it('calls a word a keyword exactly when the lexer does', () => {
    for (const word of keywords) expect(lexedAs(word), word).toEqual([expect.not.stringMatching(/^Identifier$/)]);
    const words = readPolicyDir(SHIPPED_POLICIES).flatMap((s) => lex(s).tokens.filter((t) => /^[a-z]+(-[a-z]+)*$/.test(t.image)));
    expect(new Set(words.map((t) => t.tokenType === Identifier)).size, 'the shipped files have both names and keywords').toBe(2);
    for (const t of words) expect(keywords.has(t.image), t.image).toBe(t.tokenType !== Identifier);
  });

  it('matches with each non-keyword token pattern of the lexer, in the lexer order', () => {
    const patterns = allTokens.filter((t) => !KEYWORD_TOKENS.has(t)).map(patternOf);
    expect(root).toEqual(patterns);
    expect(root).toContain(Identifier.PATTERN);
  });
});
