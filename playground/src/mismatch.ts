// A failing policy test case, field by field in plain names: what the case expects and what the
// policies decided, each code by its name in the vocabulary, entries one side lacks marked.
import type { Mismatch } from '../../engine/policy-tests.js';
import type { CodeKind } from '../../language/checked.js';
import { parseCitationText } from '../../engine/citation-text.js';
import { CODE_KIND_OF_LIST } from '../../engine/outcomes.js';
import { citationName, EXPECTATION_TERMS, valueName, type Glossary, type Lang } from '../../language/glossary.js';
import { h } from './view.js';

const KIND: Partial<Record<Mismatch['field'], CodeKind>> = CODE_KIND_OF_LIST;

const WORDS = {
  zh: { field: '项目', expected: '预期', actual: '实际', none: '（无）', allowed: '允许', denied: '不允许', until: (d: string) => `至 ${d}`, due: (d: string) => `期限 ${d}`, noDue: '无期限', sep: '；' },
  en: { field: 'Field', expected: 'Expected', actual: 'Decided', none: '(none)', allowed: 'allowed', denied: 'denied', until: (d: string) => `until ${d}`, due: (d: string) => `due ${d}`, noDue: 'no due date', sep: '; ' },
} as const;

/** One entry of a list, or the verdict, in plain words. */
function entry(m: Mismatch, v: unknown, g: Glossary, lang: Lang): string {
  const w = WORDS[lang];
  if (m.field === 'allowed') return v ? w.allowed : w.denied;
  if (m.field === 'citations') {
    const c = parseCitationText(String(v));
    return c ? citationName(c, lang) : String(v);
  }
  const kind = KIND[m.field];
  if (typeof v === 'string') return kind ? valueName(g, v, lang, { kind }) : v;
  if (!v || typeof v !== 'object') return String(v);
  // A retention or obligation, as the case gives it (any of its fields) or as decided.
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => {
      if ((k === 'record' || k === 'code') && typeof x === 'string' && kind) return valueName(g, x, lang, { kind });
      if (k === 'until') return w.until(String(x));
      if (k === 'due') return x === null ? w.noDue : w.due(String(x));
      return k === 'period' ? String(x) : `${k} ${String(x)}`;
    })
    .join(' ');
}

const items = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : [v]);
const key = (v: unknown) => JSON.stringify(v);

/** The mismatch as one line of text: `项目：预期 …；实际 …` (for the gutter's hover). */
export function mismatchLine(m: Mismatch, g: Glossary, lang: Lang): string {
  const w = WORDS[lang];
  const side = (v: unknown) => items(v).map((x) => entry(m, x, g, lang)).join(lang === 'zh' ? '、' : ', ') || w.none;
  return `${EXPECTATION_TERMS[m.field][lang]}${lang === 'zh' ? '：' : ': '}${w.expected} ${side(m.expected)}${w.sep}${w.actual} ${side(m.actual)}`;
}

/** The mismatches of a case as a table, a row a field; the entries the other side lacks are marked. */
export function mismatchTable(ms: readonly Mismatch[], g: Glossary, lang: Lang): HTMLElement {
  const w = WORDS[lang];
  const cell = (m: Mismatch, v: unknown, odd: readonly unknown[] | undefined, cls: string) => {
    // A field that is no list (the verdict) differs as a whole.
    const marked = new Set((odd ?? items(v)).map(key));
    const list = items(v);
    return h('td', {}, ...(list.length ? list.map((x) => h('span', { class: `entry${marked.has(key(x)) ? ` ${cls}` : ''}` }, entry(m, x, g, lang))) : [h('span', { class: 'muted' }, w.none)]));
  };
  return h(
    'table',
    { class: 'mismatch' },
    h('tr', {}, h('th', {}, w.field), h('th', {}, w.expected), h('th', {}, w.actual)),
    ...ms.map((m) => h('tr', { 'data-field': m.field }, h('th', {}, EXPECTATION_TERMS[m.field][lang]), cell(m, m.expected, m.missing, 'missing'), cell(m, m.actual, m.extra, 'extra'))),
  );
}
