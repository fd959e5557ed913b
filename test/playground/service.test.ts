// The playground's language service, run in Node as the page's worker runs it: the real passes over
// the shipped policies, answering what the editor asks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolicyDir, readTestFiles, SHIPPED_POLICIES } from '../../engine/load.js';
import { runPolicyTests } from '../../engine/policy-tests.js';
import { validate } from '../../engine/validate.js';
import { shippedArticle, shippedEventTypes, shippedPolicy, shippedRegulation, shippedVocabulary } from '../helpers.js';
import { EXAMPLES } from '../../playground/src/examples.js';
import { Workspace } from '../../playground/src/service.js';

/** What completion offers, from the bundle that owns it: regulations, article 12's paragraphs, verification codes. */
const REGULATIONS = shippedPolicy().checked.regulations.map((r) => r.id).sort();
const PARAGRAPHS_12 = shippedArticle('live-2016', 12).paragraphs.map((p) => String(p.number));
const VERIFICATION = shippedVocabulary().codes.verification;

const EVENT_TYPES = shippedEventTypes();

const { tests, fixtures } = readTestFiles(SHIPPED_POLICIES);
const shipped = [...readPolicyDir(SHIPPED_POLICIES), ...tests, ...fixtures];

function workspace(): Workspace {
  const w = new Workspace();
  w.sync(shipped);
  return w;
}

const ARTICLE_12 = 'live-2016/article-12.tiaoli';
const text12 = readFileSync(join(SHIPPED_POLICIES, ARTICLE_12), 'utf8');
/** The file with `line` appended, and the offset at its end (the cursor after typing it). */
const typed = (line: string) => ({ file: { path: ARTICLE_12, text: `${text12}${line}` }, offset: text12.length + line.length });
const labels = (w: Workspace, line: string) => {
  const { file, offset } = typed(line);
  return w.complete(file, offset).items.map((e) => e.label);
};

describe('the playground language service', () => {
  it('analyses the shipped policies: compiled; then, apart, every test case passing, coverage per rule', async () => {
    const w = new Workspace();
    const a = w.sync(shipped);
    expect(a.digest).toMatch(/^sha256:/);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.regulations.map((r) => r.id)).toEqual(REGULATIONS);
    // The sync answers without running the tests; they come by their own request, a file at a time.
    expect(a.tests).toBeUndefined();
    let pauses = 0;
    const t = await w.tests(async () => void pauses++);
    if (t === null || t === 'outdated') throw new Error(`no test report: ${t}`);
    expect(pauses).toBe(tests.length);
    expect(t.results.length).toBe(runPolicyTests(shippedPolicy(), tests, fixtures).results.length);
    expect(t.results.filter((r) => !r.passed)).toEqual([]);
    expect(t.coverage.some((c) => c.file === ARTICLE_12 && c.cases > 0)).toBe(true);
  });

  it('gives up a test run that an edit makes out of date, and runs none while the policies do not compile', async () => {
    const w = workspace();
    let pauses = 0;
    const outdated = await w.tests(async () => {
      if (++pauses === 2) w.sync([{ path: ARTICLE_12, text: `${text12}\n` }]);
    });
    expect(outdated).toBe('outdated');
    expect(pauses).toBe(2);
    w.sync([{ path: ARTICLE_12, text: text12.replace('rule ', 'rul ') }]);
    expect(await w.tests(async () => undefined)).toBeNull();
  });

  it('reports a misspelled field with "did you mean" and no digest, and recovers when it is fixed', () => {
    const w = workspace();
    const broken = w.sync([{ path: ARTICLE_12, text: text12.replace('not actor.verified meets real_identity', 'not actor.verifed meets real_identity') }]);
    expect(broken.digest).toBeUndefined();
    expect(broken.diagnostics).toEqual([expect.objectContaining({ code: 'TL050', help: 'did you mean `actor.verified`?', span: expect.objectContaining({ file: ARTICLE_12 }) })]);
    expect(w.decide(EXAMPLES[0]!.event)).toEqual({ ok: false, reason: 'not-compiled' });
    expect(w.sync([{ path: ARTICLE_12, text: text12 }]).digest).toMatch(/^sha256:/);
  });

  it('completes by context: regulations, articles, event types, fields, values and codes', () => {
    const w = workspace();
    expect(labels(w, 'rule r cites ')).toEqual(REGULATIONS);
    expect(labels(w, 'rule r cites live-2016 article ')).toHaveLength(shippedRegulation('live-2016').articleCount);
    expect(labels(w, 'rule r cites live-2016 article 12 paragraph ')).toEqual(PARAGRAPHS_12);
    expect(labels(w, 'rule r cites live-2016 article 12 on content.publish, ')).toEqual([...EVENT_TYPES].sort());
    expect(labels(w, 'rule r cites live-2016 article 12 on content.publish when ')).toEqual(expect.arrayContaining(['actor.verified', 'live-provider', 'lawful-enforcement-request']));
    expect(labels(w, 'rule r cites live-2016 article 12 on content.publish when actor.')).toContain('actor.verified');
    expect(labels(w, 'rule r cites live-2016 article 12 on content.publish then oblige x due occurredAt plus P30D ')).toContain('moved past rest days');
    expect(labels(w, 'rule r cites live-2016 article 12 on content.publish when actor.verified has any of [phone_number, ')).toEqual(expect.arrayContaining(['identity_document', 'business_license']));
    expect(labels(w, 'rule r cites live-2016 article 12 on content.publish when content.form is ')).toContain('live_stream');
    expect(labels(w, 'rule r cites live-2016 article 12 on content.publish then take ')).toContain('remove_content');
    expect(labels(w, 'rule r cites live-2016 article 12 on content.publish when actor.verified meets ')).toEqual(VERIFICATION);
    expect(labels(w, '# a comment about actor.')).toEqual([]);
  });

  it('shows the article text over a citation, a field by its plain names, a defined term by its definition', () => {
    const w = workspace();
    const file = { path: ARTICLE_12, text: text12 };
    const cite = w.hover(file, text12.indexOf('cites live-2016 article 12 paragraph 2') + 2)!;
    expect(cite.contents.join('\n')).toContain('互联网直播服务管理规定');
    expect(cite.contents.join('\n')).toContain('不得出售或者非法向他人提供');
    expect(cite.contents.join('\n')).toContain('sell them or illegally provide them');
    const field = w.hover(file, text12.indexOf('requester.legalBasis') + 3)!;
    expect(field.contents[0]).toContain('依法提出请求');
    const term = w.hover(file, text12.indexOf('live-provider') + 1)!;
    expect(term.contents.join('\n')).toContain('define live-provider as');
  });

  it('goes to a defined term across files, and formats a file', () => {
    const w = workspace();
    const file = { path: ARTICLE_12, text: text12 };
    const def = w.definition(file, text12.indexOf('live-provider') + 1)!;
    expect(def.path).toBe('live-2016/article-02.tiaoli');
    expect(w.format(file)).toEqual({ text: text12, diagnostics: [] });
    expect(w.format({ path: ARTICLE_12, text: text12.replace('rule provide-to-law-enforcement\n  cites', 'rule provide-to-law-enforcement cites') }).text).toBe(text12);
  });

  it('finds references, outlines a file, renames a rule into its tests and offers the quick fix, from the shared services', () => {
    const w = workspace();
    const file = { path: ARTICLE_12, text: text12 };
    expect(w.references(file, text12.indexOf('live-provider') + 1).length).toBeGreaterThan(10);
    expect(w.symbols(file)[0]!.children.map((c) => c.name)).toContain('provide-to-law-enforcement');
    const r = w.rename(file, text12.indexOf('provide-to-law-enforcement') + 1, 'disclose-to-police');
    expect(r && 'edits' in r && [...new Set(r.edits.map((e) => e.span.file))].sort()).toEqual(['live-2016/article-12.test.yaml', ARTICLE_12]);
    const typo = { path: ARTICLE_12, text: text12.replace('not actor.verified meets', 'not actor.verifed meets') };
    const at = typo.text.indexOf('actor.verifed');
    expect(w.fixes(typo, at, at + 1).map((f) => f.edit.text)).toEqual(['actor.verified']);
  });

  it('decides each example event, with an explanation in both languages', () => {
    const w = workspace();
    for (const x of EXAMPLES) {
      const r = w.decide(x.event);
      expect(r.ok, x.event.id).toBe(true);
      if (r.ok) {
        expect(r.text.zh).toContain(r.decision.allowed ? '允许' : '不允许');
        expect(r.text.en).toContain(r.decision.allowed ? 'ALLOWED' : 'DENIED');
      }
    }
    expect(w.decide({ id: 'x', type: 'content.publish' })).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('the example events', () => {
  it('are valid events, one of each type', () => {
    for (const x of EXAMPLES) expect(validate(shippedPolicy().checked.vocabulary, x.event), x.event.id).toMatchObject({ ok: true });
    expect(EXAMPLES.map((x) => x.event.type).sort()).toEqual([...EVENT_TYPES].sort());
  });
});
