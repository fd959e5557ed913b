// The checker's diagnostics: each kind of mistake yields its code at the right place, with help.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { DIAGNOSTICS, type Diagnostic } from '../../language/diagnostics.js';
import { readFileSync } from 'node:fs';
import { catalogueMarkdown } from '../../language/catalogue.js';
import { format } from '../../language/format.js';

const shipped = readPolicyDir(SHIPPED_POLICIES);
const REGULATION = shipped.find((s) => s.path === 'live-2016/regulation.tiaoli')!;

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

  it.each(entries.map((e) => [e.code, e] as const))('%s: its example triggers it, at a line, with help in both languages', (code, e) => {
    const { file, text, via } = e.example;
    const ds =
      via === 'format'
        ? format({ path: file, text }).diagnostics
        : buildBundle(shipped.filter((s) => s.path !== file).concat(text === '' ? [] : [{ path: file, text }])).diagnostics;
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
