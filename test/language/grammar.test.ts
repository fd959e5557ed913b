// The grammar passes Chevrotain's own checks of a grammar (no ambiguous alternatives, no left
// recursion, every rule resolved). The parser the product builds skips them at start; this builds
// one with them on, whose construction throws on any definition error.
import { describe, expect, it } from 'vitest';
import { PolicyParser } from '../../language/parser.js';

describe('the grammar', () => {
  it('passes Chevrotain’s grammar checks', () => {
    expect(() => new PolicyParser({ checkGrammar: true })).not.toThrow();
  });
});
