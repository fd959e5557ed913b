// The event vocabulary as Z3 terms, and the Event schema's constraints over them. Every field the
// policy language can read (language/vocabulary.ts) gets a presence and a value:
//   bool → Bool · int → Int · enum → Int index into its values · set → one Bool per member ·
//   date and timestamp → Int, the CST day number · string → Int: −1 … −n name the constants the
//   policies compare with, 0, 1, 2 … other texts, each distinct.
// Every object gets a presence; the event type is the enum field `type`.
import { parseDate } from '../../language/calendar.js';
import type { FieldType, VocabularyIndex } from '../../language/vocabulary.js';
import { asDay, fieldReader } from '../fields.js';
import type { Event } from '../schema/event.js';
import { YEARS } from '../validate.js';
import { Calendar } from './calendar-smt.js';
import type { Arith, Bool, Z3 } from './solver.js';

export type FieldTerm =
  | { readonly t: 'bool'; readonly present: Bool; readonly value: Bool }
  | { readonly t: 'int' | 'string' | 'date' | 'timestamp'; readonly present: Bool; readonly value: Arith }
  | { readonly t: 'enum'; readonly present: Bool; readonly value: Arith; readonly values: readonly string[] }
  /** A member reads false when the set is absent: an absent set is empty. */
  | { readonly t: 'set'; readonly present: Bool; readonly members: ReadonlyMap<string, Bool> };

/** One constraint of the schema, with the words an explanation shows for it. */
export interface SchemaConstraint {
  readonly text: string;
  readonly holds: Bool;
}

export interface EventTerms {
  readonly z3: Z3;
  /** The vocabulary the event is written in. */
  readonly vocab: VocabularyIndex;
  readonly fields: ReadonlyMap<string, FieldTerm>;
  /** Presence of each object (`provider`, `actor` …). */
  readonly objects: ReadonlyMap<string, Bool>;
  /** The texts policies compare string fields with; constant i is the value −(i + 1). */
  readonly strings: readonly string[];
  /** The CST day of `occurredAt`. */
  readonly day: Arith;
  readonly isType: (type: string) => Bool;
  /** What every valid event satisfies (engine/validate.ts). */
  readonly schema: readonly SchemaConstraint[];
  /** Moves of days by months, and what is known of them. */
  readonly calendar: Calendar;
}

/** The days a date field can name. */
export const DATE_DAYS = { min: parseDate(`${YEARS.min}-01-01`)!, max: parseDate(`${YEARS.max}-12-31`)! };
/**
 * The CST days a timestamp can fall on: it is checked on the year it is written in, and an offset
 * of up to ±23:59 moves its CST day up to one day before that year and two after.
 */
export const TIMESTAMP_DAYS = { min: DATE_DAYS.min - 1, max: DATE_DAYS.max + 2 };

/** Whether the event has the object or field at `path`. */
export const presenceOf = (terms: EventTerms, path: string): Bool => presenceIn(terms.objects, terms.fields, path);
const presenceIn = (objects: ReadonlyMap<string, Bool>, fields: ReadonlyMap<string, FieldTerm>, path: string): Bool => objects.get(path) ?? fields.get(path)!.present;

export const parentOf = (path: string): string | undefined => (path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : undefined);

/**
 * A second event beside the first, for questions about two events at once (engine/analysis/absent.ts):
 * its terms are named with `mark` after each name, and its days move on the first event's calendar,
 * so that one prover refines the moves of both.
 */
export interface Twin {
  readonly mark: string;
  readonly calendar: Calendar;
}

/** The event's terms. `strings` are every text constant of the policies to be analysed together. */
export function eventTerms(z3: Z3, strings: readonly string[], vocab: VocabularyIndex, twin?: Twin): EventTerms {
  const constants = [...new Set(strings)].sort();
  const mark = twin?.mark ?? '';
  const objects = new Map([...vocab.objects.keys()].map((o) => [o, z3.Bool.const(`${o}?${mark}`)]));
  const fields = new Map<string, FieldTerm>();
  for (const [path, info] of vocab.fields) fields.set(path, fieldTerm(z3, path, info.type, mark));
  const type = fields.get('type') as Extract<FieldTerm, { t: 'enum' }>;
  const isType = (t: string) => type.value.eq(type.values.indexOf(t));
  const day = (fields.get('occurredAt') as { readonly value: Arith }).value;

  const schema: SchemaConstraint[] = [];
  const add = (text: string, holds: Bool) => schema.push({ text, holds });
  const presence = (path: string): Bool => presenceIn(objects, fields, path);
  for (const path of [...vocab.objects.keys(), ...vocab.fieldPaths]) {
    const parent = parentOf(path);
    if (parent) add(`${path} is only there within ${parent}`, z3.Implies(presence(path), presence(parent)));
    if (vocab.required.has(path)) add(parent ? `${parent} always has ${path}` : `every event has ${path}`, parent ? z3.Implies(presence(parent), presence(path)) : presence(path));
  }
  for (const t of vocab.eventTypes) {
    const needs = vocab.requiredByType[t]!;
    if (needs.length > 0) add(`a ${t} event has ${needs.join(' and ')}`, z3.Implies(isType(t), z3.And(...needs.map((o) => objects.get(o)!))));
  }
  // Value ranges hold whether the field is there or not, so that a value a model leaves free is
  // still one a valid event can have.
  for (const [path, f] of fields) {
    const info = vocab.fields.get(path)!;
    switch (f.t) {
      case 'enum':
        add(`${path} is one of ${f.values.join(', ')}`, z3.And(f.value.ge(0), f.value.lt(f.values.length)));
        break;
      case 'int':
        if (info.minimum !== undefined) add(`${path} is at least ${info.minimum}`, f.value.ge(info.minimum));
        if (info.maximum !== undefined) add(`${path} is at most ${info.maximum}`, f.value.le(info.maximum));
        break;
      case 'string': {
        const empty = constants.indexOf('');
        // Declared text is never empty (engine/schema/event.ts).
        const nonEmpty = empty >= 0;
        add(`${path} is ${nonEmpty ? 'non-empty ' : ''}text`, z3.And(f.value.ge(-constants.length), nonEmpty ? f.value.neq(-(empty + 1)) : z3.Bool.val(true)));
        break;
      }
      case 'date':
      case 'timestamp': {
        const days = f.t === 'date' ? DATE_DAYS : TIMESTAMP_DAYS;
        add(`${path} is a ${f.t === 'date' ? 'date' : 'time'} in the years ${YEARS.min} to ${YEARS.max}`, z3.And(f.value.ge(days.min), f.value.le(days.max)));
        // Nothing reads the day of an absent date; fixing it settles at once the calendar's
        // moves of it (calendar-smt.ts), which a free value could keep unsettled.
        add(`an absent ${path} has no day`, z3.Implies(z3.Not(f.present), f.value.eq(0)));
        break;
      }
    }
  }
  return { z3, vocab, fields, objects, strings: constants, day, isType, schema, calendar: twin?.calendar ?? new Calendar(z3) };
}

function fieldTerm(z3: Z3, path: string, type: FieldType, mark: string): FieldTerm {
  const present = z3.Bool.const(`${path}?${mark}`);
  const name = `${path}${mark}`;
  switch (type.t) {
    case 'bool':
      return { t: 'bool', present, value: z3.Bool.const(name) };
    case 'enum':
      return { t: 'enum', present, value: z3.Int.const(name), values: type.values };
    case 'set':
      return { t: 'set', present, members: new Map(type.values.map((v) => [v, z3.And(present, z3.Bool.const(`${path}#${v}${mark}`))])) };
    default:
      return { t: type.t, present, value: z3.Int.const(name) };
  }
}

/** The value standing for a text: a constant's own, or else the next free one ≥ 0 in `others`. */
function textValue(terms: EventTerms, text: string, others: Map<string, number>): number {
  const k = terms.strings.indexOf(text);
  if (k >= 0) return -(k + 1);
  let v = others.get(text);
  if (v === undefined) others.set(text, (v = others.size));
  return v;
}

/** Constraints that hold exactly for this event (as the engine reads it). */
export function pinned(terms: EventTerms, ev: Event): Bool[] {
  const { z3 } = terms;
  const others = new Map<string, number>();
  const out: Bool[] = [];
  for (const [o, present] of terms.objects) out.push(present.eq(fieldReader(o)(ev) !== undefined));
  for (const [path, f] of terms.fields) {
    const raw = fieldReader(path)(ev);
    out.push(f.present.eq(raw !== undefined));
    if (raw === undefined) continue;
    switch (f.t) {
      case 'bool':
        out.push(f.value.eq(raw === true));
        break;
      case 'int':
        out.push(f.value.eq(z3.Int.val(raw as number)));
        break;
      case 'string':
        out.push(f.value.eq(textValue(terms, raw as string, others)));
        break;
      case 'enum':
        out.push(f.value.eq(f.values.indexOf(raw as string)));
        break;
      case 'date':
      case 'timestamp':
        out.push(f.value.eq(asDay(raw, f.t)!));
        break;
      case 'set':
        for (const [v, member] of f.members) out.push(member.eq((raw as string[]).includes(v)));
        break;
    }
  }
  return out;
}
