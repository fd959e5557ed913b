// Semantic analysis of one bundle with Z3, reported as diagnostics at the rules' lines:
//   TL100  a rule that can never fire, and why (an unsat core over the rule's parts, in words);
//   TL101  a rule whose every outcome other rules always give too, under the same citation;
//   TL102  the same, where the covering rules cite another provision (the decision cites both);
//   TL103  two rules whose outcomes contradict (contradictions.ts) on some event: the witness;
//   TL104  a rule an absent optional fact switches off, the decision then allowing (absent.ts).
// Rules are paired only where their event types and days in effect overlap.
import type { CheckedRule, Cond } from '../../language/checked.js';
import { byPosition, diagnostic, type Diagnostic } from '../../language/diagnostics.js';
import { citationText } from '../citation-text.js';
import type { CompiledPolicy } from '../compile.js';
import { evaluate } from '../evaluate.js';
import type { Event } from '../schema/event.js';
import { absentFacts } from './absent.js';
import { textConstants } from './condition-smt.js';
import { matches, shows } from './contradictions.js';
import { decisionTerms, sameEntry, type OutcomeTerms, type RuleTerms } from './decision-smt.js';
import { describeCond, describeOutcome, describeRule, describeWindow } from './describe.js';
import { eventTerms, type EventTerms } from './event-smt.js';
import { Prover, type Answer, type Bool, type Model, type Tracked, type Z3 } from './solver.js';
import { witnessEvent, witnessPreferences } from './witness.js';
import { indexOf } from '../../language/vocabulary.js';

export interface Finding {
  readonly diagnostic: Diagnostic;
  /** An event on which the finding shows, decided by the engine to confirm it (contradictions). */
  readonly witness?: Event;
}

export interface Analysis {
  readonly findings: readonly Finding[];
  readonly rules: number;
  readonly queries: number;
  /** Time spent in Z3's checks. */
  readonly solverMs: number;
}

export interface AnalyzeOptions {
  /** Report findings about these rules only; the others still cover or contradict them. */
  readonly only?: (rule: CheckedRule) => boolean;
}

/** One outcome of one rule. */
interface Instance {
  readonly r: RuleTerms;
  readonly o: OutcomeTerms;
}

export async function analyze(z3: Z3, policy: CompiledPolicy, options: AnalyzeOptions = {}): Promise<Analysis> {
  const terms = eventTerms(z3, textConstants([policy.checked]), indexOf(policy.checked.vocabulary));
  const decision = decisionTerms(terms, policy.checked);
  const prover = new Prover(z3, terms.schema.map((s) => s.holds), terms.calendar);
  // Cores track the schema's constraints too, so this one has no background.
  const explainer = new Prover(z3, [], terms.calendar);
  const reported = decision.rules.filter((r) => options.only?.(r.rule) ?? true);
  const instances = decision.rules.flatMap((r) => r.outcomes.map((o): Instance => ({ r, o })));

  const findings: Finding[] = [];
  const dead = new Set<RuleTerms>();
  for (const r of reported) {
    if (!unsat(await prover.check([r.fires]))) continue;
    dead.add(r);
    findings.push({ diagnostic: diagnostic('deadRule', r.rule.span, { name: r.rule.name, reason: await whyDead(explainer, terms, r, decision.translate.cond) }) });
  }
  for (const r of reported) {
    if (dead.has(r)) continue;
    const finding = await subsumption(prover, terms, r, instances);
    if (finding) findings.push(finding);
  }
  findings.push(...(await contradictions(prover, terms, policy, instances, new Set(reported))));
  const absent = await absentFacts(z3, policy, terms, decision, reported.filter((r) => !dead.has(r)));
  findings.push(...absent.findings);
  findings.sort((a, b) => byPlace(a.diagnostic, b.diagnostic));
  return { findings, rules: reported.length, queries: prover.queries + explainer.queries + absent.queries, solverMs: prover.ms + explainer.ms + absent.ms };
}

const byPlace = (a: Diagnostic, b: Diagnostic): number => byPosition(a, b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** The model of a sat answer, or undefined for unsat. An unknown answer is an error, never taken for either. */
function modelOf(a: Answer): Model | undefined {
  if (a.status === 'unknown') throw new Error(`Z3 could not decide a query (${a.reason})`);
  return a.status === 'sat' ? a.model : undefined;
}

const unsat = (a: Answer): boolean => modelOf(a) === undefined;

// ---------------------------------------------------------------- rules that never fire

type Part = { readonly k: 'type' | 'version' | 'regulation' | 'outcome' } | { readonly k: 'condition' | 'schema'; readonly text: string };

const conjuncts = (c: Cond): Cond[] => (c.k === 'all' ? c.items.flatMap(conjuncts) : [c]);

async function whyDead(explainer: Prover, terms: EventTerms, r: RuleTerms, cond: (c: Cond) => Bool): Promise<string> {
  const { z3 } = terms;
  const tracked: Tracked<Part>[] = [
    { label: { k: 'type' }, holds: r.onType },
    { label: { k: 'regulation' }, holds: r.regulationInForce },
    { label: { k: 'version' }, holds: r.versionInEffect },
    { label: { k: 'outcome' }, holds: z3.Or(...r.outcomes.map((o) => o.applies)) },
    ...terms.schema.map((s): Tracked<Part> => ({ label: { k: 'schema', text: s.text }, holds: s.holds })),
    ...conjuncts(r.rule.when).map((c): Tracked<Part> => ({ label: { k: 'condition', text: describeCond(c) }, holds: cond(c) })),
  ];
  const core = await explainer.core(tracked);
  if (!core) throw new Error(`rule ${r.rule.id} never fires, yet its parts can hold together`);
  const { article, regulation } = r;
  const fact = (p: Part): string => {
    switch (p.k) {
      case 'type':
        return `it is for ${r.rule.on.join(', ')}`;
      case 'regulation':
        return `${regulation.id} is in force ${describeWindow(regulation.inForce, regulation.repealed)}`;
      case 'version':
        return `${article.regulation} article ${article.article} version ${article.version} is in effect ${describeWindow(article.from, article.until)}`;
      case 'outcome':
        return `its retentions apply only when the deleted record is ${[...new Set(r.rule.outcomes.flatMap((o) => (o.k === 'retain' ? [o.record] : [])))].join(' or ')} and within the period, or else when their start date is known`;
      case 'schema':
        return `by the Event schema, ${p.text}`;
      case 'condition':
        return p.text;
    }
  };
  const facts = core.filter((p) => p.k !== 'condition').map(fact);
  const conditions = core.filter((p) => p.k === 'condition').map(fact);
  const condition = `its condition requires ${conditions.join(' and ')}`;
  if (facts.length === 0) return conditions.length === 1 ? `its condition ${conditions[0]} never holds` : `${condition}, which cannot hold together`;
  if (conditions.length === 0) return `${facts.join('; ')}: these cannot hold together`;
  return `${facts.join('; ')}, but ${condition}`;
}

// ---------------------------------------------------------------- rules other rules cover

const overlap = (a: RuleTerms, b: RuleTerms): boolean => a.from < b.until && b.from < a.until && a.rule.on.some((t) => b.rule.on.includes(t));

/** Whether b gives the same kind of outcome as a (the same code, record and period). */
function alike(a: OutcomeTerms['outcome'], b: OutcomeTerms['outcome']): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'retain' && b.k === 'retain') return a.record === b.record && a.periodText === b.periodText;
  return !('code' in a) || a.code === (b as typeof a).code;
}

/** b fires with the very outcome a gives (for a retention or obligation: the same entry). */
function covers(terms: EventTerms, a: Instance, b: Instance): Bool {
  const same = a.o.entry && b.o.entry ? sameEntry(terms, a.o.entry, b.o.entry) : terms.z3.Bool.val(true);
  return terms.z3.And(b.r.held, b.o.applies, same);
}

async function subsumption(prover: Prover, terms: EventTerms, r: RuleTerms, instances: readonly Instance[]): Promise<Finding | undefined> {
  const { z3 } = terms;
  const outcomes = r.outcomes
    .map((o) => ({ a: { r, o }, candidates: instances.filter((b) => b.r !== r && overlap(r, b.r) && alike(o.outcome, b.o.outcome)) }))
    .sort((x, y) => x.candidates.length - y.candidates.length);
  if (outcomes.some((x) => x.candidates.length === 0)) return undefined;
  const by = new Set<RuleTerms>();
  for (const { a, candidates } of outcomes) {
    // Some event on which a's outcome shows and none of `cs` gives it too?
    const escapes = (cs: readonly Instance[]) => prover.check([r.held, a.o.applies, z3.Not(z3.Or(...cs.map((b) => covers(terms, a, b))))]);
    if (!unsat(await escapes(candidates))) return undefined;
    // Name the fewest rules: one alone if one suffices, else drop each that is not needed.
    let needed: readonly Instance[] | undefined;
    for (const b of candidates) if (!needed && unsat(await escapes([b]))) needed = [b];
    if (!needed) {
      let fewer: readonly Instance[] = candidates;
      for (const b of candidates) {
        const without = fewer.filter((x) => x !== b);
        if (unsat(await escapes(without))) fewer = without;
      }
      needed = fewer;
    }
    for (const b of needed) by.add(b.r);
  }
  const covering = [...by].sort((x, y) => (x.rule.id < y.rule.id ? -1 : 1));
  const names = covering.map((b) => describeRule(b.rule)).join(' and ');
  const own = citationText(r.rule.citation);
  const others = [...new Set(covering.map((b) => citationText(b.rule.citation)).filter((c) => c !== own))];
  return {
    diagnostic:
      others.length === 0
        ? diagnostic('subsumedRule', r.rule.span, { name: r.rule.name, by: names })
        : diagnostic('coveredRule', r.rule.span, { name: r.rule.name, by: names, citation: own, others: others.join(', ') }),
  };
}

// ---------------------------------------------------------------- outcomes that contradict

async function contradictions(prover: Prover, terms: EventTerms, policy: CompiledPolicy, instances: readonly Instance[], reported: ReadonlySet<RuleTerms>): Promise<Finding[]> {
  const findings: Finding[] = [];
  const prefer = witnessPreferences(terms);
  for (const c of policy.checked.vocabulary.conflicts) {
    const types = (i: Instance) => (c.on === undefined ? i.r.rule.on : i.r.rule.on.filter((t) => t === c.on));
    const firsts = instances.filter((i) => matches(c.first, i.o.outcome) && types(i).length > 0);
    const seconds = instances.filter((i) => matches(c.second, i.o.outcome) && types(i).length > 0);
    for (const a of firsts) {
      for (const b of seconds) {
        if (!(reported.has(a.r) || reported.has(b.r)) || !overlap(a.r, b.r) || !types(a).some((t) => types(b).includes(t))) continue;
        const model = modelOf(await prover.check([a.r.held, a.o.applies, b.r.held, b.o.applies, ...(c.on ? [terms.isType(c.on)] : [])], prefer));
        if (!model) continue;
        const witness = witnessEvent(terms, model);
        const decided = evaluate(policy, witness);
        if (!shows(decided, c.first) || !shows(decided, c.second)) {
          throw new Error(`the witness of a contradiction between ${a.r.rule.id} and ${b.r.rule.id} is not decided so: ${JSON.stringify(witness)}`);
        }
        const say = (x: Instance, y: Instance) =>
          diagnostic('contradiction', x.r.rule.span, { name: x.r.rule.name, outcome: describeOutcome(x.o.outcome), other: describeRule(y.r.rule), otherOutcome: describeOutcome(y.o.outcome), why: c.why });
        if (reported.has(a.r)) findings.push({ diagnostic: say(a, b), witness });
        if (reported.has(b.r) && b.r !== a.r) findings.push({ diagnostic: say(b, a), witness });
      }
    }
  }
  return findings;
}
