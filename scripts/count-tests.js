// `npm run test:count`: the suite by kind, for the README's Tests section. Lists the vitest tests
// (collected, not run) and sorts them: YAML policy cases (each a vitest test of
// test/policies/yaml-cases.test.ts), browser tests (Chromium), and the rest (unit and integration:
// the real CLI, servers, databases, processes); properties are the fast-check assertions in the
// test sources, each run hundreds of times inside one of those tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tiaoli-count-'));
try {
  const out = join(dir, 'list.json');
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vitest'), ['list', `--json=${out}`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`vitest list exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const tests = JSON.parse(readFileSync(out, 'utf8')).map((t) => ({ ...t, file: relative(ROOT, t.file) }));
  const kind = (t) =>
    t.file === 'test/policies/yaml-cases.test.ts' && /\.test\.yaml:\d+ /.test(t.name) ? 'yaml' : /(^|\/)browser(\/|\.test\.ts$)/.test(t.file) ? 'browser' : 'other';
  const count = (k) => tests.filter((t) => kind(t) === k).length;
  const sources = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const properties = sources.reduce((n, f) => n + (readFileSync(join(ROOT, 'test', f), 'utf8').match(/\bfc\.assert\(/g) ?? []).length, 0);
  const counts = { total: tests.length, yamlCases: count('yaml'), browser: count('browser'), unitAndIntegration: count('other'), properties, files: new Set(tests.map((t) => t.file)).size };
  console.log(
    `${counts.total} vitest tests in ${counts.files} files: ${counts.yamlCases} YAML policy cases, ${counts.browser} browser tests, ${counts.unitAndIntegration} unit and integration tests, with ${counts.properties} fast-check properties among them`,
  );
  console.log(JSON.stringify(counts));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
