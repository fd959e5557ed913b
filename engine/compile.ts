// Checked bundle → decision plan → generated code. The plan cuts each event type's days where any
// article version comes into or goes out of force; each segment's rules become one generated
// function (generate.ts) that tests them and assembles the decision.
import { restDaysOf, type DayNumber } from '../language/calendar.js';
import type * as K from '../language/checked.js';
import { byRuleKey, generate, type CondTest, type SegmentDecide } from './generate.js';
import type { Decision } from './schema/decision.js';
import { deletionsOf } from './outcomes.js';

/** Definitions tested so far against one event (generate.ts's memo): what tests of one event share (`newScope`). */
export type Scope = number[];
/** A scope for testing `policy`'s conditions against one event. */
export const newScope = (policy: CompiledPolicy): Scope => policy.newMemo();

export type Test = CondTest;

/** How a decision names an article version it consulted. */
export type ArticleRef = Decision['policy']['articles'][number];

/**
 * How an event of one type is decided on the days from `from` to the next segment's: which article
 * versions are in effect is a function of type and day alone, so it is worked out once per bundle,
 * and the segment's function consults just those.
 */
export interface Segment {
  /** The first day; -Infinity for the days before anything is in force. */
  readonly from: number;
  /** The decision on an event of the type on a day of the segment (generate.ts). */
  readonly decide: SegmentDecide;
}

export interface CompiledPolicy {
  readonly checked: K.CheckedBundle;
  readonly digest: string;
  /** For each event type with rules, its segments in order of days (`segmentOn` finds a day's). */
  readonly byType: ReadonlyMap<string, readonly Segment[]>;
  /** The decision on an event of a type without rules. */
  readonly none: SegmentDecide;
  /** Any condition of this bundle as a test, generated once per node. */
  readonly condition: (c: K.Cond) => Test;
  /** A fresh memo of definitions for one event. */
  readonly newMemo: () => number[];
}

export function compile(checked: K.CheckedBundle, digest: string): CompiledPolicy {
  const rest = restDaysOf(checked.calendar);
  const regulations = new Map(checked.regulations.map((r) => [r.id, r]));
  const versions = new Map<string, Version[]>();
  // Decisions list the articles consulted in this order.
  for (const article of [...checked.articles].sort(byArticle)) {
    const reg = regulations.get(article.regulation);
    if (!reg) continue;
    const { from, until } = daysInForce(article, reg);
    const ref = articleRef(article);
    for (const type of new Set(article.rules.flatMap((r) => r.on))) {
      const list = versions.get(type) ?? [];
      list.push({ ref, from, until, rules: article.rules.filter((r) => r.on.includes(type)) });
      versions.set(type, list);
    }
  }
  const deletions = deletionsOf(checked.vocabulary);
  const cut = [...versions].map(([type, list]) => [type, segments(list)] as const);
  const planned = cut.flatMap(([type, list]) => list.map((s) => ({ consulted: s.consulted, rules: s.rules, deletion: deletions.get(type) })));
  const program = generate(checked, digest, rest, [...planned, { consulted: NOTHING, rules: [], deletion: undefined }]);
  let next = 0;
  const byType = new Map(cut.map(([type, list]) => [type, list.map((s): Segment => ({ from: s.from, decide: program.segments[next++]! }))]));
  return { checked, digest, byType, none: program.segments[next]!, condition: program.condition, newMemo: program.newMemo };
}

const NOTHING: readonly ArticleRef[] = Object.freeze([]);

/** One article version with rules for a type, and the days it is in effect (`until` exclusive, Infinity when open). */
interface Version {
  readonly ref: ArticleRef;
  readonly from: DayNumber;
  readonly until: number;
  readonly rules: readonly K.CheckedRule[];
}

/** A type's days, cut where any of its versions starts or stops: within a segment, every version is in effect throughout or not at all. */
function segments(versions: readonly Version[]): { from: number; consulted: readonly ArticleRef[]; rules: readonly K.CheckedRule[] }[] {
  const cuts = [...new Set(versions.flatMap((v) => [v.from, v.until]))].filter((d) => d !== Infinity).sort((a, b) => a - b);
  return [-Infinity, ...cuts].map((from) => {
    const on = versions.filter((v) => v.from <= from && from < v.until);
    // Rules in the order decisions list them fired, so the generated code lists them as they fire.
    return { from, consulted: Object.freeze(on.map((v) => v.ref)), rules: on.flatMap((v) => v.rules).sort(byRuleKey) };
  });
}

/** The decision function for an event of `type` on CST `day`: its segment's, or the one for types without rules. */
export function segmentOn(policy: CompiledPolicy, type: string, day: DayNumber): SegmentDecide {
  const list = policy.byType.get(type);
  if (list === undefined) return policy.none;
  // The last segment that starts on or before the day; the first starts at -Infinity.
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]!.from <= day) lo = mid;
    else hi = mid - 1;
  }
  return list[lo]!.decide;
}

/** The days on which an article version applies: its regulation in force and the version in effect. `until` is exclusive, Infinity when open. */
export const daysInForce = (article: K.CheckedArticle, regulation: K.CheckedRegulation): { readonly from: DayNumber; readonly until: number } => ({
  from: Math.max(regulation.inForce, article.from),
  until: Math.min(regulation.repealed ?? Infinity, article.until ?? Infinity),
});

const articleRef = (a: K.CheckedArticle): ArticleRef => Object.freeze({ file: a.file, regulation: a.regulation, article: a.article, version: a.version });

/** Sorts article versions by regulation, then article and version numerically. */
const byArticle = (a: { regulation: string; article: number; version: number }, b: typeof a): number =>
  (a.regulation < b.regulation ? -1 : a.regulation > b.regulation ? 1 : 0) || a.article - b.article || a.version - b.version;
