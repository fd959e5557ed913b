// The checker's diagnostics: each kind of mistake yields its code at the right place, with help.
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../engine/analysis/analyze.js';
import { loadZ3, type LoadedZ3 } from '../../engine/analysis/z3-node.js';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { readTestFiles } from '../../engine/load.js';
import { runPolicyTests, testDiagnostics } from '../../engine/policy-tests.js';
import { droppedRegulations } from '../../language/check.js';
import { DIAGNOSTICS, formatDiagnostic, type Diagnostic, type Example } from '../../language/diagnostics.js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueMarkdown } from '../../language/catalogue.js';
import { format } from '../../language/format.js';
import { rename } from '../../language/services/edit.js';
import { snapshot } from '../../language/services/workspace.js';
import { codeFrame, LINE_BREAK, type SourceFile } from '../../language/source.js';
import { vocabularySource } from '../helpers.js';

const shipped = readPolicyDir(SHIPPED_POLICIES);
const HAN = /\p{Script=Han}/u;

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

/**
 * The source with each diagnostic under its line, as TypeScript's error baselines show them: the
 * line and its marker from `codeFrame`, then the diagnostic; a list of them all first.
 */
function annotated(source: SourceFile, ds: readonly Diagnostic[]): string {
  const list = ds.map((d) => `${source.path}(${d.span.start.line},${d.span.start.column}): ${d.severity} ${d.code}: ${d.message}`);
  const lines = source.text.replace(/\n$/, '').split(LINE_BREAK).flatMap((text, i) => {
    const here = ds.filter((d) => d.span.start.line === i + 1);
    if (here.length === 0) return [`${i + 1} | ${text}`.trimEnd()];
    return here.flatMap((d, k) => {
      const [line, marker] = codeFrame(source, d.span).split('\n') as [string, string];
      return [...(k === 0 ? [line] : []), marker, `!!! ${d.severity} ${d.code}: ${d.message}`];
    });
  });
  return `${list.join('\n')}\n\n==== ${source.path} (${ds.length} diagnostics) ====\n${lines.join('\n')}\n`;
}

describe('diagnostic baselines', () => {
  // Each file under test/golden/diagnostics replaces its namesake in the shipped bundle; beside it, its
  // diagnostics rendered under their lines (`x.tiaoli` → `x.errors.txt`; UPDATE_GOLDEN=1 rewrites them).
  const golden = new URL('../golden/diagnostics/', import.meta.url).pathname;
  const files = readdirSync(golden, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tiaoli'));
  const baseline = (f: string) => join(golden, f.replace(/\.tiaoli$/, '.errors.txt'));
  const render = (f: string) => {
    const source = { path: f, text: readFileSync(join(golden, f), 'utf8') };
    return annotated(source, bundleWith(f, source.text).filter((d) => d.span.file === f));
  };
  if (process.env['UPDATE_GOLDEN'] === '1') for (const f of files) writeFileSync(baseline(f), render(f));

  it.each(files)('%s yields the diagnostics of its baseline, each under its line', (f) => {
    const expected = readFileSync(baseline(f), 'utf8');
    expect(expected).toMatch(/^!!! error TL\d{3}: /m);
    expect(render(f)).toBe(expected);
  });
});

describe('the diagnostics catalogue', () => {
  const entries = Object.values(DIAGNOSTICS);
  // Z3 is loaded for the analysis codes only, by their first example.
  let z3: LoadedZ3 | undefined;
  afterAll(() => z3?.close());

  /** What the example yields: through the formatter, the checker, or the semantic analysis of its own rules. */
  async function yielded({ file, text, via, alone, rename: renamed }: Example): Promise<readonly Diagnostic[]> {
    if (via === 'format') return format({ path: file, text }).diagnostics;
    if (via === 'tests') {
      const { tests, fixtures } = readTestFiles(SHIPPED_POLICIES);
      const test = [{ path: file, text }];
      return testDiagnostics(runPolicyTests(buildBundle(shipped).policy!, test, fixtures), [...test, ...tests]);
    }
    if (via === 'rename') {
      const r = rename(snapshot([...shipped.filter((s) => s.path !== file), { path: file, text }]), file, text.indexOf(renamed!.at) + renamed!.at.length, renamed!.to);
      return r && 'refused' in r ? [r.refused] : [];
    }
    const built = buildBundle((alone ? [vocabularySource()] : shipped.filter((s) => s.path !== file)).concat(text === '' ? [] : [{ path: file, text }]));
    if (via === 'revision') return droppedRegulations(buildBundle(shipped).checked, built.checked);
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
    expect(d!.messageZh).not.toMatch(/\{\w+\}/);
    expect(d!.messageZh).toMatch(HAN);
    expect(d!.messageZh).not.toBe(d!.message);
  });

  it('every code has its message in English and in Chinese, the Chinese one written in Chinese', () => {
    for (const e of entries) {
      expect(e.messageZh, e.code).toMatch(HAN);
      // The same placeholders in both: the Chinese message says everything the English one does.
      const holes = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(e.messageZh), e.code).toEqual(holes(e.message));
    }
  });

  it('codes are unique', () => {
    const codes = entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('is listed in the README, as npm run gen:docs writes it', () => {
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(catalogueMarkdown());
  });
});

describe('bundle-level diagnostics: what would leave less law than was given', () => {
  const regulation = (articles: number) => ({ path: 'live-2016/regulation.tiaoli', text: `regulation live-2016 title zh "互联网直播服务管理规定" in force from 2016-12-01 articles ${articles}\n` });
  const codes = (files: { path: string; text: string }[]) => buildBundle(files).diagnostics.map((d) => d.code);

  it('TL022 for no files at all, at line 1 of the policy directory itself, and the bundle does not compile', () => {
    const built = buildBundle([]);
    expect(built.policy).toBeUndefined();
    expect(built.diagnostics.map(formatDiagnostic)[0]).toMatch(/^\.:1:1: error TL070: the bundle has no vocabulary: no file of the bundle is a vocabulary/);
    expect(buildBundle([vocabularySource()]).diagnostics.map(formatDiagnostic)[0]).toMatch(/^vocabulary\.tiaoli:1:1: error TL022: the bundle declares no regulation: there are no policy files/);
  });

  it('TL022 for article files without their regulation file, at line 1 of the first file', () => {
    const articles = shipped.filter((s) => s.path.startsWith('live-2016/article-'));
    const ds = buildBundle([vocabularySource(), ...articles]).diagnostics.filter((d) => d.code === 'TL022');
    expect(ds.map((d) => [d.span.file, d.span.start.line, d.span.start.column, d.message])).toEqual([['live-2016/article-01.tiaoli', 1, 1, `the bundle declares no regulation: none of its ${articles.length} policy file(s) is a regulation file`]]);
  });

  it('TL023 for a regulation of 0 articles, and for one whose articles are all non-operative', () => {
    expect(codes([vocabularySource(), regulation(0)])).toEqual(['TL023']);
    expect(codes([vocabularySource(), regulation(1), { path: 'live-2016/article-01.tiaoli', text: `${header.replace('article 12', 'article 1')}non-operative because "purpose"\n` }])).toEqual(['TL023']);
    expect(codes(shipped)).toEqual([]);
  });

  it('TL024 names each regulation the next revision drops, and none when it keeps them all', () => {
    const running = buildBundle(shipped).checked;
    const next = buildBundle(shipped.filter((s) => !s.path.startsWith('av-2019/')));
    expect(next.policy).toBeDefined();
    expect(droppedRegulations(running, next.checked).map(formatDiagnostic)).toEqual([
      'av-2019/regulation.tiaoli:1:1: error TL024: this revision drops av-2019, which the running revision has (av-2019/regulation.tiaoli)\n  help: Keep the files of av-2019 in the new revision; if it has been repealed, write `repealed on DATE` in its regulation file instead of removing it.',
    ]);
    expect(droppedRegulations(running, running)).toEqual([]);
  });
});
