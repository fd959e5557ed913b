// `tiaoli articles [--json] [--policies DIR]`: one row per article of every regulation in the bundle.
import { articleOfTestFile, articleTable, type ArticleRow } from '../articles.js';
import type { CompiledPolicy } from '../compile.js';
import { readTestFiles } from '../load.js';
import { runPolicyTests } from '../policy-tests.js';

/** The article table with the number of policy test cases each article has. */
export function articlesWithTests(policy: CompiledPolicy, policyDir: string): ArticleRow[] {
  const { tests, fixtures } = readTestFiles(policyDir);
  const counts = new Map<string, number>();
  for (const r of runPolicyTests(policy, tests, fixtures).results) {
    const key = articleOfTestFile(r.file);
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return articleTable(policy.checked, counts);
}

export function renderArticles(rows: readonly ArticleRow[]): string {
  const lines = rows.map((r) => {
    const status = r.status === 'non-operative' ? `non-operative: ${r.reason}` : r.status;
    return `${r.regulation.padEnd(12)} ${String(r.article).padStart(2)}  ${r.firstWords.padEnd(26, '　')}  rules ${String(r.rules).padStart(2)}  tests ${String(r.tests ?? 0).padStart(3)}  ${status}`;
  });
  const missing = rows.filter((r) => r.status === 'missing').length;
  return `${lines.join('\n')}\n${rows.length} articles: ${rows.filter((r) => r.status === 'encoded').length} encoded, ${rows.filter((r) => r.status === 'non-operative').length} non-operative, ${missing} unaccounted for\n`;
}
