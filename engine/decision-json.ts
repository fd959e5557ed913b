// A decision as JSON text, byte for byte what JSON.stringify gives (test/engine/decision-json.test.ts),
// in about half the time: most of a decision's text (the article versions consulted, citations) is
// the same frozen objects in every decision that has them, so their text is made once and kept.
// Follows the order in which the generated code (generate.ts) writes a decision's fields.
import type { Decision, TraceEntry } from './schema/decision.js';

const texts = new WeakMap<object, string>();
/** The JSON of an object shared by decisions (frozen: it cannot change after its text is kept). */
function shared(o: object): string {
  let s = texts.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    if (Object.isFrozen(o)) texts.set(o, s);
  }
  return s;
}

function list<T>(items: readonly T[], text: (item: T) => string): string {
  if (items.length === 0) return '[]';
  let s = `[${text(items[0]!)}`;
  for (let i = 1; i < items.length; i++) s += `,${text(items[i]!)}`;
  return `${s}]`;
}

const json = (v: unknown): string => JSON.stringify(v);
/** A list that is most often empty (a decision's codes, retentions, obligations): an empty one without a call to JSON.stringify. */
const listJson = (v: readonly unknown[]): string => (v.length === 0 ? '[]' : JSON.stringify(v));
const traceEntry = (t: TraceEntry): string => `{"rule":${json(t.rule)},"file":${json(t.file)},"line":${t.line},"citation":${shared(t.citation)},"facts":${json(t.facts)}}`;

export function decisionJson(d: Decision): string {
  return (
    `{"eventId":${json(d.eventId)},"allowed":${d.allowed},"verification":${listJson(d.verification)},"labeling":${listJson(d.labeling)},"disposal":${listJson(d.disposal)},` +
    `"retention":${listJson(d.retention)},"obligations":${listJson(d.obligations)},"citations":${list(d.citations, shared)},` +
    `"policy":{"digest":${json(d.policy.digest)},"articles":${shared(d.policy.articles)}},"trace":${list(d.trace, traceEntry)}}`
  );
}
