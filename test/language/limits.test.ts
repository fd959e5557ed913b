// Limits measured in work, not only nesting: an oversized file, too many rules, and a rule whose
// expanded condition is too large are refused with a diagnostic at a line and column; the shipped
// bundle stays far below each.
import { describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import type { Cond } from '../../language/checked.js';
import { HEADER, NON_OPERATIVE, type Diagnostic } from '../../language/diagnostics.js';
import { LIMITS } from '../../language/limits.js';

const shipped = readPolicyDir(SHIPPED_POLICIES);
const ARTICLE_12 = 'live-2016/article-12.tiaoli';
const withArticle12 = (text: string): Diagnostic[] => [...buildBundle(shipped.filter((s) => s.path !== ARTICLE_12).concat({ path: ARTICLE_12, text })).diagnostics];
const at = (d: Diagnostic | undefined) => d && `${d.code} ${d.span.file}:${d.span.start.line}:${d.span.start.column}`;

describe('limits', () => {
  it('refuse a file over the size limit at its first line, before reading it', () => {
    const ds = withArticle12(`${HEADER}${NON_OPERATIVE}# ${'x'.repeat(LIMITS.fileChars)}\n`);
    expect(at(ds.find((d) => d.code === 'TL008'))).toBe(`TL008 ${ARTICLE_12}:1:1`);
    expect(ds.filter((d) => d.span.file === ARTICLE_12)).toHaveLength(1);
  });

  it('refuse a bundle of too many rules at the first rule over the limit', () => {
    const rules = Array.from({ length: LIMITS.rules }, (_, i) => `rule r${i} cites live-2016 article 12 on content.publish then deny\n`).join('');
    const ds = withArticle12(HEADER + rules);
    const d = ds.find((x) => x.code === 'TL009');
    expect(d?.message).toMatch(new RegExp(`more than ${LIMITS.rules}$`));
    expect(d?.span.start.column).toBe(1);
  });

  it('refuse a rule whose definitions expand past the work budget, counting 2^31 conditions in linear time', () => {
    // Depth 31 is within the definition-depth limit: this bundle was accepted before.
    const defs = Array.from({ length: 31 }, (_, i) => `define w${i + 1} as w${i} and w${i}\n`).join('');
    const text = `${HEADER}define w0 as actor.blacklisted\n${defs}rule chained cites live-2016 article 12 on content.publish when w31 then deny\n`;
    const ds = withArticle12(text);
    const d = ds.find((x) => x.code === 'TL035');
    expect(at(d)).toBe(`TL035 ${ARTICLE_12}:37:1`);
    // A use of link i is its ref and an `and` over two uses of link i−1, and w0's use two nodes: 2^(i+2) − 2.
    expect(d!.message).toBe(`rule chained stands for ${2 ** 33 - 2} conditions once its definitions are expanded, more than ${LIMITS.ruleWork}`);
  });

  it('leave the shipped bundle far below each (at least 30 times)', () => {
    const built = buildBundle(shipped);
    expect(built.policy).toBeDefined();
    const defs = new Map(built.checked.definitions.map((x) => [x.name, x.body]));
    const size = (c: Cond): number =>
      c.k === 'all' || c.k === 'any' ? c.items.reduce((n, i) => n + size(i), 1) : c.k === 'not' ? 1 + size(c.item) : c.k === 'ref' ? 1 + size(defs.get(c.name)!) : 1;
    const rules = built.checked.articles.flatMap((a) => a.rules);
    // The vocabulary is the one long file, and declares what every other file names: 15 times below.
    const [vocabulary, others] = [shipped.filter((s) => s.path === 'vocabulary.tiaoli'), shipped.filter((s) => s.path !== 'vocabulary.tiaoli')];
    expect(vocabulary).toHaveLength(1);
    expect(vocabulary[0]!.text.length * 15).toBeLessThan(LIMITS.fileChars);
    expect(Math.max(...others.map((s) => s.text.length)) * 30).toBeLessThan(LIMITS.fileChars);
    expect(rules.length * 30).toBeLessThan(LIMITS.rules);
    expect(Math.max(...rules.map((r) => size(r.when))) * 30).toBeLessThan(LIMITS.ruleWork);
  });
});
