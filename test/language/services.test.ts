// The shared language services on the shipped bundle: every kind of request an editor makes, and
// the invariants that hold at any place (completion never throws and offers only what parses there;
// rename keeps what the bundle decides).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSnapshot } from '../../engine/bundle.js';
import { decide } from '../../engine/decide.js';
import { readPolicyDir, readTestFiles, SHIPPED_POLICIES } from '../../engine/load.js';
import { runPolicyTests } from '../../engine/policy-tests.js';
import { lex } from '../../language/parse.js';
import { policyParser } from '../../language/parser.js';
import { StringLiteral } from '../../language/tokens.js';
import * as S from '../../language/services/index.js';
import type { SourceFile } from '../../language/source.js';
import { EXAMPLES } from '../../playground/src/examples.js';
import { shippedArticle, shippedPolicy, shippedRegulation, shippedVocabulary } from '../helpers.js';

const parser = policyParser();

const shipped = readPolicyDir(SHIPPED_POLICIES);
/** What completion offers, from the bundle that owns it: regulations, article 12's paragraphs, verification codes. */
const REGULATIONS = shippedPolicy().checked.regulations.map((r) => r.id).sort();
const PARAGRAPHS_12 = shippedArticle('live-2016', 12).paragraphs.map((p) => String(p.number));
const VERIFICATION = shippedVocabulary().codes.verification;
const { tests, fixtures } = readTestFiles(SHIPPED_POLICIES);
const base = S.snapshot(shipped);
const A12 = 'live-2016/article-12.tiaoli';
const text12 = readFileSync(join(SHIPPED_POLICIES, A12), 'utf8');

/** The snapshot with `line` appended to article 12, and the cursor after it. */
function typed(line: string): { s: S.Snapshot; offset: number } {
  return { s: S.update(base, [{ path: A12, text: text12 + line }]), offset: text12.length + line.length };
}
const labels = (line: string): string[] => {
  const { s, offset } = typed(line);
  return S.complete(s, A12, offset).items.map((c) => c.label);
};
const RULE = '\nrule r cites live-2016 article 12 on content.publish ';

/** The files with the edits made, each file's from its end so the offsets hold. */
function applied(files: readonly SourceFile[], edits: readonly S.TextEdit[]): SourceFile[] {
  return files.map((f) => ({
    path: f.path,
    text: edits
      .filter((e) => e.span.file === f.path)
      .sort((a, b) => b.span.start.offset - a.span.start.offset)
      .reduce((text, e) => text.slice(0, e.span.start.offset) + e.text + text.slice(e.span.end.offset), f.text),
  }));
}

describe('diagnostics and quick fixes', () => {
  it('the shipped bundle has no error', () => {
    expect(base.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a misspelled field is TL050 with its replacement, and the quick fix makes the bundle clean again', () => {
    const broken = S.update(base, [{ path: A12, text: text12.replace('not actor.verified meets', 'not actor.verifed meets') }]);
    const d = broken.diagnostics.find((x) => x.code === 'TL050')!;
    expect(d).toMatchObject({ help: 'did you mean `actor.verified`?', replacements: ['actor.verified'] });
    const actions = S.codeActions(broken, A12, d.span.start.offset, d.span.end.offset);
    expect(actions).toEqual([expect.objectContaining({ title: expect.stringContaining('actor.verified'), diagnostic: d })]);
    const fixed = S.update(broken, applied([{ path: A12, text: broken.files.get(A12)!.source.text }], [actions[0]!.edit]));
    expect(fixed.files.get(A12)!.source.text).toBe(text12);
    expect(fixed.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('checks the whole shipped bundle again on a change, reusing the other files’ parses (its time: `npm run bench`)', () => {
    let s = base;
    for (let i = 0; i < 3; i++) {
      s = S.update(s, [{ path: A12, text: `${text12}# edit ${i}\n` }]);
      expect(compileSnapshot(s)).toBeDefined();
      expect(s.files.get('vocabulary.tiaoli')).toBe(base.files.get('vocabulary.tiaoli'));
      expect(s.checked.vocabulary).toBe(base.checked.vocabulary);
    }
  });

  it('a rule that cites nothing gets the citation its help names as a quick fix', () => {
    const broken = S.update(base, [{ path: A12, text: `${text12}\nrule r on content.publish then deny\n` }]);
    const [fix] = S.codeActions(broken, A12).filter((a) => a.diagnostic.code === 'TL040');
    expect(fix!.edit.text).toBe('r cites live-2016 article 12 paragraph 1');
    const fixed = S.update(broken, applied([broken.files.get(A12)!.source], [fix!.edit]));
    expect(fixed.diagnostics.map((d) => d.code)).not.toContain('TL040');
  });

  it('a field written by its Chinese name is one TL150 naming the field meant, in both languages, and its quick fix writes the path', () => {
    const line = `${RULE}when 已认证 has phone_number then deny\n`;
    const broken = S.update(base, [{ path: A12, text: text12 + line }]);
    const here = broken.diagnostics.filter((d) => d.span.file === A12);
    expect(here.map((d) => d.code)).toEqual(['TL150']);
    expect(here[0]).toMatchObject({
      message: '已认证 is not a name the language reads: did you mean `actor.verified` (已认证的真实身份信息)?',
      messageZh: '语言不识别 已认证：是否想写 `actor.verified` (已认证的真实身份信息)？',
      replacements: ['actor.verified'],
    });
    const [fix] = S.codeActions(broken, A12, here[0]!.span.start.offset, here[0]!.span.end.offset);
    const fixed = S.update(broken, applied([broken.files.get(A12)!.source], [fix!.edit]));
    expect(fixed.files.get(A12)!.source.text).toBe(text12 + line.replace('已认证', 'actor.verified'));
    expect(fixed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a value, an event type and a code by their Chinese names too; a rule named in Chinese is TL151', () => {
    const codes = (line: string) => S.update(base, [{ path: A12, text: text12 + line }]).diagnostics.filter((d) => d.span.file === A12).map((d) => [d.code, d.replacements]);
    expect(codes(`${RULE}when actor.verified has 移动电话 then deny\n`)).toEqual([['TL150', ['phone_number']]]);
    expect(codes('\nrule r cites live-2016 article 12 on 发布内容 then deny\n')).toEqual([['TL150', ['content.publish']]]);
    expect(codes('\nrule 规则 cites live-2016 article 12 on content.publish then deny\n')).toEqual([['TL151', undefined]]);
  });

  it('an unexpected character is removed by its quick fix; a version before its regulation is moved to the date in force', () => {
    const broken = S.update(base, [{ path: A12, text: `${text12}${RULE}when actor.blacklisted @ then deny\n` }]);
    const [remove] = S.codeActions(broken, A12).filter((a) => a.diagnostic.code === 'TL001');
    expect(remove).toMatchObject({ title: 'Remove it 删除', edit: { text: '' } });
    const early = S.update(base, [{ path: A12, text: text12.replace('in effect from 2016-12-01', 'in effect from 2016-01-01') }]);
    const [move] = S.codeActions(early, A12).filter((a) => a.diagnostic.code === 'TL019');
    expect(move!.edit.text).toBe('2016-12-01');
  });

  it('a citation still being typed is a syntax error only: no TL040 until the rule is written without one', () => {
    const codes = (line: string) => S.update(base, [{ path: A12, text: text12 + line }]).diagnostics.filter((d) => d.span.file === A12).map((d) => d.code);
    expect(codes('\nrule y cites live-2016 art')).toEqual(['TL002']);
    expect(codes('\nrule y cites')).toEqual(['TL002']);
    expect(codes('\nrule y on content.publish then deny\n')).toEqual(['TL040']);
  });

  it('a diagnostic whose help proposes nothing has no quick fix', () => {
    const broken = S.update(base, [{ path: A12, text: `${text12}${RULE}then retain content_and_logs for PT1H from occurredAt\n` }]);
    expect(broken.diagnostics.map((d) => d.code)).toContain('TL004');
    expect(S.codeActions(broken, A12)).toEqual([]);
  });
});

describe('completion by Chinese and English names', () => {
  it('a word typed in Chinese in a condition offers the fields whose Chinese name has it, to insert their paths', () => {
    const { s, offset } = typed(`${RULE}when 已认证`);
    const c = S.complete(s, A12, offset);
    expect(c.from).toBe(offset - '已认证'.length);
    expect(c.items.map((i) => i.label)).toEqual(['actor.verified']);
    expect(c.items[0]).toMatchObject({ kind: 'field', filterText: '已认证', names: { zh: '已认证的真实身份信息' } });
    expect(labels(`${RULE}when 黑名单`)).toEqual(['actor.blacklisted', 'provider.blacklisted']);
  });

  it('values, event types and codes by their Chinese names; an English name is matched too', () => {
    expect(labels(`${RULE}when actor.verified has 移动电话`)).toEqual(['phone_number']);
    expect(labels('\nrule r cites live-2016 article 12 on 发布内容')).toEqual(['content.publish']);
    const { s, offset } = typed(`${RULE}when act`);
    expect(S.complete(s, A12, offset).items.find((i) => i.label === 'actor.verified')?.filterText).toBe('actor.verified verified real identity');
  });
});

describe('completion from the grammar and the vocabulary', () => {
  it('offers regulations, articles and paragraphs in a citation', () => {
    expect(labels('\nrule r cites ')).toEqual(REGULATIONS);
    expect(labels('\nrule r cites live-2016 article ')).toHaveLength(shippedRegulation('live-2016').articleCount);
    expect(labels('\nrule r cites live-2016 article 12 paragraph ')).toEqual(PARAGRAPHS_12);
  });

  it('offers event types after `on`, fields and terms in a condition, with their Chinese names', () => {
    expect(labels(`${RULE.replace(' content.publish ', ' ')}`)).toContain('content.publish');
    const { s, offset } = typed(`${RULE}when actor.ver`);
    const c = S.complete(s, A12, offset);
    expect(c.from).toBe(offset - 'actor.ver'.length);
    expect(c.items.find((x) => x.label === 'actor.verified')).toMatchObject({ kind: 'field', documentation: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect(c.items.map((x) => x.label)).toEqual(expect.arrayContaining(['live-provider', 'not']));
  });

  it('offers a field’s values after its operator, the codes an outcome takes, dates where a date goes', () => {
    expect(labels(`${RULE}when content.form is `)).toContain('live_stream');
    expect(labels(`${RULE}when actor.verified has any of [phone_number, `)).toEqual(expect.arrayContaining(['identity_document', 'business_license']));
    expect(labels(`${RULE}when actor.verified meets `)).toEqual(VERIFICATION);
    expect(labels(`${RULE}then take `)).toContain('remove_content');
    expect(labels(`${RULE}then require verification `)).toEqual(VERIFICATION);
    expect(labels(`${RULE}then retain content_and_logs for P60D from `)).toEqual(expect.arrayContaining(['occurredAt', 'provider.launchedAt']));
    expect(labels(`${RULE}when provider.launchedAt on or before `)).not.toContain('actor.verified');
  });

  it('offers the keywords the grammar accepts next, and nothing in a comment or quoted text', () => {
    expect(labels(`${RULE}when actor.blacklisted `)).toEqual(expect.arrayContaining(['and', 'or', 'then', 'is', 'has', 'meets']));
    expect(labels(`${RULE}when actor.blacklisted `)).not.toContain('deny');
    expect(labels('\n# a comment about actor.')).toEqual([]);
    expect(labels('\nparagraph 3 zh "actor.')).toEqual([]);
  });

  it('after a syntax error earlier in the file, still completes within the item being written', () => {
    const { s, offset } = typed(`${RULE}when then deny\nrule q cites live-2016 article 12 on content.publish then take `);
    expect(S.complete(s, A12, offset).items.map((c) => c.label)).toContain('remove_content');
  });

  it('at any place of any shipped file: never throws, and every keyword offered parses there', () => {
    const files = shipped.filter((f) => f.text.length < 20_000);
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.double({ min: 0, max: 1, noNaN: true }), (file, at) => {
        const offset = Math.floor(at * file.text.length);
        const s = S.update(base, [file]);
        const { from, items } = S.complete(s, file.path, offset);
        expect(from).toBeLessThanOrEqual(offset);
        for (const k of items.filter((c) => c.kind === 'keyword')) {
          const tokens = lex({ path: file.path, text: `${file.text.slice(0, from)}${k.label} ` }).tokens;
          // The keyword is taken: the parser accepts what it starts (a file of items never has to end).
          expect(parser.computeContentAssist('file', tokens).length, `${k.label} at ${offset}`).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('hover, definitions, references and the outline', () => {
  const at = (needle: string, shift = 1) => text12.indexOf(needle) + shift;

  it('shows the article text in both languages over a citation', () => {
    const h = S.hover(base, A12, at('cites live-2016 article 12 paragraph 2', 8))!;
    const text = h.contents.join('\n');
    expect(text).toContain('互联网直播服务管理规定');
    expect(text).toContain('不得出售或者非法向他人提供');
    expect(text).toContain('sell them or illegally provide them');
  });

  it('shows a field, a code and a defined term by what the bundle declares of them', () => {
    expect(S.hover(base, A12, at('requester.legalBasis', 3))!.contents[0]).toContain('依法提出请求');
    expect(S.hover(base, A12, at('meets real_identity', 8))!.contents[0]).toMatch(/`real_identity` — .*[\u4e00-\u9fff]/);
    expect(S.hover(base, A12, at('live-provider'))!.contents.join('\n')).toContain('define live-provider as');
  });

  it('goes to the declaration of a term, a field, a code, an event type and a cited article', () => {
    expect(S.definition(base, A12, at('live-provider'))!.file).toBe('live-2016/article-02.tiaoli');
    const field = S.definition(base, A12, at('requester.legalBasis', 12))!;
    expect(field.file).toBe('vocabulary.tiaoli');
    expect(base.files.get('vocabulary.tiaoli')!.source.text.slice(field.start.offset, field.end.offset)).toBe('legalBasis');
    const code = S.definition(base, A12, at('meets real_identity', 8))!;
    expect(base.files.get('vocabulary.tiaoli')!.source.text.slice(code.start.offset, code.end.offset)).toBe('real_identity');
    const type = S.definition(base, A12, at('identity.disclosure', 2))!;
    expect(base.files.get('vocabulary.tiaoli')!.source.text.slice(type.start.offset, type.end.offset)).toBe('identity.disclosure');
    expect(S.definition(base, A12, at('cites live-2016 article 12', 'cites live-2016 art'.length))!.file).toBe(A12);
    expect(S.definition(base, A12, at('cites live-2016 article 12', 8))!.file).toBe('live-2016/regulation.tiaoli');
  });

  it('finds every use of a defined term across the bundle, the definition first', () => {
    const refs = S.references(base, A12, at('live-provider'));
    const uses = shipped.reduce((n, f) => n + lex(f).tokens.filter((t) => t.image === 'live-provider').length, 0);
    expect(refs).toHaveLength(uses);
    expect(refs[0]!.file).toBe('live-2016/article-02.tiaoli');
    expect(new Set(refs.map((r) => r.file)).size).toBeGreaterThan(5);
    expect(S.references(base, A12, at('live-provider'), false)).toHaveLength(uses - 1);
  });

  it('outlines an article: its paragraphs and rules; a vocabulary: its declarations', () => {
    const [article] = S.documentSymbols(base, A12);
    expect(article).toMatchObject({ name: 'live-2016 article 12', kind: 'article' });
    expect(article!.children.filter((c) => c.kind === 'paragraph')).toHaveLength(2);
    expect(article!.children.filter((c) => c.kind === 'rule').map((c) => c.name)).toContain('provide-to-law-enforcement');
    const [vocab] = S.documentSymbols(base, 'vocabulary.tiaoli');
    expect(vocab!.children.map((c) => c.kind)).toEqual(expect.arrayContaining(['field', 'enumeration', 'object', 'event-type']));
  });
});

describe('rename', () => {
  it('renames a defined term in every file, and refuses a name that is not one or is taken', () => {
    const r = S.rename(base, A12, text12.indexOf('live-provider') + 1, 'live-platform')!;
    expect('edits' in r && r.edits.length).toBe(S.references(base, A12, text12.indexOf('live-provider') + 1).length);
    expect(S.rename(base, A12, text12.indexOf('live-provider') + 1, 'Live Platform')).toMatchObject({ refused: { code: 'TL090' } });
    expect(S.rename(base, A12, text12.indexOf('live-provider') + 1, 'lawful-enforcement-request')).toMatchObject({ refused: { code: 'TL091' } });
    expect(S.prepareRename(base, A12, text12.indexOf('requester.legalBasis') + 1)).toBeNull();
  });

  it('renames a rule in its file and in the `fired` lists of the policy tests, which still pass', () => {
    const r = S.rename(base, A12, text12.indexOf('provide-to-law-enforcement') + 1, 'disclose-to-police', tests)!;
    if (!('edits' in r)) throw new Error('refused');
    expect(new Set(r.edits.map((e) => e.span.file))).toEqual(new Set([A12, 'live-2016/article-12.test.yaml']));
    const files = applied(shipped, r.edits);
    const policy = compileSnapshot(S.snapshot(files))!;
    const run = runPolicyTests(policy, applied(tests, r.edits), fixtures);
    expect(run.problems).toEqual([]);
    expect(run.results.filter((x) => !x.passed)).toEqual([]);
    expect(policy.checked.articles.flatMap((a) => a.rules).map((x) => x.id)).toContain('live-2016/12/disclose-to-police');
  });

  it('keeps every decision, and renaming back gives the files back', () => {
    const terms = base.checked.definitions.map((d) => d.name);
    const policy = compileSnapshot(base)!;
    const strip = (d: unknown) => JSON.stringify(d, (k, v) => (k === 'policy' ? undefined : v));
    fc.assert(
      fc.property(fc.constantFrom(...terms), fc.stringMatching(/^[a-z][a-z0-9]{2,8}-x$/), (term, name) => {
        const def = base.checked.definitions.find((d) => d.name === term)!;
        const r = S.rename(base, def.file, def.span.start.offset + 'define '.length + 1, name);
        if (!r || !('edits' in r)) throw new Error(`refused ${term} → ${name}`);
        const files = applied(shipped, r.edits);
        const renamed = S.snapshot(files);
        expect(renamed.diagnostics).toHaveLength(base.diagnostics.length);
        const other = compileSnapshot(renamed)!;
        for (const x of EXAMPLES) expect(strip(decide(other, x.event))).toBe(strip(decide(policy, x.event)));
        const back = S.rename(renamed, def.file, def.span.start.offset + 'define '.length + 1, term)!;
        expect('edits' in back && applied(files, back.edits)).toEqual(shipped);
      }),
      { numRuns: 12 },
    );
  });
});

describe('formatting and semantic tokens', () => {
  it('formats a file into the one layout', () => {
    expect(S.formatting(base, A12)).toEqual({ text: text12, diagnostics: [] });
    const squashed = S.update(base, [{ path: A12, text: text12.replace('rule provide-to-law-enforcement\n  cites', 'rule provide-to-law-enforcement cites') }]);
    expect(S.formatting(squashed, A12).text).toBe(text12);
  });

  it('classes names by what they name, keywords and literals by the lexer, each piece on one line and in order', () => {
    const tokens = S.semanticTokens(base, A12);
    const kindAt = (needle: string) => tokens.find((t) => t.span.start.offset === text12.indexOf(needle))?.type;
    expect(kindAt('requester.legalBasis')).toBe('property');
    expect(kindAt('live-provider')).toBe('function');
    expect(kindAt('provide-to-law-enforcement')).toBe('method');
    expect(kindAt('identity.disclosure')).toBe('event');
    expect(kindAt('rule ')).toBe('keyword');
    expect(kindAt('#')).toBe('comment');
    for (const [a, b] of tokens.slice(1).map((t, i) => [tokens[i]!, t] as const)) expect(a.span.end.offset).toBeLessThanOrEqual(b.span.start.offset);
    for (const t of tokens) expect(t.span.start.line).toBe(t.span.end.line);
    // Each quoted paragraph is one piece: none spans a line.
    expect(tokens.filter((t) => t.type === 'string')).toHaveLength(lex({ path: A12, text: text12 }).tokens.filter((t) => t.tokenType === StringLiteral).length);
    const broken = S.update(base, [{ path: A12, text: text12.replace('zh "互联网直播服务提供者应当保护', 'zh "互联网直播服务提供者\n应当保护') }]);
    expect(S.semanticTokens(broken, A12).filter((t) => t.type === 'string')).toHaveLength(tokens.filter((t) => t.type === 'string').length + 1);
  });
});
