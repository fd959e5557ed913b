// Explanations: for a decided event, in plain Chinese or English, the outcome, each rule that fired
// with the article text it implements and the facts that made it fire, and for a denied event what
// would make it allowed. Remedies are computed from the rules' conditions, then checked by deciding
// the event again with them applied: nothing here is written per case.
import { cstDayOf, formatDate } from '../language/calendar.js';
import type { CodeKind, Cond } from '../language/checked.js';
import { bindingName, citationName, DECISION_TERMS, factValue, fieldName, glossaryOf, valueName, type Glossary, type Lang } from '../language/glossary.js';
import { indexOf } from '../language/vocabulary.js';
import { newScope, type CompiledPolicy, type Scope } from './compile.js';
import { evaluate } from './evaluate.js';
import { deletionsOf, denies, protecting, type Deletion } from './outcomes.js';
import type { Citation, Decision } from './schema/decision.js';
import type { Event } from './schema/event.js';

/** One change to an event: add a value to a set field, or set a field. Only ever supplies something. */
export type Change = { readonly path: string; readonly add: string } | { readonly path: string; readonly set: unknown };

export interface FiredRule {
  readonly rule: string;
  readonly citation: Citation;
  /** The cited paragraph (or the whole article when none is cited). */
  readonly text: { readonly zh: string; readonly en?: string };
  readonly facts: Readonly<Record<string, unknown>>;
}

export interface Remedy {
  readonly rule: string;
  readonly citation: Citation;
  /** Empty when nothing supplied would lift the rule; `wait` when only time will. */
  readonly changes: readonly Change[];
  readonly wait?: string;
}

export interface Explanation {
  readonly decision: Decision;
  readonly fired: readonly FiredRule[];
  readonly remedies: readonly Remedy[];
  /** With every remedy applied, the event is allowed (checked by deciding it again). */
  readonly remediesSuffice: boolean;
  /** The names the explanation speaks of fields and codes by: its bundle's vocabulary's. */
  readonly glossary: Glossary;
  /** For each of the decision's retentions, in order, the citations of the fired rules that keep its record for its period. */
  readonly retainedBy: readonly (readonly Citation[])[];
}

const MAX_ROUNDS = 6;

export function explain(policy: CompiledPolicy, ev: Event): Explanation {
  const decision = evaluate(policy, ev);
  const fired = decision.trace.map((t) => ({ rule: t.rule, citation: t.citation, text: articleText(policy, t.citation, t.file), facts: t.facts }));
  const glossary = glossaryOf(policy.checked.vocabulary);
  const rules = new Map(policy.checked.articles.flatMap((a) => a.rules.map((r) => [r.id, r] as const)));
  const retainedBy = decision.retention.map((r) =>
    decision.trace.filter((t) => rules.get(t.rule)!.outcomes.some((o) => o.k === 'retain' && o.record === r.record && o.periodText === r.period)).map((t) => t.citation),
  );
  if (decision.allowed) return { decision, fired, remedies: [], remediesSuffice: true, glossary, retainedBy };

  // Lift each denying rule with the first remedy its condition offers; a remedy may bring other rules
  // into play, so decide again and repeat until allowed or nothing more can be supplied.
  const remedies: Remedy[] = [];
  const deletion = deletionsOf(policy.checked.vocabulary).get(ev.type);
  const definitions = new Map(policy.checked.definitions.map((d) => [d.name, d.body]));
  let current = ev;
  let now = decision;
  for (let round = 0; round < MAX_ROUNDS && !now.allowed; round++) {
    const fresh = deniers(policy, now, deletion).filter((r) => !remedies.some((x) => x.rule === r.id));
    if (fresh.length === 0) break;
    for (const r of fresh) {
      const retained = protecting(now, ev, deletion);
      if (retained) {
        remedies.push({ rule: r.id, citation: r.citation, changes: [], wait: retained.until });
        continue;
      }
      const changes = falsify(search(policy, definitions, current), r.when)[0] ?? [];
      remedies.push({ rule: r.id, citation: r.citation, changes });
      current = apply(current, changes);
    }
    now = evaluate(policy, current);
  }
  return { decision, fired, remedies, remediesSuffice: now.allowed && remedies.every((r) => !r.wait), glossary, retainedBy };
}

/** The fired rules that stand in the way: those with an outcome that refuses on the event (a deletion, if `deletion` is given). */
function deniers(policy: CompiledPolicy, d: Decision, deletion: Deletion | undefined) {
  const byId = new Map(policy.checked.articles.flatMap((a) => a.rules.map((r) => [r.id, r] as const)));
  return d.trace
    .map((t) => byId.get(t.rule)!)
    .filter((r) => r.outcomes.some((o) => denies(o, deletion)));
}

function articleText(policy: CompiledPolicy, c: Citation, file: string): { zh: string; en?: string } {
  const versions = policy.checked.articles.filter((a) => a.regulation === c.regulation && a.article === c.article);
  const article = versions.find((a) => a.file === file) ?? versions.at(-1);
  const paragraphs = article?.paragraphs.filter((p) => c.paragraph === undefined || p.number === c.paragraph) ?? [];
  const en = paragraphs.map((p) => p.en).filter((x): x is string => x !== undefined);
  return { zh: paragraphs.map((p) => p.zh).join('\n'), ...(en.length === paragraphs.length && en.length > 0 ? { en: en.join('\n') } : {}) };
}

type Alternatives = Change[][];
const NONE: Alternatives = [];
const NOTHING_TO_DO: Alternatives = [[]];
const MAX_ALTERNATIVES = 4;

/**
 * One search for remedies on one event. Definitions share one another, so each node's answer is kept:
 * the search, like the tests it makes (compiled once with the policy, sharing one scope), visits
 * every node once, however often definitions are used.
 */
interface Search {
  readonly policy: CompiledPolicy;
  readonly definitions: ReadonlyMap<string, Cond>;
  readonly ev: Event;
  readonly scope: Scope;
  readonly falsified: Map<Cond, Alternatives>;
  readonly satisfied: Map<Cond, Alternatives>;
}

const search = (policy: CompiledPolicy, definitions: ReadonlyMap<string, Cond>, ev: Event): Search => ({ policy, definitions, ev, scope: newScope(policy), falsified: new Map(), satisfied: new Map() });

const holds = (s: Search, c: Cond): boolean => s.policy.condition(c)(s.ev, s.scope);

function once(memo: Map<Cond, Alternatives>, c: Cond, find: () => Alternatives): Alternatives {
  let a = memo.get(c);
  if (!a) memo.set(c, (a = find()));
  return a;
}

/** Ways to make `c` false for the event by supplying facts, fewest changes first. */
const falsify = (s: Search, c: Cond): Alternatives => once(s.falsified, c, () => (holds(s, c) ? falsifyHeld(s, c) : NOTHING_TO_DO));

function falsifyHeld(s: Search, c: Cond): Alternatives {
  switch (c.k) {
    case 'not':
      return satisfy(s, c.item);
    case 'all':
      return union(c.items.map((i) => falsify(s, i)));
    case 'any':
      return product(c.items.map((i) => falsify(s, i)));
    case 'ref':
      return falsify(s, definition(s, c.name));
    case 'present':
      return c.present ? NONE : supply(s, c.path);
    default:
      return NONE;
  }
}

/** Ways to make `c` true for the event by supplying facts. */
const satisfy = (s: Search, c: Cond): Alternatives => once(s.satisfied, c, () => (holds(s, c) ? NOTHING_TO_DO : satisfyFailed(s, c)));

function satisfyFailed(s: Search, c: Cond): Alternatives {
  switch (c.k) {
    case 'not':
      return falsify(s, c.item);
    case 'all':
      return product(c.items.map((i) => satisfy(s, i)));
    case 'any':
      return union(c.items.map((i) => satisfy(s, i)));
    case 'ref':
      return satisfy(s, definition(s, c.name));
    case 'flag':
      return [[{ path: c.path, set: true }]];
    case 'has':
      return c.mode === 'all' ? [c.values.map((v) => ({ path: c.path, add: v }))] : c.values.slice(0, MAX_ALTERNATIVES).map((v) => [{ path: c.path, add: v }]);
    case 'meets':
      return c.accepted.slice(0, MAX_ALTERNATIVES).map((v) => [{ path: c.path, add: v }]);
    case 'present':
      return c.present ? supply(s, c.path) : NONE;
    default:
      return NONE;
  }
}

const definition = (s: Search, name: string): Cond => s.definitions.get(name) ?? { k: 'const', value: false };

/** A missing date is supplied as the event's own day (a filing made today); nothing else can be invented. */
function supply(s: Search, path: string): Alternatives {
  return indexOf(s.policy.checked.vocabulary).fields.get(path)?.type.t === 'date' ? [[{ path, set: formatDate(cstDayOf(s.ev.occurredAt)!) }]] : NONE;
}

const size = (a: Change[]) => a.length;
function union(parts: Alternatives[]): Alternatives {
  return parts.flat().sort((a, b) => size(a) - size(b)).slice(0, MAX_ALTERNATIVES);
}
function product(parts: Alternatives[]): Alternatives {
  let out: Alternatives = NOTHING_TO_DO;
  for (const p of parts) {
    if (p.length === 0) return NONE;
    // A change two parts both need is made once: a definition used twice asks for the same facts.
    out = out.flatMap((a) => p.map((b) => [...a, ...b.filter((x) => !a.some((y) => sameChange(x, y)))])).slice(0, MAX_ALTERNATIVES);
  }
  return out;
}

const sameChange = (x: Change, y: Change): boolean => x.path === y.path && ('add' in x ? 'add' in y && x.add === y.add : 'set' in y && x.set === y.set);

function apply(ev: Event, changes: readonly Change[]): Event {
  const out = structuredClone(ev) as unknown as Record<string, Record<string, unknown>>;
  for (const ch of changes) {
    const [head, leaf] = ch.path.split('.') as [string, string | undefined];
    const holder = leaf === undefined ? (out as unknown as Record<string, unknown>) : (out[head] ??= {});
    const key = leaf ?? head;
    if ('add' in ch) holder[key] = [...((holder[key] as string[] | undefined) ?? []), ch.add].filter((v, i, a) => a.indexOf(v) === i);
    else holder[key] = ch.set;
  }
  return out as unknown as Event;
}

// ---------------------------------------------------------------- text

const WORDS = {
  zh: {
    allowed: '允许',
    denied: '不允许',
    event: (e: Event, day: string) => `事件 ${e.id}（${e.type}，北京时间 ${day}）`,
    why: '依据',
    because: '因为',
    fix: '怎样才能允许',
    fixNone: '补充任何信息都不能使其允许：',
    suffices: '已验证：补充以上各项后，该事件即被允许。',
    insufficient: '注意：补充以上各项后仍不被允许。',
    add: (g: Glossary, path: string, v: string) => `在「${fieldName(g, path, 'zh')}」中补充：${valueName(g, v, 'zh', { path })}`,
    set: (g: Glossary, path: string, v: unknown) => (v === true ? `使「${fieldName(g, path, 'zh')}」成立` : `提供「${fieldName(g, path, 'zh')}」：${String(v)}`),
    wait: (until: string) => `保存期至 ${until} 届满，次日起方可删除`,
    until: (until: string) => `至 ${until}`,
    due: (due: string) => `期限 ${due}`,
  },
  en: {
    allowed: 'ALLOWED',
    denied: 'DENIED',
    event: (e: Event, day: string) => `Event ${e.id} (${e.type}, ${day} in Beijing)`,
    why: 'Why',
    because: 'because',
    fix: 'What would make it allowed',
    fixNone: 'Nothing that could be supplied lifts this:',
    suffices: 'Checked: with all of the above the event is allowed.',
    insufficient: 'Note: even with all of the above the event is not allowed.',
    add: (g: Glossary, path: string, v: string) => `add ${valueName(g, v, 'en', { path })} to ${fieldName(g, path, 'en')} (${path})`,
    set: (g: Glossary, path: string, v: unknown) => (v === true ? `make "${fieldName(g, path, 'en')}" true (${path})` : `supply ${fieldName(g, path, 'en')} (${path}): ${String(v)}`),
    wait: (until: string) => `wait: the record must be kept through ${until}; it may be deleted from the next day`,
    until: (until: string) => `until ${until}`,
    due: (due: string) => `due ${due}`,
  },
} as const;

export function renderExplanation(x: Explanation, ev: Event, lang: Lang): string {
  const w = WORDS[lang];
  const d = x.decision;
  const g = x.glossary;
  const list = (codes: readonly string[], kind: CodeKind) => codes.map((c) => valueName(g, c, lang, { kind })).join(lang === 'zh' ? '、' : ', ');
  const lines = [`${w.event(ev, formatDate(cstDayOf(ev.occurredAt)!))}${lang === 'zh' ? '：' : ': '}${d.allowed ? w.allowed : w.denied}`];
  const name = (list: keyof typeof DECISION_TERMS) => DECISION_TERMS[list][lang];
  if (d.verification.length) lines.push(`${name('verification')}: ${list(d.verification, 'verification')}`);
  if (d.labeling.length) lines.push(`${name('labeling')}: ${list(d.labeling, 'label')}`);
  if (d.disposal.length) lines.push(`${name('disposal')}: ${list(d.disposal, 'disposal')}`);
  d.retention.forEach((r, i) => {
    const standing = bindingName(r, lang);
    const by = x.retainedBy[i]!.map((c) => citationName(c, lang)).join(lang === 'zh' ? '、' : ', ');
    lines.push(`${name('retention')}: ${valueName(g, r.record, lang, { kind: 'record' })} ${w.until(r.until)} (${r.period}${standing ? `${lang === 'zh' ? '，' : ', '}${standing}` : ''})${by ? ` — ${by}` : ''}`);
  });
  if (d.obligations.length) lines.push(`${name('obligations')}: ${d.obligations.map((o) => `${valueName(g, o.code, lang, { kind: 'obligation' })}${o.due ? ` (${w.due(o.due)})` : ''}`).join(lang === 'zh' ? '；' : '; ')}`);
  const colon = lang === 'zh' ? '：' : ':';
  if (x.fired.length) lines.push('', `${w.why}${colon}`);
  x.fired.forEach((f, i) => {
    lines.push(`  ${i + 1}. ${citationName(f.citation, lang)} — ${f.rule}`);
    const text = lang === 'en' && f.text.en ? f.text.en : f.text.zh;
    for (const t of text.split('\n')) lines.push(`     “${t}”`);
    const facts = Object.entries(f.facts).map(([k, v]) => `${fieldName(g, k, lang)} = ${factValue(g, k, v, lang)}`);
    if (facts.length) lines.push(`     ${w.because}${colon}${lang === 'zh' ? '' : ' '}${facts.join(lang === 'zh' ? '；' : '; ')}`);
  });
  if (!d.allowed) {
    const fix = remedyText(x, lang);
    lines.push('', `${fix.heading}${colon}`, ...fix.steps.map((s) => `  • ${s.text} — ${citationName(s.citation, lang)}`), `  ${fix.conclusion}`);
  }
  return lines.join('\n');
}

/** What would make a denied event allowed, in words: a step per change (or wait), each with the citation of the rule it lifts, and whether they were checked to suffice. */
export interface RemedyText {
  readonly heading: string;
  readonly steps: readonly { readonly text: string; readonly citation: Citation }[];
  readonly conclusion: string;
}

export function remedyText(x: Explanation, lang: Lang): RemedyText {
  const w = WORDS[lang];
  const g = x.glossary;
  const steps = x.remedies.flatMap((r) => {
    if (r.wait) return [{ text: w.wait(r.wait), citation: r.citation }];
    if (r.changes.length === 0) return [{ text: `${w.fixNone} ${r.rule}`, citation: r.citation }];
    return r.changes.map((ch) => ({ text: 'add' in ch ? w.add(g, ch.path, ch.add) : w.set(g, ch.path, ch.set), citation: r.citation }));
  });
  return { heading: w.fix, steps, conclusion: x.remediesSuffice ? w.suffices : w.insufficient };
}
