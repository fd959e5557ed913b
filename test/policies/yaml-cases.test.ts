// The policy tests shipped beside the policies (*.test.yaml), each case a vitest test, so `npm test`
// runs them; a case that fails shows its file:line and the fields that differ.
import { describe, expect, it } from 'vitest';
import { readTestFiles, SHIPPED_POLICIES } from '../../engine/load.js';
import { ruleCoverage, runPolicyTests } from '../../engine/policy-tests.js';
import { shippedPolicy } from '../helpers.js';

const { tests, fixtures } = readTestFiles(SHIPPED_POLICIES);
const run = runPolicyTests(shippedPolicy(), tests, fixtures);

describe('shipped policy tests', () => {
  it('are all readable', () => {
    expect(run.problems).toEqual([]);
  });

  it('make every rule of the shipped policies fire in some case', () => {
    const missed = ruleCoverage(shippedPolicy(), run.results).filter((c) => c.cases === 0);
    expect(missed.map((m) => `${m.file}:${m.line} ${m.rule}`)).toEqual([]);
  });

  it.each(run.results.map((r) => [`${r.file}:${r.line} ${r.name}`, r] as const))('%s', (_, r) => {
    expect(r.differences, `${r.file}:${r.line}`).toEqual([]);
  });
});
