// What a comparison says to a lawyer: which rules an edit changed, the witness a lawyer expects of
// each change (an event of a type the changed rule speaks of, first the one it names first; dates
// while its regulation was in force; the policy tests' fixtures where they fit) and each change's
// headline in plain Chinese and English (「发布内容和日志信息保存期限：60 日 → 90 日，至 2019-05-30」),
// with the articles it belongs to. compare.ts asks; nothing here decides.
import { cstDayOf, parseDate } from '../../language/calendar.js';
import type { CheckedRule } from '../../language/checked.js';
import { citationName, DECISION_TERMS, periodName, valueName, type Glossary, type Lang, type Term } from '../../language/glossary.js';
import { articleKey, citationText } from '../citation-text.js';
import type { CompiledPolicy } from '../compile.js';
import { CODE_KIND_OF_LIST, type OutcomeList } from '../outcomes.js';
import type { Decision } from '../schema/decision.js';
import { parentOf, type EventTerms } from './event-smt.js';
import type { Bool } from './solver.js';

/** The rules whose text (spans aside) differs between the revisions, or that only one has; base's first. */
export function changedRules(base: CompiledPolicy, head: CompiledPolicy): CheckedRule[] {
  const rules = (p: CompiledPolicy) => new Map(p.checked.articles.flatMap((a) => a.rules.map((r) => [r.id, r] as const)));
  const [b, h] = [rules(base), rules(head)];
  const text = (r: CheckedRule | undefined) => JSON.stringify(r, (k, v: unknown) => (k === 'span' ? undefined : v));
  const ids = [...new Set([...b.keys(), ...h.keys()])].filter((id) => text(b.get(id)) !== text(h.get(id)));
  return ids.flatMap((id) => [b.get(id), h.get(id)].filter((r): r is CheckedRule => r !== undefined));
}

/** The changed rules that speak of an observable (`retention:content_and_logs` …); all of them when none does. */
export function rulesBehind(observable: string, changed: readonly CheckedRule[]): CheckedRule[] {
  const [list, code] = observable.split(/:(.*)/) as [string, string | undefined];
  const speaks = (r: CheckedRule): boolean => {
    if (list === 'allowed') return r.outcomes.some((o) => o.k === 'deny' || o.k === 'verification' || o.k === 'retain');
    if (list === 'citations') return citationText(r.citation) === code;
    return r.outcomes.some((o) => (o.k === 'retain' ? list === 'retention' && o.record === code : o.k !== 'deny' && o.code === code));
  };
  const behind = changed.filter(speaks);
  return behind.length > 0 ? behind : [...changed];
}

/** `live-2016 16` of each rule, sorted and once each. */
export const articlesOf = (rules: readonly CheckedRule[]): string[] => [...new Set(rules.map((r) => articleKey(r.citation)))].sort();

/**
 * What a witness for a change behind `rules` should be, most important first (before the usual
 * preferences of witness.ts): of an event type the rules speak of, the first one named first; a
 * deleted record made while their regulations were in force; then each fixture, whole, where it
 * fits (latest first: the law as it stands, every regulation in force).
 */
export function lawyerPreferences(terms: EventTerms, head: CompiledPolicy, rules: readonly CheckedRule[], fixtures: readonly Record<string, unknown>[]): Bool[] {
  const { z3 } = terms;
  const types = [...new Set(rules.flatMap((r) => r.on))].filter((t) => terms.vocab.events.has(t));
  const inForce = Math.max(...rules.map((r) => head.checked.regulations.find((g) => g.id === r.regulation)?.inForce ?? -Infinity));
  // The record a deletion deletes is there on that event only, and was made while the rules applied.
  const records = head.checked.vocabulary.events.flatMap((e) => {
    const f = e.deletes && terms.fields.get(e.deletes.created);
    const object = e.deletes && parentOf(e.deletes.created);
    const present = object === undefined ? undefined : terms.objects.get(object);
    return [
      ...(present ? [z3.Implies(z3.Not(terms.isType(e.type)), z3.Not(present))] : []),
      ...(f && f.t !== 'bool' && f.t !== 'set' && Number.isFinite(inForce) ? [z3.Implies(z3.And(terms.isType(e.type), f.present), f.value.ge(inForce))] : []),
    ];
  });
  const dated = (f: Record<string, unknown>) => (typeof f['occurredAt'] === 'string' ? (cstDayOf(f['occurredAt']) ?? 0) : 0);
  const byDate = [...fixtures].sort((a, b) => dated(b) - dated(a));
  return [
    ...(types.length > 0 ? [z3.Or(...types.map(terms.isType)), ...types.map(terms.isType)] : []),
    ...records,
    ...byDate.flatMap((f) => {
      const holds = fixtureTerms(terms, f, '');
      return holds.length > 0 ? [z3.And(...holds)] : [];
    }),
  ];
}

/** The fixture's values as terms: each field it gives that the analysis reads (texts aside: their values are named after the model). */
function fixtureTerms(terms: EventTerms, value: unknown, path: string): Bool[] {
  const { z3 } = terms;
  if (path === 'type') return typeof value === 'string' && terms.vocab.events.has(value) ? [terms.isType(value)] : [];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).flatMap(([k, v]) => fixtureTerms(terms, v, path ? `${path}.${k}` : k));
  const f = terms.fields.get(path);
  if (!f) return [];
  const is = (b: Bool | undefined): Bool[] => (b ? [f.present, b] : []);
  switch (f.t) {
    case 'bool':
      return typeof value === 'boolean' ? is(value ? f.value : z3.Not(f.value)) : [];
    case 'int':
      return typeof value === 'number' ? is(f.value.eq(value)) : [];
    case 'enum':
      return f.values.includes(String(value)) ? is(f.value.eq(f.values.indexOf(String(value)))) : [];
    case 'date': {
      const day = typeof value === 'string' ? parseDate(value) : undefined;
      return day === undefined ? (value === null ? [z3.Not(f.present)] : []) : is(f.value.eq(day));
    }
    case 'timestamp': {
      const day = typeof value === 'string' ? cstDayOf(value) : undefined;
      return day === undefined ? [] : is(f.value.eq(day));
    }
    case 'set':
      return Array.isArray(value) ? [f.present, ...[...f.members].map(([m, b]) => (value.includes(m) ? b : z3.Not(b)))] : [];
    case 'string':
      return [];
  }
}

const W = {
  zh: { none: '不保存', kept: '保存期限', until: '至', allowed: '允许', denied: '不允许', added: '新增', removed: '不再有', cites: '依据', due: '期限', noDue: '无期限', sep: '：', comma: '，', decided: '判定' },
  en: { none: 'not kept', kept: 'kept', until: 'until', allowed: 'allowed', denied: 'denied', added: 'added', removed: 'removed', cites: 'Cites', due: 'due', noDue: 'no due date', sep: ': ', comma: ', ', decided: 'decision' },
} as const;

/** The entry of a record kind that binds (`binding`, or its only one). */
const bindingOf = (entries: readonly Decision['retention'][number][]) => entries.find((r) => r.binding !== false);

/**
 * A change in words, for the event type (by its name) and the part that changes, from its value
 * under base and head (compare.ts `part`): 「发布内容和日志信息保存期限：60 日 → 90 日，至 2019-05-30」,
 * "Published content and logs kept: 60 days → 90 days, until 2019-05-30".
 */
export function headline(g: Glossary, eventName: Term, observable: string, before: unknown, after: unknown, lang: Lang): string {
  const text = said(g, eventName, observable, before, after, lang);
  return lang === 'en' ? `${text[0]!.toUpperCase()}${text.slice(1)}` : text;
}

function said(g: Glossary, eventName: Term, observable: string, before: unknown, after: unknown, lang: Lang): string {
  const w = W[lang];
  const [list, code = ''] = observable.split(/:(.*)/) as [string, string | undefined];
  const flip = (b: unknown, a: unknown, yes: string, no: string) => `${b ? yes : no} → ${a ? yes : no}`;
  switch (list) {
    case 'allowed':
      return `${eventName[lang]}${w.sep}${flip(before, after, w.allowed, w.denied)}`;
    case 'citations': {
      const [regulation = '', where = ''] = code.split(' ');
      const [article, paragraph] = where.split('.').map(Number) as [number, number?];
      return `${w.cites}${w.sep}${after ? w.added : w.removed} ${citationName({ regulation, article: article!, ...(paragraph === undefined ? {} : { paragraph }) }, lang)}`;
    }
    case 'retention': {
      const [b, a] = [bindingOf(before as Decision['retention']), bindingOf(after as Decision['retention'])];
      const name = valueName(g, code, lang, { kind: 'record' });
      const title = lang === 'zh' ? `${name}${w.kept}` : `${name} ${w.kept}`;
      const period = (r: typeof b) => (r ? periodName(r.period, lang) : w.none);
      const last = a ?? b;
      const change = b && a && b.period === a.period ? `${w.until} ${b.until} → ${a.until}` : `${period(b)} → ${period(a)}${last ? `${w.comma}${w.until} ${last.until}` : ''}`;
      return `${title}${w.sep}${change}`;
    }
    case 'obligations': {
      const [b, a] = [before, after] as Decision['obligations'][];
      const name = valueName(g, code, lang, { kind: 'obligation' });
      const due = (o: Decision['obligations']) => (o.length === 0 ? w.removed : o.map((x) => (x.due ? `${w.due} ${x.due}` : w.noDue)).join(', '));
      return `${name}${w.sep}${b!.length === 0 ? `${w.added} ${due(a!)}` : `${due(b!)} → ${due(a!)}`}`;
    }
    default: {
      const term = DECISION_TERMS[list as OutcomeList] as Term | undefined;
      return `${term?.[lang] ?? list}${w.sep}${after ? w.added : w.removed} ${valueName(g, code, lang, { kind: CODE_KIND_OF_LIST[list as OutcomeList] })}`;
    }
  }
}
