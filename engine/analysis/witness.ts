// A Z3 model as an Event: the witness of a finding, which callers then decide with the engine to
// confirm it. Where the model leaves a term free, its completion gives a value the schema allows
// (event-smt.ts constrains every value's range), and absent optional facts are left out; objects
// and fields the schema requires are present in every model.
import { formatDate } from '../../language/calendar.js';
import type { Event } from '../schema/event.js';
import { validate } from '../validate.js';
import { DATE_DAYS, parentOf, type EventTerms, type FieldTerm } from './event-smt.js';
import { intOf, type Arith, type Bool, type Model } from './solver.js';

/** How a timestamp is written for each day before, in or after the years a written date may have. */
const WRITTEN: Readonly<Record<number, string>> = { [-1]: 'T00:00:00+09:00', 0: 'T12:00:00+08:00', 1: 'T23:00:00-08:00', 2: 'T23:59:00-23:59' };

/** A timestamp falling on this CST day: noon in Beijing, or an offset that reaches a day beyond the allowed years. */
export function timestampOf(day: number): string {
  const written = Math.min(Math.max(day, DATE_DAYS.min), DATE_DAYS.max);
  return formatDate(written) + WRITTEN[day - written]!;
}

/**
 * What a witness should be where the finding leaves it free, most important first: optional
 * objects and fields absent, ids none of the policies' texts and distinct, dates within the year
 * before the event. Preferences that conflict with the finding are given up.
 */
export function witnessPreferences(terms: EventTerms): Bool[] {
  const { z3, day } = terms;
  const fields = [...terms.fields.values()];
  const texts = fields.flatMap((f) => (f.t === 'string' ? [f.value] : []));
  return [
    ...[...terms.objects].filter(([path]) => !terms.vocab.required.has(path)).map(([, present]) => z3.Not(present)),
    ...[...terms.fields].filter(([path]) => !terms.vocab.required.has(path)).map(([, f]) => z3.Not(f.present)),
    ...texts.map((t) => t.ge(0)),
    ...(texts.length > 1 ? [z3.Distinct(...texts)] : []),
    ...fields.flatMap((f) => ((f.t === 'date' || f.t === 'timestamp') && !f.value.eqIdentity(day) ? [z3.Implies(f.present, z3.And(f.value.le(day), f.value.gt(day.sub(366))))] : [])),
  ];
}

/**
 * Names for the texts v ≥ 0 of string fields: each after the first object that holds it (`actor`,
 * `provider`, `event` for the event's own id), distinct, and none of the policies' constants.
 */
function otherTexts(terms: EventTerms, held: readonly (readonly [string, number])[]): Map<number, string> {
  const names = new Map<number, string>();
  const taken = new Set(terms.strings);
  for (const [path, v] of held) {
    if (v < 0 || names.has(v)) continue;
    const base = parentOf(path) ?? 'event';
    let name = taken.has(base) ? `${base}-${v}` : base;
    while (taken.has(name)) name += "'";
    taken.add(name);
    names.set(v, name);
  }
  return names;
}

/** The event a model describes. Throws if it does not pass the schema: that is a bug of the encoding. */
export function witnessEvent(terms: EventTerms, model: Model): Event {
  const { z3 } = terms;
  const truth = (b: Bool) => z3.isTrue(model.eval(b, true));
  const num = (a: Arith) => intOf(z3, model, a);
  const read = (f: FieldTerm): unknown => {
    switch (f.t) {
      case 'bool':
        return truth(f.value);
      case 'int':
        return num(f.value);
      case 'enum':
        return f.values[num(f.value)];
      case 'string': {
        const v = num(f.value);
        return v < 0 ? terms.strings[-v - 1] : texts.get(v);
      }
      case 'date':
        return formatDate(num(f.value));
      case 'timestamp':
        return timestampOf(num(f.value));
      case 'set':
        return [...f.members].filter(([, m]) => truth(m)).map(([v]) => v);
    }
  };

  const present = [...terms.fields].filter(([, f]) => truth(f.present));
  const texts = otherTexts(terms, present.flatMap(([path, f]) => (f.t === 'string' ? [[path, num(f.value)] as const] : [])));
  const event: Record<string, unknown> = {};
  const objectAt = (path: string): Record<string, unknown> => {
    const parent = parentOf(path);
    const holder = parent ? objectAt(parent) : event;
    const key = parent ? path.slice(parent.length + 1) : path;
    return (holder[key] ??= {}) as Record<string, unknown>;
  };
  for (const [path, f] of present) {
    const parent = parentOf(path);
    (parent ? objectAt(parent) : event)[parent ? path.slice(parent.length + 1) : path] = read(f);
  }
  for (const [path, present] of terms.objects) if (truth(present)) objectAt(path);
  const v = validate(terms.vocab.vocabulary, event);
  if (!v.ok) throw new Error(`a witness event does not pass the schema (${v.errors.map((e) => `${e.path} ${e.message}`).join('; ')}): ${JSON.stringify(event)}`);
  return v.event;
}
