// The formatter: printing any AST and parsing it back gives the same AST, formatting is idempotent,
// comments and quoted text survive, the shipped policies are formatted, and it refuses rather than
// write a file that says something else.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { format, print, WIDTH } from '../../language/format.js';
import { parseFile } from '../../language/parse.js';
import { LIMITS } from '../../language/limits.js';
import { PATH, policyFile, withoutSpans } from '../ast-arbitraries.js';
import { shippedVocabulary } from '../helpers.js';

const fmt = (text: string, path = 'test.tiaoli'): string | undefined => format({ path, text }, shippedVocabulary().temporal).text;
const header = 'article 12 of live-2016\nversion 1 in effect from 2016-12-01\n\nparagraph 1\n  zh "……"\n';
/** The text of a one-rule file with the given condition, formatted, from its `when` line on. */
const when = (condition: string): string => fmt(`${header}rule r cites live-2016 article 12 on content.publish when ${condition} then deny\n`)!.split('  when ')[1]!.split('\n  then')[0]!;

describe('printing an AST and parsing it back', () => {
  it('gives the same AST, spans aside, and printed text is already formatted', () => {
    fc.assert(
      fc.property(policyFile, (ast) => {
        const text = print(ast, [], '', shippedVocabulary().temporal);
        const parsed = parseFile({ path: PATH, text });
        expect(parsed.diagnostics).toEqual([]);
        expect(withoutSpans(parsed.ast)).toEqual(withoutSpans(ast));
        expect(format({ path: PATH, text }, shippedVocabulary().temporal)).toEqual({ text, diagnostics: [] });
      }),
      { numRuns: 400 },
    );
  });
});

describe('the shipped policies', () => {
  const shipped = readPolicyDir(SHIPPED_POLICIES);

  it.each(shipped.map((s) => [s.path, s.text]))('%s is formatted', (path, text) => {
    expect(fmt(text, path)).toBe(text);
  });

  it('format idempotently, and the same from another layout', () => {
    for (const { path, text } of shipped) {
      const once = fmt(text, path)!;
      expect(fmt(once, path)).toBe(once);
      // Each item on one line: the indented lines joined to the line above.
      expect(fmt(text.replace(/\n +/g, ' '), path)).toBe(once);
    }
  });
});

describe('golden files', () => {
  // Badly laid-out sources, each beside its formatted baseline (`x.tiaoli` → `x.formatted.tiaoli`).
  const golden = new URL('../golden/format/', import.meta.url).pathname;
  const inputs = readdirSync(golden).filter((f) => f.endsWith('.tiaoli') && !f.endsWith('.formatted.tiaoli'));
  const baseline = (f: string) => join(golden, f.replace(/\.tiaoli$/, '.formatted.tiaoli'));
  if (process.env['UPDATE_GOLDEN'] === '1') for (const f of inputs) writeFileSync(baseline(f), fmt(readFileSync(join(golden, f), 'utf8'), f)!);

  it.each(inputs)('%s formats to its baseline, which differs from it and is formatted (UPDATE_GOLDEN=1 rewrites them)', (f) => {
    const input = readFileSync(join(golden, f), 'utf8');
    const expected = readFileSync(baseline(f), 'utf8');
    expect(expected).not.toBe(input);
    expect(fmt(input, f)).toBe(expected);
    expect(fmt(expected, f)).toBe(expected);
  });
});

describe('comments', () => {
  const source = `

# about the file

# about the header
article 12 of live-2016 # on the header line
  version 1 in effect from 2016-12-01
paragraph 1 zh "text with \\"quotes\\", # no comment, and a backslash \\\\"
# before the rule

# just before the rule
rule r cites live-2016 article 12
  on content.publish # inside the rule
  when actor.blacklisted
  then deny # after its last word
define d as actor.blacklisted
non-operative because "x"
# at the end


# at the very end
`;
  const expected = `# about the file

# about the header
# on the header line
article 12 of live-2016
version 1 in effect from 2016-12-01

paragraph 1
  zh "text with \\"quotes\\", # no comment, and a backslash \\\\"

# before the rule

# just before the rule
# inside the rule
# after its last word
rule r
  cites live-2016 article 12
  on content.publish
  when actor.blacklisted
  then
    deny

define d as actor.blacklisted

non-operative because "x"
# at the end

# at the very end
`;

  it('stay before their item, move out of an item to just before it, and stay at the end', () => {
    expect(fmt(source)).toBe(expected);
    expect(fmt(expected)).toBe(expected);
  });

  it('keep quoted text intact', () => {
    const parsed = parseFile({ path: 'a.tiaoli', text: fmt(source)! });
    expect(parsed.ast?.kind === 'article' && parsed.ast.paragraphs[0]!.zh.value).toBe('text with "quotes", # no comment, and a backslash \\');
  });
});

describe('layout', () => {
  it('prints items in source order, a blank line between them', () => {
    const text = `${header}define b as actor.blacklisted\nparagraph 2 zh "y" en "z"\ndefine a as b\n`;
    expect(fmt(text)).toBe(`${header}\ndefine b as actor.blacklisted\n\nparagraph 2\n  zh "y"\n  en "z"\n\ndefine a as b\n`);
  });

  it('prints regulation headers one clause a line', () => {
    const text = 'regulation r-1 title en "E" title zh "Z" in force from 2016-12-01 repealed on 2020-01-01 articles 3 define a as b';
    expect(fmt(text)).toBe('regulation r-1\n  title zh "Z"\n  title en "E"\n  in force from 2016-12-01\n  repealed on 2020-01-01\n  articles 3\n\ndefine a as b\n');
  });

  it('reads order in words for dates and in symbols for numbers', () => {
    expect(when('occurredAt < 2016-12-01')).toBe('occurredAt before 2016-12-01');
    expect(when('occurredAt >= provider.launchedAt plus P1M')).toBe('occurredAt on or after provider.launchedAt plus P1M');
    expect(when('provider.launchedAt on or before occurredAt')).toBe('provider.launchedAt on or before occurredAt');
    expect(when('actor.priorViolations after 2')).toBe('actor.priorViolations > 2');
    expect(when('actor.priorViolations on or before actor.priorViolations')).toBe('actor.priorViolations <= actor.priorViolations');
    expect(when('actor.role is not user and actor is not present and content.form is not one of [comment]')).toBe(
      'actor.role is not user and actor is absent and content.form is not one of [comment]',
    );
  });

  it('brackets every group inside another group, and nothing else', () => {
    expect(when('(a and b) or (c or d) or (e or f and g)')).toBe('(a and b) or (c or d) or (e or (f and g))');
    expect(when('a and (b and c) and (d or e) and not (f and g) and not (h)')).toBe('a and (b and c) and (d or e) and not (f and g) and not h');
  });

  it('breaks a long condition before a top-level and/or: first line filled, then one operand a line', () => {
    const long = 'live-broadcast and content.category is news and content.reprint and not content.sourceIndicated and actor.blacklisted';
    expect(when(long)).toBe('live-broadcast and content.category is news and content.reprint\n    and not content.sourceIndicated\n    and actor.blacklisted');
    const nested = `a and (${Array.from({ length: 12 }, (_, i) => `condition-${i}`).join(' or ')})`;
    expect(when(nested)).toBe(
      'a\n    and (condition-0 or condition-1 or condition-2 or condition-3 or condition-4 or condition-5\n        or condition-6\n        or condition-7\n        or condition-8\n        or condition-9\n        or condition-10\n        or condition-11)',
    );
  });

  it('starts a long definition on its own line, and leaves an unbreakable one whole', () => {
    const body = 'provider.businesses has news and not provider.licenses has news_information or content.category is news';
    expect(fmt(`${header}define a-long-definition-name as ${body}`)).toBe(`${header}\ndefine a-long-definition-name as\n    (provider.businesses has news and not provider.licenses has news_information)\n    or content.category is news\n`);
    const list = `content.prohibited has any of [${Array.from({ length: 12 }, (_, i) => `value_${i}`).join(', ')}]`;
    expect(fmt(`${header}define d as ${list}`)).toBe(`${header}\ndefine d as ${list}\n`);
  });

  it('keeps every breakable line within the width', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('actor.blacklisted', 'content.category is news', 'not provider.licenses has news_information', '(a or b)'), { minLength: 1, maxLength: 12 }), fc.constantFrom(' and ', ' or '), (parts, op) => {
        for (const line of fmt(`${header}rule r cites live-2016 article 12 on content.publish when ${parts.join(op)} then deny\n`)!.split('\n')) {
          if (!line.includes('zh "')) expect(line.length).toBeLessThanOrEqual(WIDTH);
        }
      }),
    );
  });
});

describe('refusals', () => {
  it('returns the syntax errors and no text for a file that does not parse', () => {
    const result = format({ path: 'bad.tiaoli', text: `${header}rule r on content.publish when then deny\n` });
    expect(result.text).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['TL002']);
  });

  it('refuses a file with a clause the language would ignore (TL025), pointing at that clause', () => {
    const result = format({ path: 'r.tiaoli', text: 'regulation r\n  title zh "first"\n  title zh "second"\n  in force from 2016-12-01\n  articles 1\n' });
    expect(result.text).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.span.start.line, d.message])).toEqual([['TL025', 3, '`title zh` is given a second time (first on line 2)']]);
  });

  it('refuses output its own brackets would nest too deeply (TL060), and says so', () => {
    const text = `${header}rule r cites live-2016 article 12 on content.publish when ${'not '.repeat(LIMITS.nesting - 1)}(a or b and c) then deny\n`;
    expect(format({ path: 'deep.tiaoli', text }).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['TL060', `formatting would change what this file says: its output would not parse (this condition is nested more than ${LIMITS.nesting} levels deep)`],
    ]);
  });

  it('never throws on mutated files: it formats them idempotently or says why not', () => {
    const sample = readPolicyDir(SHIPPED_POLICIES).find((s) => s.path === 'live-2016/article-12.tiaoli')!.text;
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 20 }), insert: fc.constantFrom('', ' ', '\n', '(', ')', ' and ', ' or not ', '#', '"', 'x', ' < 3') });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = sample;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        }
        const result = format({ path: 'm.tiaoli', text });
        if (result.text === undefined) expect(result.diagnostics.length).toBeGreaterThan(0);
        else expect(fmt(result.text)).toBe(result.text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('tiaoli fmt', () => {
  const BIN = new URL('../../bin/tiaoli.js', import.meta.url).pathname;
  const tiaoli = (args: string[]) => spawnSync(process.execPath, [BIN, 'fmt', ...args], { encoding: 'utf8' });
  /** A copy of live-2016, whose files are formatted. */
  const copy = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tiaoli-fmt-'));
    cpSync(join(SHIPPED_POLICIES, 'live-2016'), join(dir, 'live-2016'), { recursive: true });
    return dir;
  };

  it('finds the shipped policies formatted', () => {
    const r = tiaoli(['--check', SHIPPED_POLICIES]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('rewrites nothing unless told what: without a path it refuses, exit 2', () => {
    const r = tiaoli([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: missing required argument 'path'/);
  });

  it('lists unformatted files with --check and exits 1; without it rewrites them', () => {
    const dir = copy();
    const file = join(dir, 'live-2016/article-14.tiaoli');
    const formatted = readFileSync(file, 'utf8');
    writeFileSync(file, formatted.replace(/\n {2}then\n {4}/g, ' then '));
    const check = tiaoli(['--check', dir]);
    expect([check.status, check.stdout]).toEqual([1, `${file}\n`]);
    expect(readFileSync(file, 'utf8')).not.toBe(formatted);
    const write = tiaoli([dir]);
    expect([write.status, write.stdout]).toEqual([0, `${file}\n`]);
    expect(readFileSync(file, 'utf8')).toBe(formatted);
    expect(tiaoli(['--check', file]).status).toBe(0);
  });

  it('leaves a file with a syntax error as it is, with its diagnostics, and exits 2', () => {
    const dir = copy();
    const file = join(dir, 'live-2016/article-14.tiaoli');
    const broken = readFileSync(file, 'utf8').replace('then', 'thn');
    writeFileSync(file, broken);
    const r = tiaoli([file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/article-14\.tiaoli:\d+:\d+: error TL002: /);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(existsSync(file)).toBe(true);
  });
});
