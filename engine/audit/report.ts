// The audit report an auditor files: one self-contained HTML file, in Chinese or English. Its header
// says what was compared (each side's name and digest, the selection, the number of events, when and
// by which version of the tool); then totals, a summary by kind of change, charts (Chart.js, inlined,
// so the file needs no network), the changed decisions, the diff of the policy source between the
// two revisions, and an appendix with the text of each article once, which the rows link to. A print
// stylesheet makes it a legible PDF. Browser-safe: the caller hands in the time, the tool's version
// and Chart.js's UMD build.
import { createTwoFilesPatch } from 'diff';
import type { CodeKind, Vocabulary } from '../../language/checked.js';
import { formatDate, parseDate } from '../../language/calendar.js';
import { citationName, DECISION_TERMS, glossaryOf, valueName, type Glossary, type Lang, type Term } from '../../language/glossary.js';
import type { SourceFile } from '../../language/source.js';
import type { CompiledPolicy } from '../compile.js';
import { CODE_KIND_OF_LIST } from '../outcomes.js';
import type { Change } from './diff.js';
import type { Finding, Outcome, Summary } from './findings.js';
import type { Compared } from './run.js';

/** At most this many changed decisions are listed in the table; the charts and the summary count them all. */
export const REPORT_ROWS = 500;

/** What a run compared, over what, when and by what: the header of the report and of `--json`. */
export interface Provenance {
  readonly tool: { readonly name: 'tiaoli'; readonly version: string };
  readonly command: 'diff' | 'replay';
  /** RFC 3339, UTC. */
  readonly generatedAt: string;
  readonly base: { readonly name: string; readonly digests: readonly string[] };
  readonly head: { readonly name: string; readonly digests: readonly string[] };
  /** Where the events came from and which were chosen; time bounds as the log was asked (RFC 3339). */
  readonly selection: {
    readonly log?: string;
    readonly events?: string;
    readonly from?: string;
    readonly to?: string;
    readonly type?: string;
    readonly eventIds?: readonly string[];
    readonly shard?: string;
  };
  readonly events: number;
}

export function provenance(p: Omit<Provenance, 'base' | 'head' | 'tool'> & { readonly compared: Compared; readonly version: string }): Provenance {
  const side = ({ name, digests }: Compared['base']) => ({ name, digests });
  return { tool: { name: 'tiaoli', version: p.version }, command: p.command, generatedAt: p.generatedAt, base: side(p.compared.base), head: side(p.compared.head), selection: p.selection, events: p.events };
}

/** The changes of one kind (the same field, code or record, the same values but an event's own dates), counted over the whole run. */
export interface ChangeGroup {
  readonly kind: string;
  /** Decisions with a change of this kind. */
  readonly count: number;
  readonly articles: readonly string[];
  readonly example: { readonly seq?: number; readonly eventId: string; readonly change: Change };
}

/** What makes changes of one kind: everything but the dates that follow from each event's time. */
export function changeKind(c: Change): string {
  const periods = (rs: readonly { period: string }[]) => rs.map((r) => r.period).join(',');
  switch (c.field) {
    case 'allowed':
      return `allowed ${c.base}→${c.head}`;
    case 'verification':
    case 'labeling':
    case 'disposal':
      return `${c.field} ${c.change} ${c.code}`;
    case 'retention':
      return `retention ${c.record} ${periods(c.base)}→${periods(c.head)}`;
    case 'obligations':
      return `obligations ${c.code} ${c.base.length}→${c.head.length}`;
    case 'citations':
      return `citations ${c.change} ${c.citation}`;
    case 'rules':
      return `rules ${c.change} ${c.rule}`;
    case 'trace':
      return `trace ${c.rule}`;
    case 'policy':
      return `policy ${c.base.digest}→${c.head.digest}`;
  }
}

interface ArticleText {
  readonly title: string;
  readonly paragraphs: readonly { readonly number: number; readonly zh: string; readonly en?: string }[];
}

/** Sees a run's outcomes go by and keeps what the report shows: the first rows, the groups of changes, the articles' text. */
export class ReportCollector {
  readonly rows: Finding[] = [];
  private readonly articles = new Map<string, ArticleText | undefined>();
  private readonly groups = new Map<string, { count: number; articles: Set<string>; example: ChangeGroup['example'] }>();
  /** Codes and event types are named as the head revision's vocabulary names them. */
  private vocabulary: Vocabulary | undefined;

  readonly observe = (o: Outcome): void => {
    if (o.kind !== 'changed') return;
    this.vocabulary = o.policies[o.policies.length - 1]!.checked.vocabulary;
    const f = o.finding;
    if (this.rows.length < REPORT_ROWS) this.rows.push(f);
    for (const key of f.articles) {
      // The head revision's text first: that is what a reader checks a change against.
      if (!this.articles.get(key)) this.articles.set(key, [...o.policies].reverse().map((p) => articleText(p, key)).find((t) => t));
    }
    for (const c of f.changes) {
      const kind = changeKind(c);
      let g = this.groups.get(kind);
      if (!g) this.groups.set(kind, (g = { count: 0, articles: new Set(), example: { ...(f.seq !== undefined && { seq: f.seq }), eventId: f.eventId, change: c } }));
      g.count++;
      for (const a of c.articles) g.articles.add(a);
    }
  };

  /** The groups, most decisions first (then by kind, so the order is stable). */
  changeGroups(): ChangeGroup[] {
    return [...this.groups]
      .map(([kind, g]) => ({ kind, count: g.count, articles: [...g.articles].sort(), example: g.example }))
      .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }

  /** The report's HTML, with the sources of each side when it is one revision; `chartJs` is the text of Chart.js's UMD build. */
  render(p: Provenance, summary: Summary, compared: Compared, lang: Lang, chartJs: string): string {
    const v = this.vocabulary;
    const types = Object.fromEntries((v?.events ?? []).map((e) => [e.type, { zh: e.zh, en: e.en }]));
    return renderReport({ p, s: summary, rows: this.rows, groups: this.changeGroups(), articles: this.articles, g: v ? glossaryOf(v) : { fields: {}, values: {}, codes: {} }, types, compared, lang, chartJs });
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

/** Every word of the page, in each language. */
const WORDS = {
  zh: {
    title: { diff: '两个版本决定差异的审计报告', replay: '决定重放的审计报告' },
    provenance: '比较了什么',
    base: { diff: '基准版本', replay: '作出决定的版本' },
    head: { diff: '对比版本', replay: '重新决定所用的版本' },
    logged: '日志所记录的、作出每项决定的版本',
    selection: '选取范围',
    log: '决定日志',
    eventsFile: '事件文件',
    from: '起',
    to: '止',
    type: '事件类型',
    ids: '事件编号',
    shard: '分片',
    all: '全部事件',
    eventCount: '事件数',
    generated: '生成时间',
    tool: '工具版本',
    totals: { events: '事件', same: '未变', changed: '变化', errors: '无法决定' },
    summary: '变化概览（按变化种类）',
    noChanges: '没有决定发生变化。',
    cols: { kind: '变化', count: '决定数', articles: '条款', example: '示例事件' },
    charts: { article: '变化的决定：按条款', type: '变化的决定：按事件类型', day: '变化的决定：按事件日期（北京时间）' },
    decisions: '变化的决定',
    firstRows: (n: number, all: number) => `列出前 ${n} 项（共 ${all} 项）；JSON Lines 输出列出全部。`,
    allRows: (n: number) => `共 ${n} 项。`,
    rowCols: { seq: '序号', event: '事件', type: '类型', time: '时间', changes: '变化', articles: '条款' },
    sourceDiff: '政策源文件差异',
    sameSource: '两个版本的源文件相同。',
    noSource: '作出这些决定的版本不止一个，故无单一的源文件差异。',
    added: '新增文件',
    removed: '删除文件',
    appendix: '附录：条款原文',
    missing: '（两个版本中均无此条原文）',
    allowed: '是否允许',
    yes: '允许',
    no: '不允许',
    citation: '引用',
    rule: '规则',
    trace: (r: string) => `规则 ${r} 的推理记录不同`,
    policy: '所用版本',
    until: (u: string) => `至 ${u}`,
    due: (d: string | undefined) => (d ? `期限 ${d}` : '无期限'),
    colon: '：',
  },
  en: {
    title: { diff: 'Audit report: decisions that differ between two revisions', replay: 'Audit report: replay of logged decisions' },
    provenance: 'What was compared',
    base: { diff: 'Base revision', replay: 'Revision that decided' },
    head: { diff: 'Head revision', replay: 'Revision decided again under' },
    logged: 'the revision the log records as deciding each event',
    selection: 'Selection',
    log: 'Decision log',
    eventsFile: 'Events file',
    from: 'From',
    to: 'To',
    type: 'Event type',
    ids: 'Event ids',
    shard: 'Shard',
    all: 'every event',
    eventCount: 'Events',
    generated: 'Generated',
    tool: 'Tool',
    totals: { events: 'events', same: 'unchanged', changed: 'changed', errors: 'not decided' },
    summary: 'Summary by kind of change',
    noChanges: 'No decision changed.',
    cols: { kind: 'Change', count: 'Decisions', articles: 'Articles', example: 'Example event' },
    charts: { article: 'Changed decisions by article', type: 'Changed decisions by event type', day: 'Changed decisions by day of the event (China Standard Time)' },
    decisions: 'Changed decisions',
    firstRows: (n: number, all: number) => `The first ${n} of ${all}; the JSON Lines output lists them all.`,
    allRows: (n: number) => `All ${n}.`,
    rowCols: { seq: 'seq', event: 'event', type: 'type', time: 'time', changes: 'changes', articles: 'articles' },
    sourceDiff: 'Diff of the policy source',
    sameSource: 'The two revisions have the same sources.',
    noSource: 'More than one revision made these decisions, so there is no single diff of the source.',
    added: 'file added',
    removed: 'file removed',
    appendix: 'Appendix: the text of the articles',
    missing: '(text in neither revision)',
    allowed: 'Allowed',
    yes: 'allowed',
    no: 'denied',
    citation: 'citation',
    rule: 'rule',
    trace: (r: string) => `the trace of rule ${r} differs`,
    policy: 'revision consulted',
    until: (u: string) => `until ${u}`,
    due: (d: string | undefined) => (d ? `due ${d}` : 'no due date'),
    colon: ': ',
  },
} as const;

type Words = (typeof WORDS)[Lang];

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Script text may not contain `</script`; JSON may not, either, nor `<!--`. */
const inlineScript = (s: string): string => s.replace(/<(\/script|!--)/gi, '\\u003c$1');
const anchor = (article: string): string => `art-${article.replace(/[^A-Za-z0-9]+/g, '-')}`;
const articleLink = (a: string): string => `<a href="#${anchor(a)}">${esc(a)}</a>`;

const sign = (change: 'added' | 'removed'): string => (change === 'added' ? '<ins>+</ins>' : '<del>−</del>');
const list = <T,>(items: readonly T[], show: (t: T) => string): string => (items.length ? items.map(show).join(', ') : '—');

/** One change in the page's language: codes by their vocabulary names, the code itself in a tooltip. */
function describe(c: Change, g: Glossary, lang: Lang): string {
  const w: Words = WORDS[lang];
  const code = (value: string, kind: CodeKind) => `<span class="code" title="${esc(value)}">${esc(valueName(g, value, lang, { kind }))}</span>`;
  const yes = (b: boolean) => (b ? w.yes : w.no);
  switch (c.field) {
    case 'allowed':
      return `${w.allowed}${w.colon}${yes(c.base)} → <b>${yes(c.head)}</b>`;
    case 'verification':
    case 'labeling':
    case 'disposal':
      return `${esc(DECISION_TERMS[c.field][lang])}${w.colon}${sign(c.change)} ${code(c.code, CODE_KIND_OF_LIST[c.field])}`;
    case 'retention': {
      const r = (x: { period: string; until: string }) => `${esc(x.period)} ${esc(w.until(x.until))}`;
      return `${esc(DECISION_TERMS.retention[lang])} ${code(c.record, 'record')}${w.colon}${list(c.base, r)} → <b>${list(c.head, r)}</b>`;
    }
    case 'obligations':
      return `${esc(DECISION_TERMS.obligations[lang])} ${code(c.code, 'obligation')}${w.colon}${list(c.base, (o) => esc(w.due(o.due)))} → <b>${list(c.head, (o) => esc(w.due(o.due)))}</b>`;
    case 'citations':
      return `${w.citation}${w.colon}${sign(c.change)} ${esc(c.citation)}`;
    case 'rules':
      return `${w.rule}${w.colon}${sign(c.change)} <code>${esc(c.rule)}</code>`;
    case 'trace':
      return esc(w.trace(c.rule));
    case 'policy':
      return `${w.policy}${w.colon}<code>${esc(c.base.digest.slice(0, 19))}…</code> → <code>${esc(c.head.digest.slice(0, 19))}…</code>`;
  }
}

/** Every CST day from the first to the last with a count, the days between at 0: a line drawn over them does not join across days without changes. */
export function everyDay(byDay: Readonly<Record<string, number>>): Record<string, number> {
  const days = Object.keys(byDay).map((d) => parseDate(d)!);
  if (days.length === 0) return {};
  const out: Record<string, number> = {};
  for (let d = Math.min(...days); d <= Math.max(...days); d++) out[formatDate(d)] = byDay[formatDate(d)] ?? 0;
  return out;
}

/** The source of the two sides, file by file, as unified diff hunks; undefined when a side is not one revision. */
export function sourceDiff(compared: Compared): { readonly path: string; readonly status: 'changed' | 'added' | 'removed'; readonly lines: readonly string[] }[] | undefined {
  const { base, head } = compared;
  if (!base.sources || !head.sources) return undefined;
  const b = new Map(base.sources.map((s: SourceFile) => [s.path, s.text]));
  const h = new Map(head.sources.map((s: SourceFile) => [s.path, s.text]));
  const paths = [...new Set([...b.keys(), ...h.keys()])].sort();
  return paths.flatMap((path) => {
    const [before, after] = [b.get(path), h.get(path)];
    if (before === after) return [];
    // The hunks of the unified diff, without its header of file names (the report names the file).
    const patch = createTwoFilesPatch(path, path, before ?? '', after ?? '', undefined, undefined, { context: 3 }).split('\n');
    const lines = patch.slice(patch.findIndex((l) => l.startsWith('@@')), patch.at(-1) === '' ? -1 : undefined);
    return [{ path, status: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed', lines }];
  });
}

interface ReportInput {
  readonly p: Provenance;
  readonly s: Summary;
  readonly rows: readonly Finding[];
  readonly groups: readonly ChangeGroup[];
  readonly articles: ReadonlyMap<string, ArticleText | undefined>;
  readonly g: Glossary;
  readonly types: Readonly<Record<string, Term>>;
  readonly compared: Compared;
  readonly lang: Lang;
  readonly chartJs: string;
}

function renderHeader({ p, lang }: ReportInput): string {
  const w: Words = WORDS[lang];
  const side = (label: string, s: Provenance['base']) =>
    `<tr><th>${esc(label)}</th><td>${s.name === 'logged' ? esc(w.logged) : `<code>${esc(s.name)}</code>`}<br>${s.digests.map((d) => `<code class="digest">${esc(d)}</code>`).join('<br>')}</td></tr>`;
  const sel = p.selection;
  const parts: [string, string | undefined][] = [
    [w.log, sel.log],
    [w.eventsFile, sel.events],
    [w.from, sel.from],
    [w.to, sel.to],
    [w.type, sel.type],
    [w.ids, sel.eventIds?.join(', ')],
    [w.shard, sel.shard],
  ];
  const chosen = parts.filter(([, v]) => v !== undefined).map(([k, v]) => `${esc(k)}${w.colon}<code>${esc(v!)}</code>`);
  const chooses = sel.from ?? sel.to ?? sel.type ?? sel.eventIds ?? sel.shard;
  return `<table class="provenance" id="provenance">
${side(w.base[p.command], p.base)}
${side(w.head[p.command], p.head)}
<tr><th>${esc(w.selection)}</th><td>${chosen.join('<br>')}${chooses === undefined ? `<br>${esc(w.all)}` : ''}</td></tr>
<tr><th>${esc(w.eventCount)}</th><td>${p.events}</td></tr>
<tr><th>${esc(w.generated)}</th><td><time datetime="${esc(p.generatedAt)}">${esc(p.generatedAt)}</time></td></tr>
<tr><th>${esc(w.tool)}</th><td>${esc(p.tool.name)} ${esc(p.tool.version)}</td></tr>
</table>`;
}

function renderSummary({ groups, g, lang }: ReportInput): string {
  const w: Words = WORDS[lang];
  if (groups.length === 0) return `<p>${esc(w.noChanges)}</p>`;
  const rows = groups.map(
    (x) => `<tr><td>${describe(x.example.change, g, lang)}</td><td class="num">${x.count}</td><td>${list(x.articles, articleLink)}</td><td><code>${esc(x.example.eventId)}</code>${x.example.seq === undefined ? '' : ` (#${x.example.seq})`}</td></tr>`,
  );
  return `<table class="groups" id="summary">
<thead><tr><th>${esc(w.cols.kind)}</th><th>${esc(w.cols.count)}</th><th>${esc(w.cols.articles)}</th><th>${esc(w.cols.example)}</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function renderSourceDiff({ compared, lang }: ReportInput): string {
  const w: Words = WORDS[lang];
  const files = sourceDiff(compared);
  if (!files) return `<p>${esc(w.noSource)}</p>`;
  if (files.length === 0) return `<p>${esc(w.sameSource)}</p>`;
  const line = (l: string) => {
    const cls = l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx';
    return `<span class="${cls}">${esc(l)}</span>`;
  };
  return files
    .map((f) => `<figure class="file"><figcaption><code>${esc(f.path)}</code>${f.status === 'changed' ? '' : ` (${esc(w[f.status])})`}</figcaption><pre>${f.lines.map(line).join('\n')}</pre></figure>`)
    .join('\n');
}

function renderAppendix({ articles, lang }: ReportInput): string {
  const w: Words = WORDS[lang];
  return [...articles.keys()]
    .sort()
    .map((key) => {
      const text = articles.get(key);
      const body = text
        ? `<h3>${esc(text.title)}</h3>${text.paragraphs.map((p) => `<p><span class="n">${p.number}</span> ${esc(p.zh)}${p.en ? `<br><span class="en">${esc(p.en)}</span>` : ''}</p>`).join('')}`
        : `<h3>${esc(key)}</h3><p>${esc(w.missing)}</p>`;
      return `<section class="article" id="${anchor(key)}">${body}</section>`;
    })
    .join('\n');
}

function renderReport(input: ReportInput): string {
  const { p, s, rows, g, types, lang } = input;
  const w: Words = WORDS[lang];
  const typeName = (t: string) => types[t]?.[lang] ?? t;
  const table = rows
    .map(
      (f) => `<tr><td>${f.seq ?? ''}</td><td><code>${esc(f.eventId)}</code></td><td title="${esc(f.type)}">${esc(typeName(f.type))}</td><td>${esc(f.occurredAt)}</td>
<td><ul>${f.changes.map((c) => `<li>${describe(c, g, lang)}</li>`).join('')}</ul></td><td>${f.articles.map(articleLink).join('<br>')}</td></tr>`,
    )
    .join('\n');
  const byType = Object.fromEntries(Object.entries(s.byType).map(([t, n]) => [typeName(t), n]));
  const data = { byArticle: s.byArticle, byType, byDay: everyDay(s.byDay), label: w.totals.changed };
  const title = w.title[p.command];
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(`${p.tool.name} ${p.tool.version}`)}">
<title>${esc(title)}</title>
<style>
body { font: 14px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem; color: #1d1d1f; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
.provenance th { width: 12rem; white-space: nowrap; } .digest { font-size: .85em; word-break: break-all; }
.totals { display: flex; gap: 1rem; } .totals div { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; }
.totals b { display: block; font-size: 1.6rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 1.5rem; margin: 1.5rem 0; }
.charts figure { margin: 0; } .charts figure div { position: relative; height: 280px; }
table { border-collapse: collapse; width: 100%; } td, th { border-top: 1px solid #ddd; padding: .4rem; vertical-align: top; text-align: left; }
.num { text-align: right; } td ul { margin: 0; padding-left: 1rem; }
ins { color: #067d17; text-decoration: none; } del { color: #b3261e; text-decoration: none; } .code { border-bottom: 1px dotted #888; }
.file { margin: 1rem 0; } .file pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; font-size: 12px; line-height: 1.4; }
.file .add { color: #067d17; background: #e6ffec; } .file .del { color: #b3261e; background: #ffebe9; } .file .hunk { color: #6f42c1; }
.article { max-width: 48rem; } .article h3 { margin: 1rem 0 .3rem; font-size: 1rem; } .n { color: #888; } .en { color: #555; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { margin: 0; font-size: 10pt; color: #000; }
  a { color: inherit; text-decoration: none; }
  .charts { display: block; } .charts figure { break-inside: avoid; margin-bottom: 1rem; } .charts figure div { height: auto; }
  canvas { max-width: 100% !important; height: auto !important; }
  tr, .article, .file figcaption, .file pre { break-inside: avoid; } h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  .file pre { white-space: pre-wrap; word-break: break-all; overflow: visible; background: none; border: 1px solid #ccc; }
  .appendix { break-before: page; }
}
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<section>
<h2>${esc(w.provenance)}</h2>
${renderHeader(input)}
</section>
<section class="totals">
<div>${esc(w.totals.events)}<b>${s.events}</b></div><div>${esc(w.totals.same)}<b>${s.same}</b></div><div>${esc(w.totals.changed)}<b>${s.changed}</b></div><div>${esc(w.totals.errors)}<b>${s.errors}</b></div>
</section>
<section>
<h2>${esc(w.summary)}</h2>
${renderSummary(input)}
</section>
<section class="charts">
<figure><figcaption>${esc(w.charts.article)}</figcaption><div><canvas id="by-article"></canvas></div></figure>
<figure><figcaption>${esc(w.charts.type)}</figcaption><div><canvas id="by-type"></canvas></div></figure>
<figure><figcaption>${esc(w.charts.day)}</figcaption><div><canvas id="by-day"></canvas></div></figure>
</section>
<section>
<h2>${esc(w.decisions)}</h2>
<p>${esc(rows.length < s.changed ? w.firstRows(rows.length, s.changed) : w.allRows(s.changed))}</p>
<table class="rows">
<thead><tr>${Object.values(w.rowCols).map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>
<tbody>
${table}
</tbody>
</table>
</section>
<section id="source-diff">
<h2>${esc(w.sourceDiff)}</h2>
${renderSourceDiff(input)}
</section>
<section class="appendix" id="appendix">
<h2>${esc(w.appendix)}</h2>
${renderAppendix(input)}
</section>
<script>${inlineScript(input.chartJs)}</script>
<script type="application/json" id="report-data">${inlineScript(JSON.stringify(data))}</script>
<script>
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const chart = (id, type, counts, options) => new Chart(document.getElementById(id), {
    type,
    data: { labels: Object.keys(counts), datasets: [{ label: data.label, data: Object.values(counts), backgroundColor: '#3b6fd8', borderColor: '#3b6fd8', pointRadius: 2 }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, ...options },
  });
  const charts = [chart('by-article', 'bar', data.byArticle, { indexAxis: 'y' }), chart('by-type', 'bar', data.byType, {}), chart('by-day', 'line', data.byDay, { scales: { y: { beginAtZero: true } } })];
  // Printed, the charts are drawn again at the width of the page.
  addEventListener('beforeprint', () => charts.forEach((c) => c.resize()));
  document.body.dataset.charts = String(charts.length);
})();
</script>
</body>
</html>
`;
}
