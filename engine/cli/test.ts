// `tiaoli test [--coverage] [--verbose] [--policies DIR] [PATH]`: runs the YAML policy tests.
import { loadPolicyDir, testsWithin } from '../load.js';
import { ruleCoverage, runPolicyTests } from '../policy-tests.js';

export function testCommand(policyDir: string, path: string | undefined, opts: { coverage: boolean; verbose: boolean }, out: (s: string) => void): number {
  // One walk reads the policies and their tests.
  const loaded = loadPolicyDir(policyDir);
  if (!loaded.policy) {
    out(`the policies in ${policyDir} do not compile; run tiaoli check\n`);
    return 2;
  }
  const { tests, fixtures } = testsWithin(loaded.tests, policyDir, path);
  const { results, problems } = runPolicyTests(loaded.policy, tests, fixtures);
  for (const p of problems) out(`${p.file}:${p.line}: error: ${p.message}\n`);
  for (const r of results) {
    if (r.passed && !opts.verbose) continue;
    out(`${r.passed ? '✓' : '✗'} ${r.file}:${r.line}  ${r.name}\n`);
    for (const d of r.differences) out(`    ${d}\n`);
  }
  const failed = results.filter((r) => !r.passed).length;
  out(`${results.length} cases in ${tests.length} files: ${results.length - failed} passed, ${failed} failed${problems.length ? `, ${problems.length} problem(s) in test files` : ''}\n`);
  let uncovered = 0;
  if (opts.coverage) {
    const coverage = ruleCoverage(loaded.policy, results);
    const missed = coverage.filter((c) => c.cases === 0);
    uncovered = missed.length;
    out(missed.length ? '\nRules no case made fire:\n' : '\nEvery rule fired in some case.\n');
    for (const m of missed) out(`  ${m.file}:${m.line}  ${m.rule}\n`);
    out('\nPer article (rules fired / rules, cases that fired any of them):\n');
    const byArticle = new Map<string, typeof coverage>();
    for (const c of coverage) byArticle.set(`${c.regulation}/${c.article}/`, [...(byArticle.get(`${c.regulation}/${c.article}/`) ?? []), c]);
    for (const [prefix, rules] of byArticle) {
      const cases = results.filter((r) => r.fired.some((id) => id.startsWith(prefix))).length;
      out(`  ${`${rules[0]!.regulation} art. ${rules[0]!.article}`.padEnd(22)} ${rules.filter((r) => r.cases > 0).length}/${rules.length} rules, ${cases} cases\n`);
    }
  }
  return failed > 0 || problems.length > 0 || uncovered > 0 ? 1 : 0;
}
