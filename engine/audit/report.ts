// The audit report people read: one self-contained HTML file (totals; charts of changed decisions
// by article, by event type and over event time; a table of changed decisions with the text of the
// articles behind each change). The caller hands in Chart.js's UMD build (the CLI reads it from
// node_modules), which is inlined, so the file needs no network to be viewed. Browser-safe.
import type { CodeKind } from '../../language/checked.js';
import { citationName, DECISION_TERMS, glossaryOf, valueName, type Glossary } from '../../language/glossary.js';
import type { CompiledPolicy } from '../compile.js';
import { CODE_KIND_OF_LIST } from '../outcomes.js';
import type { Change } from './diff.js';
import type { Finding, Outcome, Summary } from './findings.js';

/** At most this many changed decisions are listed in the table; the charts count them all. */
export const REPORT_ROWS = 500;

interface ArticleText {
  readonly title: string;
  readonly paragraphs: readonly { readonly number: number; readonly zh: string; readonly en?: string }[];
}

/** Sees a run's outcomes go by and keeps what the report shows: the first rows, the articles' text. */
export class ReportCollector {
  readonly rows: Finding[] = [];
  private readonly articles = new Map<string, ArticleText | undefined>();
  /** Codes are named as the head revision's vocabulary names them. */
  private glossary: Glossary = { fields: {}, values: {}, codes: {} };

  readonly observe = (o: Outcome): void => {
    if (o.kind !== 'changed') return;
    this.glossary = glossaryOf(o.policies[o.policies.length - 1]!.checked.vocabulary);
    if (this.rows.length < REPORT_ROWS) this.rows.push(o.finding);
    for (const key of o.finding.articles) {
      // The head revision's text first: that is what a reader checks a change against.
      if (!this.articles.get(key)) this.articles.set(key, [...o.policies].reverse().map((p) => articleText(p, key)).find((t) => t));
    }
  };

  /** The report's HTML; `chartJs` is the text of Chart.js's UMD build. */
  render(heading: string, summary: Summary, chartJs: string): string {
    return renderReport(heading, summary, this.rows, this.articles, this.glossary, chartJs);
  }
}

function articleText(policy: CompiledPolicy, key: string): ArticleText | undefined {
  const [regulation, n] = key.split(' ');
  const a = policy.checked.articles.findLast((x) => x.regulation === regulation && x.article === Number(n));
  if (!a) return undefined;
  const r = policy.checked.regulations.find((x) => x.id === regulation);
  const title = `${r?.titleZh ?? regulation} ${citationName(a, 'zh')} · ${r?.titleEn ?? regulation} ${citationName(a, 'en')}`;
  return { title, paragraphs: a.paragraphs };
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Script text may not contain `</script`; JSON may not, either, nor `<!--`. */
const inlineScript = (s: string): string => s.replace(/<(\/script|!--)/gi, '\\u003c$1');

const code = (g: Glossary, c: string, kind: CodeKind): string => `<code title="${esc(`${valueName(g, c, 'zh', { kind })} / ${valueName(g, c, 'en', { kind })}`)}">${esc(c)}</code>`;
const sign = (change: 'added' | 'removed'): string => (change === 'added' ? '<ins>+</ins>' : '<del>−</del>');
const list = <T,>(items: readonly T[], show: (t: T) => string): string => (items.length ? items.map(show).join(', ') : '—');

function describe(c: Change, g: Glossary): string {
  switch (c.field) {
    case 'allowed':
      return `allowed 允许: ${c.base} → <b>${c.head}</b>`;
    case 'verification':
    case 'labeling':
    case 'disposal':
      return `${esc(DECISION_TERMS[c.field].en)} ${esc(DECISION_TERMS[c.field].zh)}: ${sign(c.change)} ${code(g, c.code, CODE_KIND_OF_LIST[c.field])}`;
    case 'retention':
      return `${esc(DECISION_TERMS.retention.en)} ${code(g, c.record, 'record')}: ${list(c.base, (r) => `${r.period} until ${r.until}`)} → <b>${list(c.head, (r) => `${r.period} until ${r.until}`)}</b>`;
    case 'obligations':
      return `${esc(DECISION_TERMS.obligations.en)} ${code(g, c.code, 'obligation')}: ${list(c.base, (o) => `due ${o.due ?? '—'}`)} → <b>${list(c.head, (o) => `due ${o.due ?? '—'}`)}</b>`;
    case 'citations':
      return `citation 引用: ${sign(c.change)} ${esc(c.citation)}`;
    case 'rules':
      return `rule 规则: ${sign(c.change)} <code>${esc(c.rule)}</code>`;
    case 'trace':
      return `trace of <code>${esc(c.rule)}</code> differs`;
    case 'policy':
      return `policy: ${esc(c.base.digest.slice(0, 19))}… → ${esc(c.head.digest.slice(0, 19))}…`;
  }
}

function renderArticle(key: string, text: ArticleText | undefined): string {
  if (!text) return `<details><summary>${esc(key)}</summary><p>(text not in either revision)</p></details>`;
  const paras = text.paragraphs.map((p) => `<p><span class="n">${p.number}</span> ${esc(p.zh)}${p.en ? `<br><span class="en">${esc(p.en)}</span>` : ''}</p>`).join('');
  return `<details><summary>${esc(key)}</summary><div class="article"><h4>${esc(text.title)}</h4>${paras}</div></details>`;
}

function renderReport(heading: string, s: Summary, rows: readonly Finding[], articles: ReadonlyMap<string, ArticleText | undefined>, g: Glossary, chartJs: string): string {
  const table = rows
    .map(
      (f) => `<tr><td>${f.seq ?? ''}</td><td><code>${esc(f.eventId)}</code></td><td>${esc(f.type)}</td><td>${esc(f.occurredAt)}</td>
<td><ul>${f.changes.map((c) => `<li>${describe(c, g)}</li>`).join('')}</ul></td><td>${f.articles.map((a) => renderArticle(a, articles.get(a))).join('')}</td></tr>`,
    )
    .join('\n');
  const data = { byArticle: s.byArticle, byType: s.byType, byDay: s.byDay };
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading)}</title>
<style>
body { font: 14px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem; color: #1d1d1f; }
.totals { display: flex; gap: 1rem; } .totals div { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; }
.totals b { display: block; font-size: 1.6rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 1.5rem; margin: 1.5rem 0; }
figure { margin: 0; } figure div { position: relative; height: 280px; }
table { border-collapse: collapse; width: 100%; } td, th { border-top: 1px solid #ddd; padding: .4rem; vertical-align: top; text-align: left; }
td ul { margin: 0; padding-left: 1rem; } ins { color: #067d17; text-decoration: none; } del { color: #b3261e; text-decoration: none; }
.article { max-width: 40rem; } .article h4 { margin: .3rem 0; } .n { color: #888; } .en { color: #555; }
</style>
</head>
<body>
<h1>${esc(heading)}</h1>
<section class="totals">
<div>events 事件<b>${s.events}</b></div><div>unchanged 未变<b>${s.same}</b></div><div>changed 变化<b>${s.changed}</b></div><div>errors 错误<b>${s.errors}</b></div>
</section>
<section class="charts">
<figure><figcaption>Changed decisions by article 按条款</figcaption><div><canvas id="by-article"></canvas></div></figure>
<figure><figcaption>Changed decisions by event type 按事件类型</figcaption><div><canvas id="by-type"></canvas></div></figure>
<figure><figcaption>Changed decisions over event time (CST day) 按事件日期</figcaption><div><canvas id="by-day"></canvas></div></figure>
</section>
<h2>Changed decisions 变化的决定</h2>
<p>${rows.length < s.changed ? `The first ${rows.length} of ${s.changed}; the JSON Lines output lists them all.` : `All ${s.changed}.`}</p>
<table>
<thead><tr><th>seq</th><th>event</th><th>type</th><th>time</th><th>changes</th><th>articles (zh/en)</th></tr></thead>
<tbody>
${table}
</tbody>
</table>
<script>${inlineScript(chartJs)}</script>
<script type="application/json" id="report-data">${inlineScript(JSON.stringify(data))}</script>
<script>
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const chart = (id, type, counts, options) => new Chart(document.getElementById(id), {
    type,
    data: { labels: Object.keys(counts), datasets: [{ label: 'changed decisions', data: Object.values(counts), backgroundColor: '#3b6fd8', borderColor: '#3b6fd8' }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, ...options },
  });
  chart('by-article', 'bar', data.byArticle, { indexAxis: 'y' });
  chart('by-type', 'bar', data.byType, {});
  chart('by-day', 'line', data.byDay, { scales: { y: { beginAtZero: true } } });
  document.body.dataset.charts = '3';
})();
</script>
</body>
</html>
`;
}
