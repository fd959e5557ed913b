// "What does my edit change?": the edited policies compared with the shipped ones over every valid
// event, by the analysis worker (Z3 in the browser). The page shows a proof that no decision
// changes, or each kind of change with its witness event, which can be loaded and decided.
import type { Change } from '../../engine/analysis/compare.js';
import type { Decision } from '../../engine/schema/decision.js';
import type { Diagnostic } from '../../language/diagnostics.js';
import type { CodeKind } from '../../language/checked.js';
import { bindingName, citationName, DECISION_TERMS, periodName, valueName, type Glossary, type Lang, type Term } from '../../language/glossary.js';
import type { Articles } from './articles.js';
import { CODE_KIND_OF_LIST } from '../../engine/outcomes.js';
import { ruleLink } from './decision.js';
import type { ChangeMessage, ChangeReport, ChangeRequest } from './protocol.js';
import { fill, h } from './view.js';

/** Past this the worker is stopped: loading Z3 and a comparison of the shipped policies take seconds. */
const TIME_LIMIT_MS = 120_000;

type Stage = Extract<ChangeMessage, { kind: 'progress' }>['stage'];

export type ChangeState =
  | { readonly k: 'idle' }
  | { readonly k: 'running'; readonly stage: Stage | 'starting'; readonly since: number }
  /** `digest` and `edited`: the policies the report is about, and the files edited in them. */
  | { readonly k: 'done'; readonly report: ChangeReport; readonly ms: number; readonly digest: string; readonly edited: ReadonlySet<string> }
  | { readonly k: 'failed'; readonly message: string };

/** The analysis worker, started on the first request and kept (with Z3 loaded) until cancelled. */
export class ChangeAnalysis {
  private worker: Worker | undefined;
  private stop: ((message: string) => void) | undefined;

  run(request: ChangeRequest, progress: (stage: Stage) => void): Promise<ChangeReport> {
    const worker = (this.worker ??= new Worker(new URL('./analysis-worker.ts', import.meta.url), { type: 'module' }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.stop?.(`stopped after ${TIME_LIMIT_MS / 1000} s 超时`), TIME_LIMIT_MS);
      const settle = () => {
        clearTimeout(timer);
        this.stop = undefined;
      };
      // Terminating is the only way to stop Z3 mid-query; its threads end with the worker.
      this.stop = (message) => {
        settle();
        worker.terminate();
        this.worker = undefined;
        reject(new Error(message));
      };
      worker.onerror = (e) => this.stop?.(e.message || 'the analysis worker failed');
      worker.onmessage = (e: MessageEvent<ChangeMessage>) => {
        const m = e.data;
        if (m.kind === 'progress') return progress(m.stage);
        settle();
        if (m.kind === 'done') resolve(m.report);
        else reject(new Error(m.message));
      };
      worker.postMessage(request);
    });
  }

  cancel(): void {
    this.stop?.('cancelled 已取消');
  }
}

export interface ChangeView {
  readonly articles: Articles;
  readonly lang: Lang;
  readonly glossary: Glossary;
  /** The digest of the policies as they are now: a report made for others is said to be out of date. */
  readonly digest: string | undefined;
  readonly openFile: (path: string, line?: number, column?: number) => void;
  readonly loadEvent: (event: unknown) => void;
  readonly cancel: () => void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The outcome fields of a decision, the lists named as the decision panel names them. */
const OUTCOMES: Readonly<Record<string, Term>> = { allowed: { zh: '是否允许', en: 'Allowed' }, citations: { zh: '依据', en: 'Cites' }, ...DECISION_TERMS };
const outcomeName = (field: string, lang: Lang): string => OUTCOMES[field]?.[lang] ?? field;

const KIND: Readonly<Record<string, CodeKind>> = CODE_KIND_OF_LIST;

/** `live-2016 16, notice-2018 4` (compare.ts `articles`) as a heading: 「live-2016 第16条、notice-2018 第4条」. */
function articlesName(articles: readonly string[], lang: Lang): string {
  if (articles.length === 0) return lang === 'zh' ? '其他' : 'Other';
  return articles.map((a) => a.split(' ')).map(([regulation = '', article]) => citationName({ regulation, article: Number(article) }, lang)).join(lang === 'zh' ? '、' : ', ');
}

/** A decision's outcome field, shortly: what the two revisions decide for the witness. */
function fieldValue(g: Glossary, field: string, value: unknown, lang: Lang): string {
  if (typeof value === 'boolean') return value ? (lang === 'zh' ? '允许' : 'allowed') : lang === 'zh' ? '不允许' : 'denied';
  const items = (value as readonly unknown[]).map((v) => {
    if (typeof v === 'string') return valueName(g, v, lang, KIND[field] && { kind: KIND[field] });
    if (field === 'citations') return citationName(v as Decision['citations'][number], lang);
    if (field === 'retention') {
      const r = v as Decision['retention'][number];
      const standing = bindingName(r, lang);
      return `${valueName(g, r.record, lang, { kind: 'record' })} ${lang === 'zh' ? '至' : 'until'} ${r.until} (${periodName(r.period, lang)}${standing ? `${lang === 'zh' ? '，' : ', '}${standing}` : ''})`;
    }
    const o = v as Decision['obligations'][number];
    return `${valueName(g, o.code, lang, { kind: 'obligation' })}${o.due ? ` (${o.due})` : ''}`;
  });
  return items.length ? items.join(', ') : '—';
}

/** The rules behind a change: those that fire under one revision only, and those of edited files. */
function rulesOf(c: Change, edited: ReadonlySet<string>): Decision['trace'] {
  const fired = (d: Decision) => new Set(d.trace.map((t) => t.rule));
  const [base, head] = [fired(c.base), fired(c.head)];
  const rules = [...c.base.trace.filter((t) => !head.has(t.rule)), ...c.head.trace.filter((t) => !base.has(t.rule) || edited.has(t.file))];
  return rules.filter((t, i) => rules.findIndex((u) => u.rule === t.rule) === i);
}

function changeRow(c: Change, edited: ReadonlySet<string>, v: ChangeView): HTMLElement {
  const json = JSON.stringify(c.witness, null, 2);
  return h(
    'div',
    { class: 'change', 'data-observable': c.observable },
    h(
      'div',
      { class: 'change-head' },
      h('strong', { class: 'headline', lang: v.lang === 'zh' ? 'zh-CN' : 'en' }, c.headline[v.lang]),
      h('code', { class: 'muted', title: c.change }, c.observable),
      c.confirmed ? null : h('span', { class: 'unconfirmed', title: 'Z3 and the engine disagree on the witness: a bug of the analysis' }, 'not confirmed 未确认'),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'load', onclick: () => v.loadEvent(c.witness) }, 'Load this event 载入此事件'),
    ),
    h(
      'div',
      { class: 'change-rules' },
      ...rulesOf(c, edited).map((t) => ruleLink('span', t, v)),
    ),
    h(
      'dl',
      { class: 'differences' },
      ...c.differences.flatMap((d) => [
        h('dt', {}, outcomeName(d.field, v.lang)),
        h(
          'dd',
          {},
          h('span', { class: 'base', title: 'in force 现行' }, fieldValue(v.glossary, d.field, d.base, v.lang)),
          ' ⟶ ',
          h('span', { class: 'head', title: 'edited 修改后' }, fieldValue(v.glossary, d.field, d.head, v.lang)),
        ),
      ]),
    ),
    h('details', {}, h('summary', {}, v.lang === 'zh' ? '见证事件' : 'Witness event'), h('pre', { class: 'witness' }, json)),
  );
}

/** The changes under the articles behind them, in the order of the articles. */
function byArticle(changes: readonly Change[]): [readonly string[], Change[]][] {
  const groups = new Map<string, [readonly string[], Change[]]>();
  for (const c of changes) {
    const key = c.articles.join(', ');
    if (!groups.has(key)) groups.set(key, [c.articles, []]);
    groups.get(key)![1].push(c);
  }
  return [...groups.values()].sort(([a], [b]) => (a.join() < b.join() ? -1 : a.join() > b.join() ? 1 : 0));
}

function findingRow(d: Diagnostic, v: ChangeView): HTMLElement {
  return h(
    'button',
    { type: 'button', class: `row ${d.severity}`, 'data-code': d.code, onclick: () => v.openFile(d.span.file, d.span.start.line, d.span.start.column) },
    h('span', { class: 'where' }, `${d.span.file}:${d.span.start.line}`),
    h('span', { class: 'sev' }, `${d.severity} ${d.code}`),
    h('span', { class: 'message' }, v.lang === 'zh' ? d.messageZh : d.message),
  );
}

/** A report about other policies than those of `digest` (the policies as they are now): out of date. */
export const isStale = (s: ChangeState, digest: string | undefined): boolean => s.k === 'done' && s.digest !== digest;

/** Updates the time shown while running, and nothing else: the Cancel button stays the same element. */
export function tick(el: HTMLElement, s: ChangeState): void {
  const elapsed = el.querySelector('.elapsed');
  if (elapsed && s.k === 'running') elapsed.textContent = seconds(performance.now() - s.since);
}

export function renderChanges(el: HTMLElement, s: ChangeState, v: ChangeView): void {
  switch (s.k) {
    case 'idle':
      return fill(
        el,
        h('p', { class: 'muted intro' }, '“What does my edit change?” compares the edited policies with those in force over every valid event, with Z3 in your browser (35 MB, loaded the first time). 比较修改后的策略与现行策略对所有合法事件的判定。'),
      );
    case 'running':
      return fill(
        el,
        h(
          'p',
          { class: 'progress', 'data-stage': s.stage },
          h('span', { class: 'spinner' }),
          { starting: 'Starting… 正在启动…', loading: 'Loading Z3 (35 MB, once) 正在加载 Z3…', comparing: 'Analysing… 正在分析…' }[s.stage],
          h('span', { class: 'elapsed' }, seconds(performance.now() - s.since)),
          h('button', { type: 'button', onclick: v.cancel }, 'Cancel 取消'),
        ),
      );
    case 'failed':
      return fill(el, h('div', { class: 'notice error' }, `No answer 没有结果: ${s.message}`));
    case 'done': {
      const { comparison: c, findings, loadMs, analysisMs } = s.report;
      const proved = c.changes.length === 0 && c.undecided.length === 0;
      return fill(
        el,
        isStale(s, v.digest) ? h('p', { class: 'notice stale' }, 'The policies were edited since: this is about the earlier text. Run it again. 策略已再次修改，请重新分析。') : null,
        h(
          'p',
          { class: `summary ${proved ? 'proved' : 'changed'}`, 'data-proved': String(proved) },
          proved
            ? "✓ No event's decision changes (proved) 没有任何事件的判定会改变（已证明）"
            : c.changes.length
              ? `${c.changes.length} kind${c.changes.length === 1 ? '' : 's'} of change, each with a witness event · ${c.changes.length} 种变化，各附一个见证事件`
              : 'Not proved 未能证明',
        ),
        h(
          'p',
          { class: 'muted work' },
          `${c.observables} parts of the decision compared, ${c.identical} the same in both; ${c.questions} questions to Z3 · ${seconds(s.ms)}`,
          loadMs ? ` (loading Z3 ${seconds(loadMs)}, analysis ${seconds(analysisMs)})` : '',
        ),
        ...c.undecided.map((u) => h('p', { class: 'notice error' }, `Not proved 未能证明: Z3 left ${u} undecided`)),
        ...byArticle(c.changes).map(([articles, xs]) =>
          h('section', { class: 'article-group', 'data-articles': articles.join(', ') }, h('h4', {}, articlesName(articles, v.lang)), ...xs.map((x) => changeRow(x, s.edited, v))),
        ),
        findings.length ? h('h4', {}, `Findings in the files you edited 修改文件中的发现 (${findings.length})`) : null,
        ...findings.map((f) => findingRow(f.diagnostic, v)),
      );
    }
  }
}
