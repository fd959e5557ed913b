// The checker's diagnostics: each kind of mistake yields its code at the right place, with help.
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../engine/analysis/analyze.js';
import { loadZ3, type LoadedZ3 } from '../../engine/analysis/z3-node.js';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { DIAGNOSTICS, type Diagnostic } from '../../language/diagnostics.js';
import { readFileSync } from 'node:fs';
import { catalogueMarkdown } from '../../language/catalogue.js';
import { format } from '../../language/format.js';

const shipped = readPolicyDir(SHIPPED_POLICIES);

/** The shipped bundle with one file replaced (or added). */
function bundleWith(path: string, text: string): Diagnostic[] {
  const files = shipped.filter((s) => s.path !== path).concat({ path, text });
  return [...buildBundle(files).diagnostics];
}

const header = 'article 12 of live-2016\nversion 1 in effect from 2016-12-01\nparagraph 1 zh "……"\nparagraph 2 zh "……"\n';
const ARTICLE_12 = 'live-2016/article-12.tiaoli';

const at = (d: Diagnostic) => `${d.span.start.line}:${d.span.start.column}`;

describe('a file with three different mistakes', () => {
  const text = `${header}
rule phone
  cites live-2016 article 12 paragraph 1
  on account.register
  when not actor.verifed meets phone_number
  then require verification phone_number

rule identity
  cites live-2016 article 12 paragraph 1
  on content.publish
  when actor.verified has identity_doc
  then deny

rule uncited
  on identity.disclosure
  then deny
`;
  const ds = bundleWith(ARTICLE_12, text).filter((d) => d.span.file === ARTICLE_12);

  it('yields three diagnostics, each at its line:column with help', () => {
    expect(ds.map((d) => [d.code, at(d)])).toEqual([
      ['TL050', '9:12'],
      ['TL051', '15:27'],
      ['TL040', '18:6'],
    ]);
    for (const d of ds) expect(d.help.length).toBeGreaterThan(10);
  });

  it('suggests the field and value that were meant', () => {
    expect(ds[0]!.message).toBe('the event has no field actor.verifed');
    expect(ds[0]!.help).toBe('did you mean `actor.verified`?');
    expect(ds[1]!.message).toContain('identity_doc');
    expect(ds[1]!.help).toBe('did you mean `identity_document`?');
    expect(ds[2]!.help).toContain('cites live-2016 article 12 paragraph 1');
  });
});

describe('the diagnostics catalogue', () => {
  const entries = Object.values(DIAGNOSTICS);
  // Z3 is loaded for the analysis codes only, by their first example.
  let z3: LoadedZ3 | undefined;
  afterAll(() => z3?.close());

  /** What the example yields: through the formatter, the checker, or the semantic analysis of its own rules. */
  async function yielded({ file, text, via }: (typeof entries)[number]['example']): Promise<readonly Diagnostic[]> {
    if (via === 'format') return format({ path: file, text }).diagnostics;
    const built = buildBundle(shipped.filter((s) => s.path !== file).concat(text === '' ? [] : [{ path: file, text }]));
    if (via !== 'analyze') return built.diagnostics;
    z3 ??= await loadZ3();
    return (await analyze(z3.z3, built.policy!, { only: (r) => r.file === file })).findings.map((f) => f.diagnostic);
  }

  it.each(entries.map((e) => [e.code, e] as const))('%s: its example triggers it, at a line, with help in both languages', async (code, e) => {
    const ds = await yielded(e.example);
    const d = ds.find((x) => x.code === code);
    expect(d, ds.map((x) => `${x.code} ${x.message}`).join('\n')).toBeDefined();
    expect(d!.severity).toBe(e.severity);
    expect(d!.span.start.line).toBeGreaterThan(0);
    expect(d!.help).not.toMatch(/^$|\{\w+\}/);
    expect(d!.helpZh).not.toMatch(/^$|\{\w+\}/);
    expect(d!.message).not.toMatch(/\{\w+\}/);
  });

  it('codes are unique', () => {
    const codes = entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('is listed in the README, as npm run gen:docs writes it', () => {
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(catalogueMarkdown());
  });
});
