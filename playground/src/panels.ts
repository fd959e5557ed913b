// The lists around the editor: the file tree, the problems of every file, and the policy tests with
// the rules no test case makes fire, with the status above them. Each entry opens its file at its
// line. No editor types: the first view (first-view.ts) draws them before Monaco is loaded.
import type { Diagnostic } from '../../language/diagnostics.js';
import type { Analysis, RegulationInfo, TestReport } from './protocol.js';
import { isPolicyFile, isTestFile } from '../../engine/files.js';
import type { Glossary, Lang } from '../../language/glossary.js';
import { mismatchTable } from './mismatch.js';
import { byId, fill, h } from './view.js';

type Open = (path: string, line?: number, column?: number) => void;

interface TreeState {
  readonly paths: readonly string[];
  readonly active: string;
  readonly modified: ReadonlySet<string>;
  readonly analysis?: Analysis;
}

/** Top-level files first; in a folder the regulation, then each article's policy file and its tests. */
function order(a: string, b: string): number {
  const key = (p: string) => [p.includes('/') ? 1 : 0, p.replace(/\/regulation\.tiaoli$/, '/').replace(/\.(test\.yaml|tiaoli)$/, ''), isPolicyFile(p) ? 0 : 1] as const;
  const [ka, kb] = [key(a), key(b)];
  return ka[0] - kb[0] || (ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : ka[2] - kb[2]);
}

export function renderFiles(nav: HTMLElement, s: TreeState, open: Open): void {
  const errors = new Map<string, number>();
  for (const d of s.analysis?.diagnostics ?? []) if (d.severity === 'error') errors.set(d.span.file, (errors.get(d.span.file) ?? 0) + 1);
  const failing = new Map<string, number>();
  for (const r of s.analysis?.tests?.results ?? []) if (!r.passed) failing.set(r.file, (failing.get(r.file) ?? 0) + 1);
  for (const p of s.analysis?.tests?.problems ?? []) failing.set(p.file, (failing.get(p.file) ?? 0) + 1);

  const item = (path: string) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const bad = (errors.get(path) ?? 0) + (failing.get(path) ?? 0);
    return h(
      'button',
      { type: 'button', class: `file${path === s.active ? ' active' : ''}${isTestFile(path) ? ' test' : ''}`, 'data-path': path, title: path, onclick: () => open(path) },
      h('span', { class: 'name' }, name),
      s.modified.has(path) ? h('span', { class: 'modified', title: 'edited 已修改' }, '●') : null,
      bad ? h('span', { class: 'badge error' }, bad) : null,
    );
  };
  const folders = new Map<string, string[]>();
  for (const p of [...s.paths].sort(order)) {
    const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    folders.set(dir, [...(folders.get(dir) ?? []), p]);
  }
  const title = (dir: string): RegulationInfo | undefined => s.analysis?.regulations.find((r) => r.id === dir);
  nav.replaceChildren(
    ...[...folders].map(([dir, paths]) =>
      dir === ''
        ? h('div', { class: 'folder root' }, ...paths.map(item))
        : h('details', { class: 'folder', open: true }, h('summary', {}, dir, title(dir)?.titleZh ? h('small', {}, title(dir)!.titleZh) : null), ...paths.map(item)),
    ),
  );
}

const where = (file: string, line: number, column?: number) => `${file}:${line}${column ? `:${column}` : ''}`;

/** Each diagnostic with its message and help in `lang`, the help in the other language under it. */
export function renderProblems(el: HTMLElement, diagnostics: readonly Diagnostic[], tests: TestReport | undefined, open: Open, lang: Lang): number {
  const rows = [
    ...diagnostics.map((d) =>
      h(
        'button',
        { type: 'button', class: `row ${d.severity}`, 'data-code': d.code, onclick: () => open(d.span.file, d.span.start.line, d.span.start.column) },
        h('span', { class: 'where' }, where(d.span.file, d.span.start.line, d.span.start.column)),
        h('span', { class: 'sev' }, `${d.severity} ${d.code}`),
        h('span', { class: 'message' }, lang === 'zh' ? d.messageZh : d.message),
        lang === 'zh' ? h('span', { class: 'help' }, d.helpZh, h('span', { class: 'other' }, d.help)) : h('span', { class: 'help' }, d.help, h('span', { class: 'other' }, d.helpZh)),
      ),
    ),
    ...(tests?.problems ?? []).map((p) =>
      h(
        'button',
        { type: 'button', class: 'row error', onclick: () => open(p.file, p.line) },
        h('span', { class: 'where' }, where(p.file, p.line)),
        h('span', { class: 'sev' }, 'test file'),
        h('span', { class: 'message' }, p.message),
      ),
    ),
  ];
  el.replaceChildren(...(rows.length ? rows : [h('p', { class: 'muted' }, 'No problems. 没有问题。')]));
  return rows.length;
}

/** How the page names things: a failing case's fields and codes are shown by their plain names. */
interface Names {
  readonly glossary: Glossary;
  readonly lang: Lang;
}

export function renderTests(el: HTMLElement, tests: TestReport | undefined, open: Open, names: Names): void {
  if (!tests) {
    el.replaceChildren(h('p', { class: 'muted' }, 'The policy tests run once the policies compile. 策略编译通过后运行测试。'));
    return;
  }
  const failed = tests.results.filter((r) => !r.passed);
  const uncovered = tests.coverage.filter((c) => c.cases === 0);
  const result = (r: TestReport['results'][number]) =>
    h(
      'button',
      { type: 'button', class: `row ${r.passed ? 'pass' : 'fail'}`, onclick: () => open(r.file, r.line) },
      h('span', { class: 'mark' }, r.passed ? '✓' : '✗'),
      h('span', { class: 'where' }, where(r.file, r.line)),
      h('span', { class: 'message' }, r.name),
    );
  const failure = (r: TestReport['results'][number]) => h('div', { class: 'case fail' }, result(r), mismatchTable(r.mismatches, names.glossary, names.lang));
  fill(
    el,
    h('p', { class: 'summary' }, `${tests.results.length} cases: ${tests.results.length - failed.length} passed, ${failed.length} failed · ${tests.coverage.length - uncovered.length}/${tests.coverage.length} rules fire in some case`),
    ...failed.map(failure),
    uncovered.length ? h('h4', {}, `Rules no test case makes fire 未被测试覆盖的规则 (${uncovered.length})`) : null,
    ...uncovered.map((c) =>
      h('button', { type: 'button', class: 'row uncovered', onclick: () => open(c.file, c.line) }, h('span', { class: 'mark' }, '○'), h('span', { class: 'where' }, where(c.file, c.line)), h('span', { class: 'message' }, c.rule)),
    ),
    h('h4', {}, 'Passed 通过'),
    ...tests.results.filter((r) => r.passed).map(result),
  );
}

/** The analysis beside the editor: the status, a banner while the policies do not compile, the problems and the tests, with their counts. */
export function renderSummary(a: Analysis, open: Open, lang: Lang): void {
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  const status = byId('status');
  status.className = `status ${a.digest ? 'ok' : 'error'}`;
  status.textContent = a.digest ? `✓ compiles 可编译 · ${a.digest.slice(0, 15)}…` : `✗ ${errors.length} error${errors.length === 1 ? '' : 's'} 个错误`;
  status.title = a.digest ?? 'the policies do not compile';

  const banner = byId('banner');
  const first = errors[0];
  if (!a.digest && first) {
    banner.replaceChildren(
      h('strong', {}, 'The policies do not compile 策略无法编译: '),
      h('button', { type: 'button', class: 'link', onclick: () => open(first.span.file, first.span.start.line, first.span.start.column) }, `${first.span.file}:${first.span.start.line}:${first.span.start.column}`),
      ' — decisions and policy tests wait until they do. 修正后才能判定和测试。',
    );
    banner.removeAttribute('hidden');
  } else banner.setAttribute('hidden', '');

  byId('problem-count').textContent = String(renderProblems(byId('problems'), a.diagnostics, a.tests, open, lang));
  renderTests(byId('tests'), a.tests, open, { glossary: a.glossary, lang });
  const failed = a.tests?.results.filter((r) => !r.passed).length ?? 0;
  const testCount = byId('test-count');
  testCount.textContent = a.tests ? `${a.tests.results.length - failed}✓ ${failed}✗` : '—';
  testCount.className = failed || a.tests?.problems.length ? 'fail' : '';
}
