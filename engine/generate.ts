// Decision plan → JavaScript. Each segment of an event type's days (compile.ts) becomes one function
// that tests its rules and assembles the decision, each outcome's place in it worked out here, once:
// which flag a code sets, the order codes and citations are listed in, which outcome refuses.
//
// What the source may hold: JavaScript's own syntax, numbers, the generator's names, and the keys
// of vocabulary fields that are plain identifiers. Every string of a policy (a compared value, a
// code, a rule's name, a file) and any other key is an index into the constant table `C`, so no
// policy can write code. What the code calls is `L`, the runtime below: the operators' predicates
// (language/operators.ts), the calendar, and what outcomes mean (outcomes.ts).
import { addPeriod, formatDate, pastRestDays, type DayNumber, type Period, type RestDays } from '../language/calendar.js';
import type * as K from '../language/checked.js';
import { OPERATORS, operatorOf } from '../language/operators.js';
import { asDay } from './fields.js';
import { CODE_KINDS, denies, isCodeOutcome, keptFrom, keptOnDeletion, LIST_OF, markBinding, type Deletion } from './outcomes.js';
import type { Citation, Decision, Obligation, Retention } from './schema/decision.js';
import type { Event } from './schema/event.js';

/** A segment's decision on an event of its type on CST day `day`; `traced`, with the facts behind each trace entry. */
export type SegmentDecide = (ev: Event, day: DayNumber, traced: boolean) => Decision;

/** A condition over an event, definitions remembered in `memo` (one per event, `newMemo`). */
export type CondTest = (ev: Event, memo: number[]) => boolean;

/** What `generate` is asked for: each segment's consulted versions and rules, in the order the decision lists fired rules. */
interface PlannedSegment {
  readonly consulted: readonly Decision['policy']['articles'][number][];
  readonly rules: readonly K.CheckedRule[];
  readonly deletion: Deletion | undefined;
}

interface Program {
  /** The segments' functions, in the order asked. */
  readonly segments: readonly SegmentDecide[];
  /** Any condition of the bundle as a test, generated on first use. */
  readonly condition: (c: K.Cond) => CondTest;
  /** A fresh memo for one event's definitions. */
  readonly newMemo: () => number[];
  /** The generated source, for tests and for reading. */
  readonly source: string;
}

/** A fact as a trace shows it: a set sorted (so the trace cannot depend on the event's order), an object by its presence, absent as null. */
const traced = (v: unknown): unknown => (Array.isArray(v) ? (v.length < 2 ? v.slice() : (v as string[]).slice().sort()) : v !== null && typeof v === 'object' ? true : (v ?? null));

interface Keyed<T> {
  readonly key: string;
  readonly value: T;
}
function keep<T>(list: Keyed<T>[], key: string, value: T): void {
  for (let i = 0; i < list.length; i++) if (list[i]!.key === key) return;
  list.push({ key, value });
}
/** The values, in the order of their keys (UTF-16 code units, as the default sort). */
const byKey = <T>(list: Keyed<T>[] | undefined): T[] =>
  list === undefined ? [] : (list.length > 1 ? list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) : list).map((e) => e.value);

/** A day moved by a period; an absent day stays absent. */
const shifted = (day: unknown, period: Period, sign: 1 | -1): DayNumber | undefined => (typeof day === 'number' ? addPeriod(day, period, sign) : undefined);
/** A last day moved past rest days (民法典 art. 203); an absent day stays absent. */
const moved = (rest: RestDays, day: unknown): DayNumber | undefined => (typeof day === 'number' ? pastRestDays(rest, day) : undefined);

/** What generated code calls. Frozen: it is shared by every program. */
const RUNTIME = Object.freeze({
  ops: OPERATORS.map((o) => o.holds),
  hasOwn: Object.hasOwn,
  asDay,
  traced,
  shifted,
  moved,
  keptFrom,
  keptOnDeletion,
  retain(list: Keyed<Retention>[], record: Retention['record'], period: string, until: DayNumber): void {
    const r: Retention = { record, period, until: formatDate(until) };
    keep(list, `${r.record}\0${r.until}\0${r.period}`, r);
  },
  oblige(list: Keyed<Obligation>[], code: Obligation['code'], due: unknown): void {
    const o: Obligation = typeof due === 'number' ? { code, due: formatDate(due) } : { code };
    keep(list, `${o.code}\0${o.due ?? ''}`, o);
  },
  retention(list: Keyed<Retention>[] | undefined): Retention[] {
    const r = byKey(list);
    markBinding(r);
    return r;
  },
  byKey,
  /** The facts a rule read (`read[j]` set for field j), keys in the `order` given. */
  facts(ev: Event, read: readonly number[], order: readonly (readonly [number, string])[], readers: readonly ((ev: Event) => unknown)[]): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const [j, path] of order) {
      if (read[j] !== 1) continue;
      // Assigned, a key __proto__ would set the object's prototype: it is defined.
      if (path === '__proto__') Object.defineProperty(o, path, { value: traced(readers[j]!(ev)), enumerable: true, writable: true, configurable: true });
      else o[path] = traced(readers[j]!(ev));
    }
    return o;
  },
});

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** How source names property `k`: written out when it is a plain identifier (a vocabulary's), else a constant. */
export function member(c: Constants, k: string): { readonly has: string; readonly get: string } {
  if (IDENTIFIER.test(k) && k !== '__proto__') return { has: JSON.stringify(k), get: `.${k}` };
  const ref = c.ref(k);
  return { has: ref, get: `[${ref}]` };
}
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** A number's digits after a character counting them, so that keys order numbers by value however many digits. */
const pad = (n: number): string => String.fromCharCode(String(n).length) + String(n);
const citationKey = (c: K.CheckedCitation): string => `${c.regulation}\0${pad(c.article)}\0${pad(c.paragraph ?? 0)}`;
/** The order a decision lists fired rules in: by regulation, article (numerically) and name. */
const ruleKey = (r: K.CheckedRule): string => `${r.regulation}\0${pad(r.article)}\0${r.name}`;
export const byRuleKey = (a: K.CheckedRule, b: K.CheckedRule): number => cmp(ruleKey(a), ruleKey(b));
const citationOf = (c: K.CheckedCitation): Citation =>
  Object.freeze(c.paragraph === undefined ? { regulation: c.regulation, article: c.article } : { regulation: c.regulation, article: c.article, paragraph: c.paragraph });

/** A number as source: integers and finite numbers print as themselves, in parentheses for a sign. */
export const num = (n: number): string => {
  if (!Number.isFinite(n)) throw new Error(`generate: ${n} is not a finite number`);
  return `(${String(n)})`;
};

/**
 * Source → function: the one place in the engine where text becomes code. The source reads its
 * constants as `C` and what it calls as `L`; it never holds a policy's strings.
 */
export function instantiate<T>(source: string, constants: readonly unknown[], runtime: object, ...more: [name: string, value: unknown][]): T {
  return new Function('C', 'L', ...more.map(([n]) => n), source)(Object.freeze([...constants]), runtime, ...more.map(([, v]) => v)) as T;
}

/** The constant table, and the source that names each entry. Equal primitives share an entry; objects are entered by identity. */
export class Constants {
  readonly list: unknown[] = [];
  private readonly at = new Map<unknown, number>();
  ref(v: unknown): string {
    let i = this.at.get(v);
    if (i === undefined) {
      i = this.list.push(v) - 1;
      this.at.set(v, i);
    }
    return `C[${i}]`;
  }
}

/** One generation: the constants, the field readers and definitions it has named. */
class Gen {
  readonly fields = new Map<string, number>();
  readonly fieldSource: string[] = [];
  constructor(
    readonly c: Constants,
    readonly definitions: ReadonlyMap<string, number>,
    readonly rest: RestDays,
    /** How a definition is called: by its generated function, or through the program's table. */
    readonly definition: (i: number, traced: boolean) => string,
  ) {}

  /** The reader of a field's raw value (own properties only; null reads as absent), by its index. */
  field(path: string): number {
    let j = this.fields.get(path);
    if (j !== undefined) return j;
    j = this.fields.size;
    this.fields.set(path, j);
    const steps = path.split('.').map((k) => {
      const { has, get } = member(this.c, k);
      return `v = v !== null && typeof v === 'object' && hasOwn(v, ${has}) ? v${get} : undefined;`;
    });
    this.fieldSource.push(`function f${j}(ev) { let v = ev; ${steps.join(' ')} return v === null ? undefined : v; }`);
    return j;
  }

  read(path: string, traced: boolean): string {
    const j = this.field(path);
    return traced ? `(R[${j}] = 1, f${j}(ev))` : `f${j}(ev)`;
  }

  value(v: K.Value, traced: boolean): string {
    switch (v.k) {
      case 'const':
        return typeof v.value === 'string' ? this.c.ref(v.value) : typeof v.value === 'number' ? num(v.value) : String(v.value === true);
      case 'date':
        return num(v.day);
      case 'field': {
        const raw = this.read(v.path, traced);
        const { t } = v.type;
        return t === 'date' || t === 'timestamp' ? `asDay(${raw}, ${JSON.stringify(t)})` : raw;
      }
      case 'shift':
      case 'moved': {
        // A date the policy names, moved by periods and past rest days, is the same day for every event.
        const fixed = constantDay(v, this.rest);
        if (fixed !== undefined) return num(fixed);
        const base = this.value(v.base, traced);
        return v.k === 'shift' ? `L.shifted(${base}, ${this.c.ref(v.period)}, ${num(v.sign)})` : `L.moved(${this.c.ref(this.rest)}, ${base})`;
      }
    }
  }

  /** A condition as a boolean expression; each operator by its predicate in language/operators.ts. */
  cond(c: K.Cond, traced: boolean): string {
    switch (c.k) {
      case 'always':
        return 'true';
      case 'const':
        return String(c.value === true);
      case 'all':
        return c.items.length === 0 ? 'true' : `(${c.items.map((i) => this.cond(i, traced)).join(' && ')})`;
      case 'any':
        return c.items.length === 0 ? 'false' : `(${c.items.map((i) => this.cond(i, traced)).join(' || ')})`;
      case 'not':
        return `!${this.cond(c.item, traced)}`;
      case 'ref': {
        const i = this.definitions.get(c.name);
        return i === undefined ? 'false' : this.definition(i, traced);
      }
      case 'flag':
      case 'present':
        return `${op(c)}(${this.read(c.path, traced)})`;
      case 'cmp':
        // Both sides are read, whatever the first gives: the trace shows every fact a rule consulted.
        return `${op(c)}(${this.value(c.left, traced)}, ${this.value(c.right, traced)})`;
      case 'oneOf':
        return `${op(c)}(${this.value(c.left, traced)}, ${this.c.ref(c.values)})`;
      case 'has':
      case 'meets':
        return `${op(c)}(${this.read(c.path, traced)}, ${this.c.ref(c.k === 'has' ? c.values : c.accepted)})`;
    }
  }
}

const op = (c: K.Cond): string => `O${OPERATORS.indexOf(operatorOf(c)!)}`;
/** The operators' predicates and the runtime's functions, as the names the source calls them by. */
const PRELUDE = [
  `const { hasOwn, asDay } = L;`,
  `const ${OPERATORS.map((_, i) => `O${i} = L.ops[${i}]`).join(', ')};`,
].join('\n');

/** An array of `n` zeros as a literal: small integers, made faster than a typed array. */
const zeros = (n: number): string => `[${new Array<number>(n).fill(0).join(', ')}]`;

/** The day a value names whatever the event, when it reads no field of it. */
export function constantDay(v: K.Value, rest: RestDays): DayNumber | undefined {
  switch (v.k) {
    case 'date':
      return v.day;
    case 'shift':
      return shifted(constantDay(v.base, rest), v.period, v.sign);
    case 'moved':
      return moved(rest, constantDay(v.base, rest));
    default:
      return undefined;
  }
}

/** Every field path a condition may read, definitions included. */
function pathsOf(c: K.Cond, definitions: readonly K.CheckedDefinition[], index: ReadonlyMap<string, number>, into = new Set<string>(), seen = new Set<number>()): Set<string> {
  const value = (v: K.Value): void => {
    if (v.k === 'field') into.add(v.path);
    else if (v.k === 'shift' || v.k === 'moved') value(v.base);
  };
  switch (c.k) {
    case 'all':
    case 'any':
      c.items.forEach((i) => pathsOf(i, definitions, index, into, seen));
      break;
    case 'not':
      pathsOf(c.item, definitions, index, into, seen);
      break;
    case 'ref': {
      const i = index.get(c.name);
      if (i !== undefined && !seen.has(i)) {
        seen.add(i);
        pathsOf(definitions[i]!.body, definitions, index, into, seen);
      }
      break;
    }
    case 'flag':
    case 'present':
    case 'has':
    case 'meets':
      into.add(c.path);
      break;
    case 'cmp':
      value(c.left);
      value(c.right);
      break;
    case 'oneOf':
      value(c.left);
      break;
  }
  return into;
}

/** The program of a checked bundle's segments: one function each, and its definitions, rules and readers. */
export function generate(checked: K.CheckedBundle, digest: string, rest: RestDays, planned: readonly PlannedSegment[]): Program {
  const c = new Constants();
  const definitions = new Map(checked.definitions.map((d, i) => [d.name, i]));
  const nd = checked.definitions.length;
  const g = new Gen(c, definitions, rest, (i, t) => (t ? `T${i}(ev, m, R)` : `D${i}(ev, m)`));
  const out: string[] = [];
  // A definition is tested once per memo: 0 not yet, 1 false, 2 true. Traced, its reads mark R (1: read).
  checked.definitions.forEach((d, i) => {
    for (const [name, t, args] of [['D', false, 'ev, m'], ['T', true, 'ev, m, R']] as const) {
      out.push(`function ${name}${i}(${args}) { const v = m[${i}]; if (v !== 0) return v === 2; const r = ${g.cond(d.body, t)}; m[${i}] = r ? 2 : 1; return r; }`);
    }
  });
  // Each rule once: its test, and the facts it reads, in the order of their paths.
  const rules = new Map<K.CheckedRule, number>();
  const ruleOf = (r: K.CheckedRule): number => {
    let i = rules.get(r);
    if (i !== undefined) return i;
    i = rules.size;
    rules.set(r, i);
    out.push(`function W${i}(ev, m) { return ${g.cond(r.when, false)}; }`);
    const paths = [...pathsOf(r.when, checked.definitions, definitions)].sort(cmp);
    // The facts' order is the paths' (data, so a constant): readers by index, in that order.
    const order = c.ref(paths.map((p) => [g.field(p), p]));
    out.push(`function F${i}(ev) { const R = NOT_READ(); const m = ${zeros(nd)}; ${g.cond(r.when, true)}; return L.facts(ev, R, ${order}, READERS); }`);
    return i;
  };
  planned.forEach((s, i) => out.push(segment(g, s, i, ruleOf, digest, nd)));
  const source = [PRELUDE, ...g.fieldSource, ...out, `const NOT_READ = () => ${zeros(g.fields.size)}, READERS = [${[...g.fields.values()].map((j) => `f${j}`).join(', ')}];`, `return { segments: [${planned.map((_, i) => `S${i}`).join(', ')}], definitions: [${checked.definitions.map((_, i) => `D${i}`).join(', ')}] };`].join('\n');
  const made = instantiate<{ segments: SegmentDecide[]; definitions: CondTest[] }>(source, c.list, RUNTIME);

  // A condition asked for by itself (an explanation's): generated apart, calling the program's definitions.
  const conditions = new WeakMap<K.Cond, CondTest>();
  const condition = (cond: K.Cond): CondTest => {
    let t = conditions.get(cond);
    if (!t) {
      const own = new Constants();
      const h = new Gen(own, definitions, rest, (i) => `D[${i}](ev, m)`);
      const body = h.cond(cond, false);
      const src = [PRELUDE, ...h.fieldSource, `return function (ev, m) { return ${body}; };`].join('\n');
      t = instantiate<CondTest>(src, own.list, RUNTIME, ['D', made.definitions]);
      conditions.set(cond, t);
    }
    return t;
  };
  return { segments: made.segments, condition, newMemo: () => new Array<number>(nd).fill(0), source };
}

/**
 * One segment's function: each rule tested in the order fired rules are listed; a held rule sets the
 * flags of its codes and citation, refuses where its outcome does, keeps its retentions and
 * obligations; the lists are then read off the flags in their sorted order.
 */
function segment(g: Gen, s: PlannedSegment, index: number, ruleOf: (r: K.CheckedRule) => number, digest: string, nd: number): string {
  const { c } = g;
  // The decision's lists of codes, in its order, each code's flag named by list and code.
  const lists = CODE_KINDS.map((k) => ({ name: LIST_OF[k], codes: new Map<string, string>() }));
  const citations = new Map<string, { readonly flag: number; readonly citation: Citation }>();
  const codeFlag = (kind: (typeof CODE_KINDS)[number], code: string): string => {
    const l = CODE_KINDS.indexOf(kind);
    const { codes } = lists[l]!;
    if (!codes.has(code)) codes.set(code, `c${l}_${codes.size}`);
    return codes.get(code)!;
  };
  const body: string[] = [];
  for (const r of s.rules) {
    const w = ruleOf(r);
    const key = citationKey(r.citation);
    if (!citations.has(key)) citations.set(key, { flag: citations.size, citation: citationOf(r.citation) });
    const lines: string[] = [];
    for (const o of r.outcomes) {
      const refuse = denies(o, s.deletion) ? ' allowed = false;' : '';
      if (isCodeOutcome(o)) {
        lines.push(`a = true; ${codeFlag(o.k, o.code)} = true;${refuse}`);
        continue;
      }
      switch (o.k) {
        case 'deny':
          lines.push(`a = true;${refuse}`);
          break;
        case 'retain': {
          const until = s.deletion
            ? `L.keptOnDeletion(${c.ref(o)}, day, ${g.read(s.deletion.kind, false)}, ${g.read(s.deletion.createdAt, false)})`
            : `L.keptFrom(${c.ref(o.period)}, ${g.value(o.from, false)})`;
          lines.push(`{ const u = ${until}; if (u !== undefined) { L.retain(ret ??= [], ${c.ref(o.record)}, ${c.ref(o.periodText)}, u); a = true;${refuse} } }`);
          break;
        }
        case 'oblige':
          lines.push(`a = true; L.oblige(obl ??= [], ${c.ref(o.code)}, ${o.due ? g.value(o.due, false) : 'undefined'});${refuse}`);
          break;
      }
    }
    const entry = `{ rule: ${c.ref(r.id)}, file: ${c.ref(r.file)}, line: ${num(r.span.start.line)}, citation: ${c.ref(citations.get(key)!.citation)}, facts: traced ? F${w}(ev) : {} }`;
    body.push(`if (W${w}(ev, m)) { let a = false; ${lines.join(' ')} if (a) { k${citations.get(key)!.flag} = true; trace.push(${entry}); } }`);
  }
  const flags = [...lists.flatMap((l) => [...l.codes.values()]), ...[...citations.values()].map((k) => `k${k.flag}`)];
  const listed = lists.map(({ name, codes }) => `const ${name} = []; ${[...codes].sort(([a], [b]) => cmp(a, b)).map(([code, flag]) => `if (${flag}) ${name}.push(${c.ref(code)});`).join(' ')}`);
  const cited = [...citations].sort(([a], [b]) => cmp(a, b)).map(([, k]) => `if (k${k.flag}) citations.push(${c.ref(k.citation)});`);
  return [
    `function S${index}(ev, day, traced) {`,
    `const m = ${zeros(nd)}; const trace = []; let allowed = true, ret, obl;${flags.length ? ` let ${flags.map((f) => `${f} = false`).join(', ')};` : ''}`,
    ...body,
    ...listed,
    `const citations = []; ${cited.join(' ')}`,
    `return { eventId: ev.id, allowed, ${lists.map((l) => l.name).join(', ')}, retention: L.retention(ret), obligations: L.byKey(obl), citations, policy: { digest: ${c.ref(digest)}, articles: ${c.ref(s.consulted)} }, trace };`,
    `}`,
  ].join('\n');
}
