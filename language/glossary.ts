// Plain names, in Chinese and English, for event fields and codes: what explanations, hovers and
// reports say instead of a JSON path. Every name comes from the bundle's vocabulary (glossaryOf);
// the terms of the language itself (a decision's lists, a citation) are declared here.
import { PERIOD_SYNTAX } from './calendar.js';
import type { CodeKind, Vocabulary } from './checked.js';

export interface Term {
  readonly zh: string;
  readonly en: string;
}

const t = (zh: string, en: string): Term => ({ zh, en });

/**
 * A vocabulary's names as plain data (it crosses from the playground's worker to its page): each
 * field's, each enumeration's values', and which enumeration holds each kind of code.
 */
export interface Glossary {
  readonly fields: Readonly<Record<string, Term & { readonly enumeration?: string }>>;
  readonly values: Readonly<Record<string, Readonly<Record<string, Term>>>>;
  readonly codes: Readonly<Partial<Record<CodeKind, string>>>;
}

// A pure function of the (immutable) vocabulary, remembered per vocabulary.
const glossaries = new WeakMap<Vocabulary, Glossary>();

export function glossaryOf(v: Vocabulary): Glossary {
  let g = glossaries.get(v);
  if (!g) {
    const fields = Object.fromEntries(v.fields.map((f) => [f.path, { zh: f.zh, en: f.en, ...('enumeration' in f.type && { enumeration: f.type.enumeration }) }]));
    const values = Object.fromEntries(v.enumerations.map((e) => [e.name, Object.fromEntries(e.values.map((x) => [x.name, t(x.zh, x.en)]))]));
    const codes = Object.fromEntries(v.enumerations.flatMap((e) => (e.codes ? [[e.codes, e.name]] : [])));
    glossaries.set(v, (g = { fields, values, codes }));
  }
  return g;
}

/** Han characters: a run of them outside quotes is a name written in Chinese (tokens.ts lexes it as one word). */
export const CHINESE = '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]';
export const isChinese = (word: string): boolean => new RegExp(`^${CHINESE}+$`).test(word);

/**
 * The names whose Chinese name is `word`, contains it or is contained in it, the closest first: what
 * a word typed in Chinese may have meant (`已认证` → actor.verified, 已认证的真实身份信息).
 */
export function byChineseName<T extends { readonly zh: string }>(word: string, terms: readonly T[], max = 3): T[] {
  const rank = (t: T): number => (t.zh === word ? 0 : t.zh.startsWith(word) ? 1 : t.zh.includes(word) ? 2 : word.includes(t.zh) ? 3 : -1);
  return terms
    .map((t) => [t, rank(t)] as const)
    .filter(([, r]) => r >= 0)
    .sort((a, b) => a[1] - b[1] || a[0].zh.length - b[0].zh.length)
    .slice(0, max)
    .map(([t]) => t);
}

/** Where a value is named: in the enumeration of the field it was read from, or of its kind of code. */
export type Where = { readonly path: string } | { readonly kind: CodeKind };

/** The lists of a decision, by their plain names. */
export const DECISION_TERMS = {
  verification: t('尚缺的身份认证', 'Identity checks still missing'),
  labeling: t('须加注标识', 'Labels the content must carry'),
  disposal: t('处置措施', 'Measures to take'),
  retention: t('须保存', 'Keep'),
  obligations: t('须履行的义务', 'Obligations'),
} as const satisfies Record<string, Term>;

/** What a policy test case may expect of a decision, by plain names: the lists, and the verdict, citations and rules fired. */
export const EXPECTATION_TERMS = {
  allowed: t('判定', 'Verdict'),
  ...DECISION_TERMS,
  citations: t('依据', 'Citations'),
  fired: t('触发的规则', 'Rules that fired'),
} as const satisfies Record<string, Term>;

export type Lang = 'zh' | 'en';

/** A retention's standing, said where a decision keeps one record kind under more than one period (`binding`). */
export const BINDING_TERMS = {
  binding: t('以此为准', 'binding'),
  met: t('已为更长期限涵盖', 'met by the longer period'),
} as const satisfies Record<string, Term>;

/** How a retention's standing is said: nothing for a kind kept once. */
export const bindingName = (r: { readonly binding?: boolean }, lang: Lang): string | undefined =>
  r.binding === undefined ? undefined : BINDING_TERMS[r.binding ? 'binding' : 'met'][lang];

/** The units of PERIOD_SYNTAX's groups, in its order. */
const PERIOD_UNITS = [t('年', 'year'), t('个月', 'month'), t('周', 'week'), t('日', 'day')] as const;

/** An ISO 8601 period in words: `P60D` is 「60 日」, `60 days`; `P1Y6M` is 「1 年 6 个月」, `1 year 6 months`. Anything else as it is. */
export function periodName(text: string, lang: Lang): string {
  const parts = PERIOD_SYNTAX.exec(text);
  if (!parts) return text;
  return PERIOD_UNITS.flatMap((unit, i) => {
    const x = parts[i + 1];
    if (x === undefined) return [];
    const n = Number(x);
    return [lang === 'zh' ? `${n} ${unit.zh}` : `${n} ${unit.en}${n === 1 ? '' : 's'}`];
  }).join(' ');
}

export const fieldName = (g: Glossary, path: string, lang: Lang): string => g.fields[path]?.[lang] ?? path;

/** A value or code by its name; one the vocabulary does not name (an id, a text) as it is. */
export function valueName(g: Glossary, value: string, lang: Lang, where?: Where): string {
  const enumeration = where && ('path' in where ? g.fields[where.path]?.enumeration : g.codes[where.kind]);
  return g.values[enumeration ?? '']?.[value]?.[lang] ?? value;
}

/** A fact a rule read at `path`, as explanations show it: codes by name, a list joined, an absent one said so. */
export function factValue(g: Glossary, path: string, v: unknown, lang: Lang): string {
  if (v === null) return lang === 'zh' ? '未提供' : 'not given';
  if (Array.isArray(v)) return v.length === 0 ? '[]' : v.map((x) => valueName(g, String(x), lang, { path })).join(lang === 'zh' ? '、' : ', ');
  if (typeof v === 'string') return valueName(g, v, lang, { path });
  return String(v);
}

/** `live-2016 第12条第1款`, `live-2016 art. 12 para. 1`: a citation as explanations and hovers name it. */
export function citationName(c: { readonly regulation: string; readonly article: number; readonly paragraph?: number }, lang: Lang): string {
  const { regulation, article, paragraph } = c;
  return lang === 'zh' ? `${regulation} 第${article}条${paragraph ? `第${paragraph}款` : ''}` : `${regulation} art. ${article}${paragraph ? ` para. ${paragraph}` : ''}`;
}
