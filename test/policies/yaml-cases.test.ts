// The policy tests shipped beside the policies (*.test.yaml), each case a vitest test, so `npm test`
// runs them; a case that fails shows its file:line and the fields that differ.
import { describe, expect, it } from 'vitest';
import { readTestFiles } from '../../engine/cli/test.js';
import { SHIPPED_POLICIES } from '../../engine/index.js';
import { runPolicyTests } from '../../engine/policy-tests.js';
import { shippedPolicy } from '../helpers.js';

const { tests, fixtures } = readTestFiles(SHIPPED_POLICIES);
const run = runPolicyTests(shippedPolicy(), tests, fixtures);

describe('shipped policy tests', () => {
  it('are all readable', () => {
    expect(run.problems).toEqual([]);
  });

  it.each(run.results.map((r) => [`${r.file}:${r.line} ${r.name}`, r] as const))('%s', (_, r) => {
    expect(r.differences, `${r.file}:${r.line}`).toEqual([]);
  });
});
