// The policy test runner itself: fixtures, tables, comparisons, and problems reported at their line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { citationText, parseCitationText } from '../../engine/citation-text.js';
import { ruleCoverage, runPolicyTests, testDiagnostics } from '../../engine/policy-tests.js';
import { ninetyDayRevision, shippedPolicy } from '../helpers.js';

const fixtures = {
  path: 'fixtures.yaml',
  text: `fixtures:
  live: { occurredAt: "2017-06-01T12:00:00+08:00", provider: { id: p, services: [live_broadcast], businesses: [] } }
  user: { actor: { id: u, role: user, verified: [phone_number], agreementSigned: true } }
`,
};
const run = (text: string) => runPolicyTests(shippedPolicy(), [{ path: 'live-2016/x.test.yaml', text }], [fixtures]);

describe('policy tests', () => {
  it('read back a citation from the text a case writes it as, and nothing from other text', () => {
    const citation = fc.record({ regulation: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), article: fc.integer({ min: 1, max: 999 }), paragraph: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }) });
    fc.assert(
      fc.property(citation, (c) => {
        expect(parseCitationText(citationText(c))).toEqual(c.paragraph === undefined ? { regulation: c.regulation, article: c.article } : c);
      }),
    );
    for (const text of ['live-2016', 'live-2016 12.', 'live-2016  12', 'live-2016 第12条']) expect(parseCitationText(text)).toBeUndefined();
  });

  it('builds events from fixtures, overrides and table rows, and compares the named fields only', () => {
    const r = run(`cases:
  - name: registration
    event: { use: [live, user], type: account.register }
    each:
      - { expect: { allowed: true } }
      - { actor.verified: [], expect: { allowed: false, verification: [phone_number], citations: [live-2016 12.1], fired: [users-verified-by-phone] } }
      - { actor.verified: [], expect: { allowed: true } }
`);
    expect(r.problems).toEqual([]);
    expect(r.results.map((x) => [x.line, x.passed])).toEqual([
      [5, true],
      [6, true],
      [7, false],
    ]);
    expect(r.results[2]!.differences).toEqual(['allowed: expected true, got false']);
    expect(r.results[2]!.name).toBe('registration [actor.verified=[]]');
  });

  it('says field by field what a failing case expected and what was decided, with the entries each side lacks', () => {
    const r = run(`cases:
  - name: wrong on every count
    event: { use: [live, user], type: interaction.post, content: { id: c, form: comment, category: general, streamCategory: general }, unset: [actor.agreementSigned] }
    expect: { allowed: true, verification: [identity_document], retention: [{ record: content_and_logs, until: "2017-07-30" }], citations: [live-2016 12.1], fired: [service-agreement, users-verified-by-phone] }
`);
    const m = r.results[0]!.mismatches;
    expect(m.map((x) => x.field)).toEqual(['allowed', 'verification', 'retention', 'citations', 'fired']);
    expect(m[0]).toEqual({ field: 'allowed', expected: true, actual: false });
    expect(m[1]).toEqual({ field: 'verification', expected: ['identity_document'], actual: [], missing: ['identity_document'], extra: [] });
    expect(m[2]!.missing).toEqual([{ record: 'content_and_logs', until: '2017-07-30' }]);
    expect(m[2]!.extra).toEqual([{ record: 'content_and_logs', period: 'P60D', until: '2017-07-31' }]);
    expect(m[3]!.missing).toEqual(['live-2016 12.1']);
    expect(m[4]!.missing).toEqual(['users-verified-by-phone']);
    expect(m[4]!.extra).toEqual(['live-2016/16/content-and-logs-kept-sixty-days']);
    // The text lines are the same mismatches.
    expect(r.results[0]!.differences[1]).toBe('verification: expected ["identity_document"], got []');
  });

  it('removes fields named in unset, and matches retention and obligations by the fields given', () => {
    const r = run(`cases:
  - name: retention
    event: { use: [live, user], type: interaction.post, content: { id: c, form: comment, category: general, streamCategory: general }, unset: [actor.agreementSigned] }
    expect: { allowed: false, retention: [{ record: content_and_logs, until: "2017-07-31" }], fired: [service-agreement, content-and-logs-kept-sixty-days] }
`);
    expect(r.results[0]!.differences).toEqual([]);
  });

  it('reads a field given as null as one that must be absent', () => {
    const r = run(`cases:
  - name: filing
    event: { use: [live], type: access.request, requester: { kind: network_access }, occurredAt: "2019-03-01T12:00:00+08:00", provider: { licenses: [icp_filing], publicSecurityFiledAt: null } }
    each:
      - { expect: { obligations: [{ code: public_security_filing, due: null }] } }
      - { provider.launchedAt: "2018-09-01", expect: { obligations: [{ code: public_security_filing, due: null }] } }
`);
    expect(r.problems).toEqual([]);
    expect(r.results.map((x) => x.passed)).toEqual([true, false]);
  });

  it('compares which of two retentions of one kind binds, when a case names it; a case that does not still passes', () => {
    const r = runPolicyTests(ninetyDayRevision(), [{ path: 'live-2016/x.test.yaml', text: `cases:
  - name: sixty and ninety days
    event: { use: [live, user], type: interaction.post, occurredAt: "2019-03-01T10:00:00+08:00", content: { id: c, form: comment, category: general } }
    each:
      - { expect: { retention: [{ record: content_and_logs, period: P90D, binding: true }, { record: content_and_logs, period: P60D, binding: false }, { record: network_logs, binding: null }] } }
      - { expect: { retention: [{ record: content_and_logs, until: "2019-05-30" }, { record: content_and_logs, until: "2019-04-30" }, { record: network_logs }] } }
      - { expect: { retention: [{ record: content_and_logs, period: P60D, binding: true }, { record: content_and_logs, period: P90D }, { record: network_logs }] } }
` }], [fixtures]);
    expect(r.problems).toEqual([]);
    expect(r.results.map((x) => x.passed)).toEqual([true, true, false]);
  });

  it('leaves the fixtures whole when a case removes a field', () => {
    const r = run(`cases:
  - name: without a phone
    event: { use: [live, user], type: account.register, unset: [actor.verified] }
    expect: { allowed: false }
  - name: the fixture still has it
    event: { use: [live, user], type: account.register }
    expect: { allowed: true }
`);
    expect(r.results.map((x) => x.passed)).toEqual([true, true]);
  });

  it('reports unreadable files, unknown fixtures and invalid events at their line', () => {
    expect(run('cases: [').problems[0]).toMatchObject({ file: 'live-2016/x.test.yaml', line: 1 });
    expect(run('cases:\n  - name: x\n    expct: {}\n').problems).toEqual([{ file: 'live-2016/x.test.yaml', line: 3, message: '/cases/0/expct: is not allowed here' }]);
    expect(run('cases:\n  - name: x\n    event: { use: nobody }\n').problems[0]).toMatchObject({ line: 2, kind: 'testUnknownFixture', message: 'the policy test uses no fixture named nobody: the fixtures: live, user' });
    expect(run('cases:\n  - name: x\n    event: { use: live, type: account.register }\n').problems[0]!.message).toContain('/actor is required');
  });

  it('refuses a field the vocabulary does not declare, wherever the case sets or unsets it, with "did you mean"', () => {
    const unknown = (text: string) => run(text).problems.map((p) => [p.line, p.kind, p.args?.['path'], p.args?.['replacements']]);
    // Each of these would have passed without testing what it says: an event takes fields it does not know.
    expect(unknown('cases:\n  - name: x\n    event: { use: [live, user], type: account.register, actor: { verifed: [] } }\n    expect: { allowed: true }\n')).toEqual([[2, 'testUnknownField', 'actor.verifed', ['actor.verified']]]);
    expect(unknown('cases:\n  - name: x\n    event: { use: [live, user], type: account.register }\n    each:\n      - { actor.verifed: [], expect: { allowed: true } }\n')).toEqual([[5, 'testUnknownField', 'actor.verifed', ['actor.verified']]]);
    expect(unknown('cases:\n  - name: x\n    event: { use: [live, user], type: account.register, unset: [actor.verifed] }\n    expect: { allowed: true }\n')).toEqual([[2, 'testUnknownField', 'actor.verifed', ['actor.verified']]]);
    expect(unknown('cases:\n  - name: x\n    event: { use: [live, user], type: account.register, actr: { verified: [] } }\n    expect: { allowed: true }\n')).toEqual([[2, 'testUnknownField', 'actr', ['actor']]]);
    expect(run('cases:\n  - name: x\n    event: { use: [live, usr], type: account.register }\n').problems[0]).toMatchObject({ kind: 'testUnknownFixture', args: { name: 'usr', replacements: ['user'] } });
    const [d] = testDiagnostics(run('cases:\n  - name: x\n    event: { use: [live, user], type: account.register, actor: { verifed: [] } }\n'), [{ path: 'live-2016/x.test.yaml', text: 'cases:\n  - name: x\n' }]);
    expect([d!.code, d!.span.start.line, d!.help, d!.replacements]).toEqual(['TL110', 2, 'did you mean `actor.verified`?', ['actor.verified']]);
  });

  it('removes the paths a row of `each` unsets, for that row only', () => {
    const r = run(`cases:
  - name: registration
    event: { use: [live, user], type: account.register }
    each:
      - { unset: [actor.verified], expect: { allowed: false } }
      - { expect: { allowed: true } }
      - { unset: actor.verified, expect: { allowed: true } }
`);
    expect(r.problems).toEqual([]);
    expect(r.results.map((x) => [x.line, x.passed])).toEqual([
      [5, true],
      [6, true],
      [7, false],
    ]);
    expect(r.results[0]!.name).toBe('registration [unset=["actor.verified"]]');
    expect(run('cases:\n  - name: x\n    event: { use: [live, user], type: account.register }\n    each:\n      - { unset: [1] }\n').problems[0]!.message).toMatch(/^unset: expected a list of field paths/);
  });

  it('counts, for each rule, the cases that made it fire', () => {
    const r = run(`cases:
  - name: two users without phones
    event: { use: [live, user], type: account.register, actor: { verified: [] } }
    each: [{}, {}]
`);
    const coverage = ruleCoverage(shippedPolicy(), r.results);
    expect(coverage.find((c) => c.rule === 'live-2016/12/users-verified-by-phone')).toMatchObject({ cases: 2, file: 'live-2016/article-12.tiaoli' });
    expect(coverage.find((c) => c.rule === 'live-2016/14/persistent-violation-closes-account')!.cases).toBe(0);
  });
});
