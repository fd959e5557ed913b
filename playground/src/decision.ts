// The decision panel: the verdict and, for a denied event, what would make it allowed right under
// it; then what the decision requires, its citations (which open the article), and the rules that
// fired with the text they implement and the facts they read. That is the whole explanation, said
// once; its plain text (renderExplanation) is there to copy.
import type { Decision } from '../../engine/schema/decision.js';
import type { CodeKind } from '../../language/checked.js';
import { bindingName, DECISION_TERMS, EXPECTATION_TERMS, factValue, fieldName, valueName, type Glossary, type Lang } from '../../language/glossary.js';
import type { Articles } from './articles.js';
import type { DecideResult } from './protocol.js';
import { fill, h, type Child } from './view.js';

export interface DecisionView {
  readonly articles: Articles;
  readonly lang: Lang;
  readonly glossary: Glossary;
  readonly openFile: (path: string, line?: number) => void;
}

/**
 * A rule that fired, in a `tag` element: its citation chip, which opens the article, and its name, a
 * link to the rule in its file (`title` on the link, if given).
 */
export function ruleLink(tag: 'div' | 'span', t: Decision['trace'][number], v: Pick<DecisionView, 'articles' | 'openFile'>, title?: string): HTMLElement {
  return h(tag, {}, v.articles.chip(t.citation, t.file), ' ', h('button', { type: 'button', class: 'link', title, onclick: () => v.openFile(t.file, t.line) }, t.rule));
}

const named = (g: Glossary, code: string, kind: CodeKind, lang: Lang) => h('span', { class: 'code', title: code }, valueName(g, code, lang, { kind }));

/** A retention, and where a record kind is kept under more than one period, whether this one binds. */
function retained(r: Decision['retention'][number], g: Glossary, lang: Lang): HTMLElement {
  const standing = bindingName(r, lang);
  const binding = r.binding === undefined ? {} : { 'data-binding': String(r.binding) };
  return h('span', { class: `code${r.binding === false ? ' met' : ''}`, title: r.record, ...binding }, `${valueName(g, r.record, lang, { kind: 'record' })} → ${r.until} (${r.period}${standing ? `${lang === 'zh' ? '，' : ', '}${standing}` : ''})`);
}

function outcomes(d: Decision, g: Glossary, lang: Lang): HTMLElement {
  const rows: [keyof typeof DECISION_TERMS, Child[]][] = [
    ['verification', d.verification.map((c) => named(g, c, 'verification', lang))],
    ['labeling', d.labeling.map((c) => named(g, c, 'label', lang))],
    ['disposal', d.disposal.map((c) => named(g, c, 'disposal', lang))],
    ['retention', d.retention.map((r) => retained(r, g, lang))],
    ['obligations', d.obligations.map((o) => h('span', { class: 'code', title: o.code }, `${valueName(g, o.code, lang, { kind: 'obligation' })}${o.due ? ` (${o.due})` : ''}`))],
  ];
  const shown = rows.filter(([, items]) => items.length > 0);
  return h('dl', { class: 'outcomes' }, ...shown.flatMap(([k, items]) => [h('dt', {}, DECISION_TERMS[k][lang]), h('dd', {}, ...items)]));
}

export function renderDecision(out: HTMLElement, r: DecideResult, v: DecisionView): void {
  if (!r.ok) {
    out.replaceChildren(
      r.reason === 'not-compiled'
        ? h('div', { class: 'notice error' }, 'The policies do not compile, so nothing can be decided: fix the errors under Problems. 策略无法编译，暂不能判定。')
        : h(
            'div',
            { class: 'notice error' },
            h('p', {}, 'The event does not match the Event schema 事件不符合事件模式:'),
            h('ul', {}, ...r.errors.map((e) => h('li', {}, h('code', {}, e.path), ` ${e.message}`))),
          ),
    );
    return;
  }
  const d = r.decision;
  const zh = v.lang === 'zh';
  // The version of each cited article that decided, from the decision's own record of them.
  const fileOf = (regulation: string, article: number) => d.policy.articles.find((a) => a.regulation === regulation && a.article === article)?.file;
  const fix = r.remedies[v.lang];
  const quoted = (i: number) => {
    const text = r.explanation.fired[i]?.text;
    return text && h('blockquote', { class: 'article-text', lang: !zh && text.en ? 'en' : 'zh-CN' }, !zh && text.en ? text.en : text.zh);
  };
  const copy = h('button', { type: 'button', class: 'link copy' }, zh ? '复制文字说明' : 'Copy the explanation as text');
  copy.addEventListener('click', () => void navigator.clipboard.writeText(r.text[v.lang]).then(() => (copy.textContent = zh ? '已复制' : 'Copied'), () => undefined));
  fill(
    out,
    h('div', { class: `verdict ${d.allowed ? 'allowed' : 'denied'}`, 'data-verdict': d.allowed ? 'allowed' : 'denied' }, d.allowed ? '允许 · ALLOWED' : '不允许 · DENIED'),
    // What would make it allowed comes first: it is what a denied event's reader asks.
    d.allowed
      ? null
      : h(
          'section',
          { class: 'remedies' },
          h('h3', {}, fix.heading),
          h('ul', {}, ...fix.steps.map((s) => h('li', {}, s.text, ' ', v.articles.chip(s.citation, fileOf(s.citation.regulation, s.citation.article))))),
          h('p', { class: 'conclusion' }, fix.conclusion),
        ),
    outcomes(d, v.glossary, v.lang),
    h('h3', {}, EXPECTATION_TERMS.citations[v.lang]),
    d.citations.length
      ? h('div', { class: 'citations' }, ...d.citations.map((c) => v.articles.chip(c, fileOf(c.regulation, c.article))))
      : h('p', { class: 'muted' }, zh ? '没有规则适用。' : 'No rule applies.'),
    d.trace.length ? h('h3', {}, EXPECTATION_TERMS.fired[v.lang]) : null,
    d.trace.length
      ? h(
          'ol',
          { class: 'trace' },
          ...d.trace.map((t, i) =>
            h(
              'li',
              {},
              ruleLink('div', t, v, 'open the rule'),
              quoted(i),
              h(
                'div',
                { class: 'facts' },
                ...Object.entries(t.facts).map(([k, val]) => h('span', { class: 'fact', title: k }, `${fieldName(v.glossary, k, v.lang)} = ${factValue(v.glossary, k, val, v.lang)}`)),
              ),
            ),
          ),
        )
      : null,
    copy,
  );
}
