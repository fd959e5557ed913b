// The VS Code extension: its TextMate grammar and language configuration are the ones made from the
// lexer's tokens (rewritten with UPDATE_GOLDEN=1), the grammar reads shipped policies as the lexer
// does, it and the Monarch grammar come from the one token list, and the .vsix builds offline.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageConfiguration, textmateGrammar, type Rule } from '../../editors/vscode/src/grammar.js';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/load.js';
import { lex } from '../../language/parse.js';
import { allTokens, Identifier, KEYWORD_TOKENS, KEYWORDS, patternOf } from '../../language/tokens.js';
import { monarchLanguage } from '../../playground/src/monarch.js';

const dir = new URL('../../editors/vscode/', import.meta.url).pathname;
const GENERATED = [
  ['syntaxes/tiaoli.tmLanguage.json', textmateGrammar()],
  ['language-configuration.json', languageConfiguration()],
] as const;

/** The grammar's reading of one line, as a TextMate engine takes it: at each place the earliest match, the first rule on a tie. */
function scopes(line: string, rules: readonly Rule[]): { text: string; scope: string }[] {
  const compiled = rules.map((r) => ({ r, re: new RegExp(r.match ?? r.begin!, 'g') }));
  const out: { text: string; scope: string }[] = [];
  let at = 0;
  while (at < line.length) {
    let best: { r: Rule; index: number; length: number } | undefined;
    for (const { r, re } of compiled) {
      re.lastIndex = at;
      const m = re.exec(line);
      if (m && (!best || m.index < best.index)) best = { r, index: m.index, length: m[0].length };
    }
    if (!best) break;
    let end = best.index + best.length;
    if (best.r.begin !== undefined) {
      // Quoted text: on to the closing quote, over escapes.
      const close = new RegExp(`(?:${best.r.patterns![0]!.match}|[^${best.r.end}\\\\])*${best.r.end}`, 'g');
      close.lastIndex = end;
      const m = close.exec(line);
      end = m && m.index === end ? end + m[0].length : line.length;
    }
    out.push({ text: line.slice(best.index, end), scope: best.r.name });
    at = end;
  }
  return out;
}

describe('the VS Code extension', () => {
  it.each(GENERATED)('%s is as made from the lexer tokens', (file, made) => {
    const text = `${JSON.stringify(made, null, 2)}\n`;
    if (process.env['UPDATE_GOLDEN']) writeFileSync(join(dir, file), text);
    expect(readFileSync(join(dir, file), 'utf8')).toBe(text);
  });

  it('has the keyword list and each other token pattern of the lexer, in its order, as the Monarch grammar has', () => {
    const grammar = textmateGrammar().patterns;
    const keywordRule = grammar.find((r) => r.name.startsWith('keyword.other'))!;
    expect(keywordRule.match!.match(/^\(\?:([^)]*)\)/)![1]!.split('|').sort()).toEqual([...KEYWORDS].sort());
    const lexer = allTokens.filter((t) => !KEYWORD_TOKENS.has(t)).map((t) => patternOf(t).source);
    const monarch = monarchLanguage().tokenizer['root']!.map((r) => (Array.isArray(r) ? (r[0] as RegExp).source : undefined));
    expect(monarch).toEqual(lexer);
    // TextMate skips white space and reads quoted text from quote to quote; every other pattern is the lexer's own.
    const matched = grammar.filter((r) => r !== keywordRule && r.match !== undefined).map((r) => r.match);
    expect(matched).toEqual(lexer.filter((s) => matched.includes(s)));
    expect(lexer.filter((s) => !matched.includes(s))).toHaveLength(3);
    expect(matched).toContain((Identifier.PATTERN as RegExp).source);
  });

  it('reads every line of the shipped policies into the lexer’s tokens, keywords and names told apart as the lexer tells them', () => {
    const rules = textmateGrammar().patterns;
    for (const f of readPolicyDir(SHIPPED_POLICIES)) {
      for (const line of f.text.split('\n')) {
        const lexed = lex({ path: f.path, text: line }).tokens;
        const read = scopes(line, rules);
        const expected = [...lexed, ...lex({ path: f.path, text: line }).comments].sort((a, b) => a.startOffset - b.startOffset);
        expect(read.map((r) => r.text), `${f.path}: ${line}`).toEqual(expected.map((t) => t.image));
        read.forEach((r, i) => expect(r.scope.startsWith('keyword.other'), `${r.text} in ${line}`).toBe(KEYWORDS.includes(expected[i]!.image) && expected[i]!.tokenType !== Identifier));
      }
    }
  });

  it('builds a .vsix offline, with the manifest, the grammar and the bundled client', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wt21-vsix-')), 'tiaoli.vsix');
    execFileSync(process.execPath, [new URL('../../scripts/build-vsix.js', import.meta.url).pathname, out], { stdio: 'pipe' });
    const listing = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listing).toEqual(['[Content_Types].xml', 'extension.vsixmanifest', 'extension/package.json', 'extension/README.md', 'extension/language-configuration.json', 'extension/syntaxes/tiaoli.tmLanguage.json', 'extension/out/extension.js']);
    execFileSync('unzip', ['-tq', out]);
    const client = execFileSync('unzip', ['-p', out, 'extension/out/extension.js'], { encoding: 'utf8' });
    expect(client.includes('require("vscode")'), 'vscode is the editor’s').toBe(true);
    expect(/[`"']lsp[`"']/.test(client), 'the client starts tiaoli lsp').toBe(true);
    expect(JSON.parse(execFileSync('unzip', ['-p', out, 'extension/package.json'], { encoding: 'utf8' }))).toMatchObject({ main: './out/extension.js', contributes: { grammars: [{ scopeName: 'source.tiaoli' }] } });
  }, 60_000);
});
