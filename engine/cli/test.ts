// `tiaoli test [--coverage] [--verbose] [--format text|json|junit] [--policies DIR] [PATH]`: runs
// the YAML policy tests. Files are named relative to the current directory, so that a file printed
// can be passed back as PATH; JSON and JUnit XML are for scripts and CI systems.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyDir, testsWithin } from '../load.js';
import { ruleCoverage, runPolicyTests, type CaseResult, type RuleCoverage, type TestProblem } from '../policy-tests.js';
import { shown } from './paths.js';

export interface TestOptions {
  readonly coverage?: boolean;
  readonly verbose?: boolean;
  readonly format?: 'text' | 'json' | 'junit';
}

interface Report {
  readonly files: number;
  readonly results: readonly CaseResult[];
  readonly problems: readonly TestProblem[];
  /** With --coverage: every rule and how many cases made it fire. */
  readonly coverage?: readonly RuleCoverage[];
}

export function testCommand(policyDir: string, path: string | undefined, opts: TestOptions, out: (s: string) => void): number {
  // One walk reads the policies and their tests.
  const loaded = loadPolicyDir(policyDir);
  if (!loaded.policy) {
    process.stderr.write(`tiaoli test: the policies in ${shown(policyDir)} do not compile; tiaoli check ${shown(policyDir)} lists why\n`);
    return 2;
  }
  if (path !== undefined && !existsSync(path)) {
    process.stderr.write(`tiaoli test: ${shown(path)}: no such file or directory; name a test file or directory of the policy tree\n`);
    return 2;
  }
  const { tests, fixtures } = testsWithin(loaded.tests, policyDir, path);
  const run = runPolicyTests(loaded.policy, tests, fixtures);
  // The run names files within the policy tree; the user is given them from here.
  const here = <T extends { file: string }>(x: T): T => ({ ...x, file: shown(join(policyDir, x.file)) });
  const report: Report = {
    files: tests.length,
    results: run.results.map(here),
    problems: run.problems.map(here),
    coverage: opts.coverage ? ruleCoverage(loaded.policy, run.results).map(here) : undefined,
  };
  const failed = report.results.filter((r) => !r.passed).length;
  const uncovered = report.coverage?.filter((c) => c.cases === 0).length ?? 0;
  if (opts.format === 'json') out(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
  else if (opts.format === 'junit') out(junitReport(report));
  else textReport(report, opts.verbose ?? false, out);
  return failed > 0 || report.problems.length > 0 || uncovered > 0 ? 1 : 0;
}

function jsonReport(r: Report) {
  const failed = r.results.filter((c) => !c.passed).length;
  return {
    summary: { files: r.files, cases: r.results.length, passed: r.results.length - failed, failed, problems: r.problems.length, ...(r.coverage && { uncoveredRules: r.coverage.filter((c) => c.cases === 0).length }) },
    cases: r.results,
    problems: r.problems,
    ...(r.coverage && { coverage: r.coverage }),
  };
}

function textReport(r: Report, verbose: boolean, out: (s: string) => void): void {
  for (const p of r.problems) out(`${p.file}:${p.line}: error: ${p.message}\n`);
  for (const c of r.results) {
    if (c.passed && !verbose) continue;
    out(`${c.passed ? '✓' : '✗'} ${c.file}:${c.line}  ${c.name}\n`);
    for (const d of c.differences) out(`    ${d}\n`);
  }
  const failed = r.results.filter((c) => !c.passed).length;
  out(`${r.results.length} cases in ${r.files} files: ${r.results.length - failed} passed, ${failed} failed${r.problems.length ? `, ${r.problems.length} problem(s) in test files` : ''}\n`);
  if (!r.coverage) return;
  const missed = r.coverage.filter((c) => c.cases === 0);
  out(missed.length ? '\nRules no case made fire:\n' : '\nEvery rule fired in some case.\n');
  for (const m of missed) out(`  ${m.file}:${m.line}  ${m.rule}\n`);
  out('\nPer article (rules fired / rules, cases that fired any of them):\n');
  const byArticle = new Map<string, RuleCoverage[]>();
  for (const c of r.coverage) byArticle.set(`${c.regulation}/${c.article}/`, [...(byArticle.get(`${c.regulation}/${c.article}/`) ?? []), c]);
  for (const [prefix, rules] of byArticle) {
    const cases = r.results.filter((c) => c.fired.some((id) => id.startsWith(prefix))).length;
    out(`  ${`${rules[0]!.regulation} art. ${rules[0]!.article}`.padEnd(22)} ${rules.filter((x) => x.cases > 0).length}/${rules.length} rules, ${cases} cases\n`);
  }
}

const xml = (s: string | number) =>
  String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 has no way to write most control characters: they are dropped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * JUnit XML as CI systems read it: a suite per test file, a case per case (a row of `each` is a
 * case), a failure carrying its differences; a test file that cannot be run is an error in its suite,
 * and with --coverage each rule no case made fire is a failure in a suite of its own.
 */
function junitReport(r: Report): string {
  type Entry = { name: string; line: number; failure?: string; error?: string };
  const suites = new Map<string, Entry[]>();
  const add = (file: string, e: Entry) => suites.set(file, [...(suites.get(file) ?? []), e]);
  for (const c of r.results) add(c.file, { name: c.name, line: c.line, ...(c.passed ? {} : { failure: c.differences.join('\n') }) });
  for (const p of r.problems) add(p.file, { name: `${p.file}:${p.line}`, line: p.line, error: p.message });
  for (const c of r.coverage?.filter((x) => x.cases === 0) ?? []) add('coverage', { name: c.rule, line: c.line, failure: `${c.file}:${c.line}: no case makes rule ${c.rule} fire` });
  const count = (es: readonly Entry[], k: 'failure' | 'error') => es.filter((e) => e[k] !== undefined).length;
  const all = [...suites.values()].flat();
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="tiaoli test" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}">`];
  for (const [file, entries] of suites) {
    lines.push(`  <testsuite name="${xml(file)}" tests="${entries.length}" failures="${count(entries, 'failure')}" errors="${count(entries, 'error')}">`);
    for (const e of entries) {
      const open = `    <testcase name="${xml(e.name)}" classname="${xml(file)}" file="${xml(file)}" line="${e.line}"`;
      if (e.failure !== undefined) lines.push(`${open}>`, `      <failure message="${xml(e.failure.split('\n')[0]!)}">${xml(e.failure)}</failure>`, '    </testcase>');
      else if (e.error !== undefined) lines.push(`${open}>`, `      <error message="${xml(e.error)}">${xml(e.error)}</error>`, '    </testcase>');
      else lines.push(`${open}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
