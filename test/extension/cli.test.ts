// The worked extension through the real `tiaoli` command (bin/tiaoli.js over the built dist/), as a
// legal team runs it: check, decide on both backends, explain, the YAML policy tests, and Z3.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolicyDir } from '../../engine/index.js';
import { shippedPolicy } from '../helpers.js';
import { ARTICLE, BIN, FIXTURE, POLICIES, revision, RULE, tip } from './revision.js';

/** In `cwd` (the policy directory, for the files it prints to be named as the tests expect them). */
function tiaoli(args: string[], input?: string, cwd?: string) {
  // Bounded: a process that hangs (Z3's threads kept alive) fails the test instead of stalling the suite.
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}
const jsonl = (events: readonly object[]) => events.map((e) => JSON.stringify(e)).join('\n');
const dir = revision();

describe('the worked extension is policy files only', () => {
  it('holds the regulation, its vocabulary, its article and its YAML case, and nothing else', () => {
    const files = (function walk(d: string): string[] {
      return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [relative(FIXTURE, join(d, n))]));
    })(FIXTURE).sort();
    expect(files).toEqual(['example-tips/article-01.test.yaml', 'example-tips/article-01.tiaoli', 'example-tips/regulation.tiaoli', 'example-tips/vocabulary.tiaoli']);
  });
});

describe('tiaoli check', () => {
  it('checks the revision clean', () => {
    const r = tiaoli(['check', dir]);
    // The shipped policy files and the example's three.
    expect(r.stdout).toMatch(new RegExp(`^${readPolicyDir(POLICIES).length + 3} files checked: 0 error\\(s\\), 0 warning\\(s\\)$`, 'm'));
    expect(r.code).toBe(0);
  });

  it('refuses the article without its vocabulary: the event type and the new fields are unknown', () => {
    const bare = revision();
    rmSync(join(bare, 'example-tips/vocabulary.tiaoli'));
    const r = tiaoli(['check', bare, '--json'], undefined, bare);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.stdout).diagnostics.filter((d: { span: { file: string } }) => d.span.file === ARTICLE).map((d: { code: string; message: string }) => `${d.code} ${d.message}`);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/tip\.send/), expect.stringMatching(/actor\.minor/)]));
  });
});

describe('tiaoli decide', () => {
  const events = [
    tip(), // refused
    tip({ id: 'tip-200', tip: { amount: 200 } }),
    tip({ id: 'tip-adult', actor: { minor: false } }),
    tip({ id: 'tip-unknown-age', actor: { minor: undefined } }),
    tip({ id: 'tip-comment', tip: { channels: ['paid_comment'] } }),
    tip({ id: 'tip-2020', occurredAt: '2020-12-31T23:59:59+08:00' }),
  ];

  it('decides the new event type: a minor’s 500-yuan gift is refused, refunded and reported within seven days', () => {
    const r = tiaoli(['decide', '--policies', dir, '-'], jsonl(events));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const decisions = r.lines.map((l) => JSON.parse(l));
    expect(decisions[0]).toMatchObject({
      eventId: 'tip-1',
      allowed: false,
      disposal: ['refund_tip'],
      obligations: [{ code: 'report_minor_tipping', due: '2021-06-08' }],
      citations: [{ regulation: 'example-tips', article: 1 }],
      trace: [{ rule: RULE, file: ARTICLE, facts: { 'actor.minor': true, 'tip.amount': 500, 'tip.channels': ['virtual_gift'] } }],
    });
    // At the bound, for an adult or one of unknown age, for a paid comment, before the example is in force: allowed.
    for (const d of decisions.slice(1)) expect(d).toMatchObject({ allowed: true, disposal: [], obligations: [], trace: [] });
  });

  it('gives byte-identical decisions on both backends', () => {
    const compiled = tiaoli(['decide', '--policies', dir, '--backend', 'compiled', '-'], jsonl(events));
    const jre = tiaoli(['decide', '--policies', dir, '--backend', 'jre', '-'], jsonl(events));
    expect(jre.code).toBe(0);
    expect(compiled.lines).toHaveLength(events.length);
    expect(jre.stdout).toBe(compiled.stdout);
  });

  it('refuses an amount over the declared bound at its JSON path, on both backends', () => {
    for (const backend of ['compiled', 'jre']) {
      const r = tiaoli(['decide', '--policies', dir, '--backend', backend, '-'], jsonl([tip({ id: 'tip-big', tip: { amount: 100_001 } })]));
      expect(r.code).toBe(1);
      expect(JSON.parse(r.lines[0]!)).toEqual({ eventId: 'tip-big', error: { code: 'invalid_event', message: 'the event does not match the Event schema', errors: [{ path: '/tip/amount', message: 'must be <= 100000' }] } });
    }
  });

  it('the shipped policies alone refuse the new event type as invalid', () => {
    const r = tiaoli(['decide', '--policies', POLICIES, '-'], jsonl([tip()]));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.lines[0]!).error.errors).toEqual([{ path: '/type', message: expect.stringContaining('must be one of') }]);
  });
});

describe('tiaoli explain', () => {
  it('explains the refusal with the example article’s text and the facts it read', () => {
    const r = tiaoli(['explain', '--policies', dir, '--lang', 'en', '-'], jsonl([tip()]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Event tip-1 (tip.send, 2021-06-01 in Beijing): DENIED');
    expect(r.stdout).toContain(`example-tips art. 1 — ${RULE}`);
    expect(r.stdout).toContain('“Live broadcast service providers shall not let a minor send a single tip of more than 200 yuan');
  });

  // The names come from the vocabulary extension only. Explain still names fields and codes from
  // language/glossary.ts (FIELD_TERMS, VALUE_TERMS), which knows none of them, so this fails until
  // explain reads the bundle's vocabulary (the glossary switch, in progress elsewhere). The lines are
  // read apart from the quoted article, whose text holds some of the same words.
  it.each([
    ['en', { because: ['a minor', 'amount tipped (yuan)', 'ways of tipping used', 'virtual gift'], measures: ['refund the tip'], obligations: ["report the minor's tipping"] }],
    ['zh', { because: ['未成年人', '打赏金额（元）', '打赏方式', '虚拟礼物'], measures: ['退还打赏款项'], obligations: ['报告未成年人打赏'] }],
  ])('names the new fields, values and codes by the vocabulary’s %s names', (lang, names) => {
    const r = tiaoli(['explain', '--policies', dir, '--lang', lang, '-'], jsonl([tip()]));
    expect(r.code).toBe(0);
    const line = (...starts: string[]) => r.lines.find((l) => starts.some((s) => l.trim().startsWith(s))) ?? '';
    const lines = { because: line('because:', '因为：'), measures: line('Measures to take:', '处置措施:'), obligations: line('Obligations:', '须履行的义务:') };
    for (const [part, expected] of Object.entries(names)) {
      expect(lines[part as keyof typeof lines], part).not.toBe('');
      for (const name of expected) expect(lines[part as keyof typeof lines], part).toContain(name);
    }
  });
});

describe('tiaoli test', () => {
  it('passes the example’s YAML cases', () => {
    const r = tiaoli(['test', '--policies', dir, '--verbose', join(dir, 'example-tips')], undefined, dir);
    expect(r.stdout).toMatch(/^8 cases in 1 files: 8 passed, 0 failed$/m);
    expect(r.stdout).toContain('✓ example-tips/article-01.test.yaml:12  a minor’s virtual gift of 500 yuan'.replace('’', "'"));
    expect(r.code).toBe(0);
  });

  it('fails a case whose expectation is wrong, naming the field that differs', () => {
    const wrong = revision({ path: 'example-tips/article-01.test.yaml', from: 'disposal: [refund_tip]\n', to: 'disposal: [warn]\n' });
    const r = tiaoli(['test', '--policies', wrong, join(wrong, 'example-tips')], undefined, wrong);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ example-tips\/article-01\.test\.yaml:12 /m);
    expect(r.stdout).toMatch(/disposal: expected \["warn"\], got \["refund_tip"\]/);
    expect(r.stdout).toMatch(/^8 cases in 1 files: 7 passed, 1 failed$/m);
  });
});

describe('tiaoli analyze (Z3)', () => {
  const analyze = (d: string) => {
    const r = tiaoli(['analyze', d, '--json'], undefined, d);
    expect(r.stderr).toBe('');
    return { code: r.code, report: JSON.parse(r.stdout) as { rules: number; diagnostics: { code: string; severity: string; message: string; span: { file: string } }[] } };
  };

  it('analyses the new rule with the shipped ones and finds it can fire', () => {
    const { code, report } = analyze(dir);
    expect(code).toBe(0);
    expect(report.rules).toBe(shippedPolicy().checked.articles.flatMap((a) => a.rules).length + 1);
    expect(report.diagnostics.filter((d) => d.span.file === ARTICLE)).toEqual([]);
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('against the shipped policies, proves that no decision of an event both vocabularies declare changes', () => {
    // The only new rule is on tip.send, which the shipped vocabulary refuses as invalid: no change of decision.
    const r = tiaoli(['analyze', '--base', POLICIES, '--head', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ proved: true, changes: [], undecided: [] });
    expect(r.code).toBe(0);
  });

  it('reads the new bound from the vocabulary: a tip over 100,000 can never be asked about', () => {
    const { code, report } = analyze(revision({ path: ARTICLE, from: 'tip.amount > 200', to: 'tip.amount > 100000' }));
    expect(code).toBe(1);
    expect(report.diagnostics.filter((d) => d.span.file === ARTICLE).map((d) => [d.code, d.message])).toEqual([
      ['TL100', expect.stringMatching(/^rule minor-may-not-tip-over-200 can never fire: .*tip\.amount is at most 100000/)],
    ]);
  });
});
