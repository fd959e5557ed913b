// Checked bundle → evaluator. Conditions become closures over precomputed field readers: a string
// from a policy is only ever data (a path, a code, a constant) and can never become code.
import { addPeriod, cstDayOf, parseDate, type DayNumber } from '../language/calendar.js';
import type * as K from '../language/checked.js';
import type { Event } from './schema/event.js';

/** Event fields a rule read, by path, when the caller asks for them (only for rules that fire). */
export type Facts = Map<string, unknown>;
export type Test = (ev: Event, facts?: Facts) => boolean;
type Read = (ev: Event, facts?: Facts) => unknown;

export interface CompiledRule {
  readonly rule: K.CheckedRule;
  readonly test: Test;
}

/** One version of one article, with the days on which it (and its regulation) are in force. */
export interface CompiledArticle {
  readonly article: K.CheckedArticle;
  readonly from: DayNumber;
  /** Exclusive; Infinity when open-ended. */
  readonly until: number;
  readonly rules: readonly CompiledRule[];
}

export interface CompiledPolicy {
  readonly checked: K.CheckedBundle;
  readonly digest: string;
  /** For each event type, the article versions with rules for it, in bundle order. */
  readonly byType: ReadonlyMap<string, readonly CompiledArticle[]>;
  /** Compiles any condition against this bundle's definitions (for explanations and analysis). */
  readonly condition: (c: K.Cond) => Test;
}

export function compile(checked: K.CheckedBundle, digest: string): CompiledPolicy {
  const definitions = new Map(checked.definitions.map((d) => [d.name, d]));
  const compiledDefs = new Map<string, Test>();
  // The checker cut every definition cycle, so compiling a definition where it is used terminates.
  const ref = (name: string): Test => {
    let t = compiledDefs.get(name);
    if (!t) {
      t = cond(definitions.get(name)?.body ?? { k: 'const', value: false }, ref);
      compiledDefs.set(name, t);
    }
    return t;
  };

  const regulations = new Map(checked.regulations.map((r) => [r.id, r]));
  const byType = new Map<string, CompiledArticle[]>();
  for (const article of checked.articles) {
    const reg = regulations.get(article.regulation);
    if (!reg) continue;
    const from = Math.max(reg.inForce, article.from);
    const until = Math.min(reg.repealed ?? Infinity, article.until ?? Infinity);
    const rules = article.rules.map((rule) => ({ rule, test: cond(rule.when, ref) }));
    for (const type of new Set(article.rules.flatMap((r) => r.on))) {
      const list = byType.get(type) ?? [];
      list.push({ article, from, until, rules: rules.filter((r) => r.rule.on.includes(type)) });
      byType.set(type, list);
    }
  }
  return { checked, digest, byType, condition: (c) => cond(c, ref) };
}

function field(path: string): Read {
  const keys = path.split('.');
  return (ev, facts) => {
    let v: unknown = ev;
    for (const k of keys) v = v !== null && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
    if (v === null) v = undefined;
    // Lists are sets: the trace shows them sorted, so it cannot depend on the event's order.
    // An object is only ever asked after for its presence, so the trace notes just that.
    facts?.set(path, Array.isArray(v) ? [...(v as string[])].sort() : v !== null && typeof v === 'object' ? true : (v ?? null));
    return v;
  };
}

/** A value reader; dates and times come out as CST day numbers. */
export function value(v: K.Value): Read {
  switch (v.k) {
    case 'const':
      return () => v.value;
    case 'date':
      return () => v.day;
    case 'field': {
      const read = field(v.path);
      if (v.type.t === 'date') return (ev, f) => parseOptional(read(ev, f), parseDate);
      if (v.type.t === 'timestamp') return (ev, f) => parseOptional(read(ev, f), cstDayOf);
      return read;
    }
    case 'shift': {
      const base = value(v.base);
      return (ev, f) => {
        const day = base(ev, f);
        return typeof day === 'number' ? addPeriod(day, v.period, v.sign) : undefined;
      };
    }
  }
}

const parseOptional = (raw: unknown, parse: (s: string) => DayNumber | undefined): DayNumber | undefined =>
  typeof raw === 'string' ? parse(raw) : undefined;

const asSet = (raw: unknown): readonly unknown[] => (Array.isArray(raw) ? raw : []);

/**
 * A condition as a closure. An absent fact makes a comparison false (both `is` and `is not`); an
 * absent set is empty. So `not actor.verified meets phone_number` holds for an actor with no record
 * of verification, and `actor.role is not publisher` needs a role to be known.
 */
function cond(c: K.Cond, ref: (name: string) => Test): Test {
  switch (c.k) {
    case 'always':
      return () => true;
    case 'const':
      return () => c.value;
    case 'all': {
      const items = c.items.map((i) => cond(i, ref));
      return (ev, f) => items.every((t) => t(ev, f));
    }
    case 'any': {
      const items = c.items.map((i) => cond(i, ref));
      return (ev, f) => items.some((t) => t(ev, f));
    }
    case 'not': {
      const item = cond(c.item, ref);
      return (ev, f) => !item(ev, f);
    }
    case 'ref':
      return ref(c.name);
    case 'flag': {
      const read = field(c.path);
      return (ev, f) => read(ev, f) === true;
    }
    case 'present': {
      const read = field(c.path);
      return (ev, f) => (read(ev, f) !== undefined) === c.present;
    }
    case 'cmp': {
      const [l, r] = [value(c.left), value(c.right)];
      const test = ORDER[c.op];
      return (ev, f) => {
        const a = l(ev, f);
        const b = r(ev, f);
        return a !== undefined && b !== undefined && test(a as number, b as number);
      };
    }
    case 'oneOf': {
      const read = value(c.left);
      const values = new Set<unknown>(c.values);
      return (ev, f) => {
        const v = read(ev, f);
        return v !== undefined && values.has(v) !== c.negated;
      };
    }
    case 'has': {
      const read = field(c.path);
      const { values } = c;
      const all = c.mode === 'all';
      return (ev, f) => {
        const set = asSet(read(ev, f));
        return all ? values.every((v) => set.includes(v)) : values.some((v) => set.includes(v));
      };
    }
    case 'meets': {
      const read = field(c.path);
      const { accepted } = c;
      return (ev, f) => {
        const set = asSet(read(ev, f));
        return accepted.some((v) => set.includes(v));
      };
    }
  }
}

const ORDER: Record<'=' | '!=' | '<' | '<=' | '>' | '>=', (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};
