// Plain names, in Chinese and English, for event fields and codes: what explanations, hovers and
// reports say instead of a JSON path. Every name comes from the bundle's vocabulary (glossaryOf);
// the terms of the language itself (a decision's lists, a citation) are declared here.
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

export type Lang = 'zh' | 'en';

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
