// No code injection: policies compile to closures, never to source text, so a hostile string in a
// policy is data wherever it goes: a compared value, a name, an article's text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vocabularySource } from '../helpers.js';
import { buildBundle, decide, type Decision } from '../../engine/index.js';
import { explain, renderExplanation } from '../../engine/explain.js';
import { format } from '../../language/format.js';

const HOSTILE = ['"); process.exit(1); //', "'); throw new Error('x'); //", '${process.exit(1)}', '`${1+1}`', '\\', '\u2028', '\u2029', '</script><script>alert(1)</script>', '\u0000'];
const root = new URL('../../', import.meta.url).pathname;

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

describe('hostile strings in a policy', () => {
  it.each(HOSTILE)('%j stays data: compared as a value, quoted as text, printed back unchanged', (hostile) => {
    const files = [
      vocabularySource(),
      { path: 'demo/regulation.tiaoli', text: `regulation demo title zh ${quote(hostile)} in force from 2020-01-01 articles 1\n` },
      {
        path: 'demo/article-1.tiaoli',
        text: `article 1 of demo version 1 in effect from 2020-01-01\nparagraph 1 zh ${quote(hostile)} en ${quote(hostile)}\nrule r cites demo article 1 on feature.launch when feature.id is ${quote(hostile)} then deny\n`,
      },
    ];
    const { policy, diagnostics } = buildBundle(files);
    expect(diagnostics).toEqual([]);
    const ev = { id: 'e', type: 'feature.launch' as const, occurredAt: '2021-01-01T00:00:00Z', provider: { id: 'p', services: [], businesses: [] }, feature: { id: hostile, deepSynthesis: false, mediaAttributes: false, socialMobilization: false } };
    const d = decide(policy!, ev) as Decision;
    expect(d.allowed).toBe(false);
    expect(d.trace[0]!.facts).toEqual({ 'feature.id': hostile });
    expect((decide(policy!, { ...ev, feature: { ...ev.feature, id: `${hostile}x` } }) as Decision).allowed).toBe(true);
    expect(renderExplanation(explain(policy!, ev), ev, 'en')).toContain(`“${hostile}”`);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    // The formatter prints it back quoted exactly as written, and the result means the same.
    const formatted = format(files[2]!).text!;
    expect(formatted.split(quote(hostile)).length - 1).toBe(3);
    const again = decide(buildBundle([files[0]!, files[1]!, { ...files[2]!, text: formatted }]).policy!, ev) as Decision;
    expect([again.allowed, again.trace[0]!.facts]).toEqual([false, { 'feature.id': hostile }]);
  });

  it('no source of the compiler or engine turns text into code', () => {
    const files = ['language', 'engine'].flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(root, dir, f)));
    // A method named eval (a Z3 model's, engine/analysis/) evaluates a term, not text.
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/(?<!\.)\beval\(|new Function\(|\bFunction\(|vm\.run|runInNewContext/);
  });
});
