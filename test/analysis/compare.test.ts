// `compare`: for revision pairs with known differences, one witness per kind of change, valid and
// decided differently by the engine; for refactorings that change nothing, a proof.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../engine/analysis/analyze.js';
import { compare, type Comparison } from '../../engine/analysis/compare.js';
import { buildBundle, validate, type CompiledPolicy, type Decision } from '../../engine/index.js';
import { fixturesOf } from '../../engine/policy-tests.js';
import { validBundle } from '../policy-arbitraries.js';
import { cited, decideShipped, shippedPolicy, shippedVocabulary } from '../helpers.js';
import { edited, shippedFiles, useZ3, type Edit } from './bundles.js';

const z3 = useZ3();
const SERVICE_AGREEMENT = 'rule service-agreement\n  cites av-2019 article 14\n  on account.register, content.publish, interaction.post\n  when av-provider and not actor.agreementSigned\n  then\n    deny\n\n';

/** The observable's value in a decision, read here independently of compare.ts. */
function valueOf(d: Decision, observable: string): unknown {
  const [list, code] = observable.split(/:(.*)/);
  if (list === 'allowed') return d.allowed;
  if (list === 'citations') return cited(d).includes(code!);
  if (list === 'retention') return d.retention.filter((r) => r.record === code);
  if (list === 'obligations') return d.obligations.filter((o) => o.code === code);
  return (d[list as 'disposal'] as string[]).includes(code!);
}

async function compared(...edits: Edit[]): Promise<{ head: CompiledPolicy; c: Comparison }> {
  const head = edited(...edits);
  return { head, c: await compare(z3(), shippedPolicy(), head) };
}

describe('revisions with known differences: a confirmed witness for each kind of change', () => {
  it.each<[string, Edit[], string[]]>([
    ['a retention period, P60D → P90D', [{ path: 'live-2016/article-16.tiaoli', from: 'P60D', to: 'P90D' }], ['allowed true → false', 'citations:live-2016 16.1 added', 'retention:content_and_logs changes']],
    ['a period in months and one in days, P6M → P180D', [{ path: 'av-2019/article-17.tiaoli', from: 'P6M', to: 'P180D' }], ['allowed false → true', 'citations:av-2019 17.2 removed', 'retention:network_logs changes']],
    ['a due date, plus P30D → plus P1M', [{ path: 'notice-2018/article-01.tiaoli', from: 'launchedAt plus P30D', to: 'launchedAt plus P1M' }], ['obligations:public_security_filing changes']],
    ['a condition, three violations → four', [{ path: 'live-2016/article-14.tiaoli', from: 'actor.priorViolations >= 3', to: 'actor.priorViolations >= 4' }], ['disposal:close_account removed']],
    ['a code, warn → restrict_function', [{ path: 'av-2019/article-14.tiaoli', from: '    take warn\n', to: '    take restrict_function\n' }], ['disposal:restrict_function added', 'disposal:warn removed']],
    [
      'a date: the grace period of notice-2018 section 3 ends a month later',
      [{ path: 'notice-2018/article-03.tiaoli', from: 'occurredAt on or before 2018-08-01 plus P2M', to: 'occurredAt on or before 2018-08-01 plus P3M' }],
      // The grace lasts a month more, so the provider is asked to supplement (and the article cited) instead of stopped.
      ['allowed false → true', 'disposal:deny_access_service removed', 'disposal:deny_app_distribution removed', 'disposal:stop_service removed', 'obligations:supplement_materials changes'],
    ],
  ])('%s', async (_, edits, expected) => {
    const { head, c } = await compared(...edits);
    expect(c.undecided).toEqual([]);
    // A retention or obligation change is described by its entries; the list names it `changes`.
    expect(c.changes.map((x) => `${x.observable} ${/^(retention|obligations):/.test(x.observable) ? 'changes' : x.change}`).sort()).toEqual(expected);
    for (const x of c.changes) {
      expect(validate(shippedVocabulary().vocabulary, x.witness).ok).toBe(true);
      expect(x.confirmed).toBe(true);
      const [b, h] = [decideShipped(x.witness), decideShipped(x.witness, head)];
      expect(JSON.stringify(valueOf(b, x.observable)), x.observable).not.toBe(JSON.stringify(valueOf(h, x.observable)));
    }
  });

  it('says how a retention moves, from the two decisions', async () => {
    const { c } = await compared({ path: 'live-2016/article-16.tiaoli', from: 'P60D', to: 'P90D' });
    const moved = c.changes.find((x) => x.observable === 'retention:content_and_logs')!;
    // Z3 picks the witness: a record kept under both (60 → 90 days) or under the new period only.
    expect(moved.change).toMatch(/^(P60D until \d{4}-\d\d-\d\d|none) → P90D until \d{4}-\d\d-\d\d$/);
    expect(moved.differences.map((d) => d.field)).toContain('retention');
  });
});

describe('changes in a lawyer’s terms', () => {
  const fixtures = fixturesOf([{ path: 'fixtures.yaml', text: readFileSync(new URL('../../policies/fixtures.yaml', import.meta.url), 'utf8') }]);

  it('P60D → P90D in live-2016 art. 16: a publication now kept ninety days, headlined in plain words, witnesses of the rule’s own event types made while it was in force', async () => {
    const head = edited({ path: 'live-2016/article-16.tiaoli', from: 'P60D', to: 'P90D' });
    const c = await compare(z3(), shippedPolicy(), head, { fixtures });
    const kept = c.changes.find((x) => x.observable === 'retention:content_and_logs')!;
    // The rule speaks of content.publish first; the fixtures' provider of 2019 fits, so notice-2018's sixty days stand beside the ninety.
    expect(kept.witness.type).toBe('content.publish');
    expect(kept.headline).toEqual({ zh: '发布内容和日志信息保存期限：60 日 → 90 日，至 2019-05-30', en: 'Published content and logs kept: 60 days → 90 days, until 2019-05-30' });
    expect(kept.head.retention.filter((r) => r.record === 'content_and_logs').map((r) => [r.period, r.binding])).toEqual([['P60D', false], ['P90D', true]]);
    expect(kept.witness.provider).toMatchObject({ services: ['live_broadcast'], licenses: ['icp_filing'], hasStorage: true });
    const rule = head.checked.articles.flatMap((a) => a.rules).find((r) => r.id === 'live-2016/16/content-and-logs-kept-sixty-days')!;
    for (const x of c.changes) {
      expect(x.articles).toEqual(['live-2016 16']);
      expect(rule.on).toContain(x.witness.type);
      // A deletion deletes a record made while live-2016 was in force, and only a deletion carries one.
      if (x.witness.type === 'record.delete') expect((x.witness.record as { createdAt: string }).createdAt >= '2016-12-01').toBe(true);
      else expect(x.witness).not.toHaveProperty('record');
    }
    expect(c.changes.find((x) => x.observable === 'allowed')!.headline.zh).toBe('删除记录：允许 → 不允许');
    expect(c.changes.find((x) => x.observable === 'citations:live-2016 16.1')!.headline.en).toBe('Cites: added live-2016 art. 16 para. 1');
  });

  it('headlines codes, obligations and months in the UI language, each change under the article edited', async () => {
    const code = await compare(z3(), shippedPolicy(), edited({ path: 'av-2019/article-14.tiaoli', from: '    take warn\n', to: '    take restrict_function\n' }), { fixtures });
    expect(code.changes.map((x) => x.headline.zh).sort()).toEqual(['处置措施：不再有 警示', '处置措施：新增 限制功能'].sort());
    expect(code.changes.every((x) => x.articles.join() === 'av-2019 14')).toBe(true);
    const months = await compare(z3(), shippedPolicy(), edited({ path: 'av-2019/article-17.tiaoli', from: 'P6M', to: 'P180D' }), { fixtures });
    expect(months.changes.find((x) => x.observable === 'retention:network_logs')!.headline.zh).toMatch(/^网络日志保存期限：6 个月 → 180 日，至 \d{4}-\d\d-\d\d$/);
  });
});

describe('refactorings that change nothing: proved', () => {
  it.each<[string, Edit[]]>([
    ['the same policies', []],
    ['a rule renamed', [{ path: 'av-2019/article-09.tiaoli', from: 'rule no-prohibited-content', to: 'rule prohibited-content-refused' }]],
    ['a rule moved to the end of its file', [{ path: 'av-2019/article-14.tiaoli', from: SERVICE_AGREEMENT, to: '' }, { path: 'av-2019/article-14.tiaoli', from: '    take close_account\n', to: `    take close_account\n\n${SERVICE_AGREEMENT}` }]],
    [
      'rules renamed so that they come in another order',
      [
        { path: 'av-2019/article-14.tiaoli', from: 'rule service-agreement\n', to: 'rule zz-service-agreement\n' },
        { path: 'live-2016/article-11.tiaoli', from: 'rule interaction-real-time-management', to: 'rule zz-interaction-real-time-management' },
        { path: 'live-2016/article-09.tiaoli', from: 'rule no-prohibited-live-content', to: 'rule zz-no-prohibited-live-content' },
      ],
    ],
    ['a file renamed', [{ path: 'live-2016/article-16.tiaoli', text: null }, { path: 'live-2016/article-16-content-and-logs.tiaoli', text: shippedFiles.find((f) => f.path === 'live-2016/article-16.tiaoli')!.text }]],
    [
      'a definition split in two',
      [
        {
          path: 'notice-2018/article-01.tiaoli',
          from: 'define business-licence-missing as',
          to: 'define business-licence-missing as telecom-or-news-licence-missing or performance-or-programme-licence-missing\n\ndefine telecom-or-news-licence-missing as',
        },
        { path: 'notice-2018/article-01.tiaoli', from: '    or (provider.businesses has performance', to: '\ndefine performance-or-programme-licence-missing as\n    (provider.businesses has performance' },
      ],
    ],
    ['a definition moved to another file', [{ path: 'live-2016/article-09.tiaoli', from: 'define prohibited-content as', to: 'define prohibited-content-here as' }, { path: 'live-2016/article-02.tiaoli', from: 'define live-provider as', to: 'define prohibited-content as prohibited-content-here\n\ndefine live-provider as' }]],
    ['a negation spelled out with absent facts', [{ path: 'live-2016/article-14.tiaoli', from: '(actor.priorViolations is absent or actor.priorViolations is 0)', to: 'not actor.priorViolations > 0' }]],
  ])('%s', async (_, edits) => {
    const { c } = await compared(...edits);
    expect(c.changes.map((x) => `${x.observable} ${x.change}`)).toEqual([]);
    expect(c.undecided).toEqual([]);
  });

  it('asks Z3 nothing where the formulas are the same, as for a renamed rule', async () => {
    const { c } = await compared({ path: 'av-2019/article-09.tiaoli', from: 'rule no-prohibited-content', to: 'rule prohibited-content-refused' });
    expect(c.questions).toBe(0);
    expect(c.identical).toBe(c.observables);
  });
});

describe('random revisions (every kind of condition, outcome and period)', () => {
  it('every change Z3 finds has a valid witness the engine decides differently; nothing is left undecided', async () => {
    const policy = validBundle.map((files) => buildBundle(files).policy!);
    await fc.assert(
      fc.asyncProperty(policy, policy, async (base, head) => {
        const c = await compare(z3(), base, head);
        expect(c.undecided).toEqual([]);
        for (const x of c.changes) {
          expect(validate(shippedVocabulary().vocabulary, x.witness).ok).toBe(true);
          expect(x.confirmed, `${x.observable} ${x.change}`).toBe(true);
          expect(JSON.stringify(valueOf(decideShipped(x.witness, base), x.observable))).not.toBe(JSON.stringify(valueOf(decideShipped(x.witness, head), x.observable)));
        }
        // Contradiction witnesses are confirmed inside; dead rules and covered ones need none.
        await analyze(z3(), head);
      }),
      { numRuns: Number(process.env['ANALYSIS_RUNS'] ?? 6) },
    );
  });
});
