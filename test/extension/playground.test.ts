// The worked extension in the playground's language service, run in Node as the page's worker runs
// it: the revision's files synced into a Workspace, as the page loads them from GET /v1/sources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolicyDir, readTestFiles } from '../../engine/load.js';
import { Workspace } from '../../playground/src/service.js';
import { ARTICLE, POLICIES, revision, RULE, tip } from './revision.js';

function workspace(dir: string): Workspace {
  const { tests, fixtures } = readTestFiles(dir);
  const w = new Workspace();
  w.sync([...readPolicyDir(dir), ...tests, ...fixtures]);
  return w;
}

const dir = revision();
const text = readFileSync(join(dir, ARTICLE), 'utf8');
/** What completion offers with `line` typed at the end of the example's article. */
const offered = (w: Workspace, line: string) => w.complete({ path: ARTICLE, text: `${text}${line}` }, text.length + line.length).items;
const RULE_HEAD = '\nrule r cites example-tips article 1 on tip.send when ';

describe('the playground, on the extended revision', () => {
  const w = workspace(dir);

  it('compiles the revision and passes its YAML cases, the example’s among them', async () => {
    const a = w.sync([]);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.regulations.map((r) => r.id)).toEqual(['av-2019', 'example-tips', 'live-2016', 'notice-2018']);
    const t = await w.tests(async () => undefined);
    if (t === null || t === 'outdated') throw new Error(`no test report: ${t}`);
    expect(t.results.filter((r) => !r.passed)).toEqual([]);
    expect(t.results.filter((r) => r.file === 'example-tips/article-01.test.yaml')).toHaveLength(8);
    expect(t.coverage.find((c) => c.rule === RULE)?.cases).toBeGreaterThan(0);
  });

  it('offers the new fields in a condition, with their Chinese names as documentation', () => {
    const entries = offered(w, `${RULE_HEAD}tip.`);
    expect(entries.find((e) => e.label === 'tip.amount')).toMatchObject({ kind: 'field', documentation: '打赏金额（元） · amount tipped (yuan)' });
    expect(entries.find((e) => e.label === 'tip.channels')).toMatchObject({ kind: 'field', documentation: '打赏方式 · ways of tipping used' });
    expect(offered(w, `${RULE_HEAD}actor.`).find((e) => e.label === 'actor.minor')).toMatchObject({ kind: 'field', documentation: '未成年人 · a minor' });
  });

  it('offers the new event type, the new set’s values and the two new codes where they fit', () => {
    expect(offered(w, '\nrule r cites example-tips article 1 on ').map((e) => e.label)).toContain('tip.send');
    expect(offered(w, `${RULE_HEAD}tip.channels has any of [`).map((e) => e.label)).toEqual(expect.arrayContaining(['virtual_gift', 'red_packet', 'paid_comment']));
    expect(offered(w, `${RULE_HEAD}actor.minor then take `).map((e) => e.label)).toContain('refund_tip');
    expect(offered(w, `${RULE_HEAD}actor.minor then oblige `).map((e) => e.label)).toContain('report_minor_tipping');
  });

  it('decides a tip.send event from the event panel', () => {
    const r = w.decide(tip());
    expect(r.ok && r.decision).toMatchObject({ allowed: false, disposal: ['refund_tip'], obligations: [{ code: 'report_minor_tipping', due: '2021-06-08' }] });
  });

  it('offers none of it on the shipped policies alone, and refuses the event there', () => {
    const shipped = workspace(POLICIES);
    const labels = offered(shipped, `${RULE_HEAD}tip.`).map((e) => e.label);
    expect(labels).not.toContain('tip.amount');
    expect(offered(shipped, `${RULE_HEAD}actor.`).map((e) => e.label)).not.toContain('actor.minor');
    expect(shipped.decide(tip())).toMatchObject({ ok: false, reason: 'invalid', errors: [{ path: '/type' }] });
  });
});
