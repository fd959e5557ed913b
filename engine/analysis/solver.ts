// Queries to Z3. The caller loads Z3 and hands over a Context (z3-node.ts under Node; the playground
// loads its own build in the browser): nothing else under engine/analysis/ imports z3-solver except
// for its types, so these modules stay browser-safe.
import type { Arith, Bool, Context, Model } from 'z3-solver';
import type { Calendar } from './calendar-smt.js';

export type { Arith, Bool, Model } from 'z3-solver';
export type Z3 = Context;

/** An integer term's value in a model, completed where the model leaves it free. */
export function intOf(z3: Z3, model: Model, term: Arith): number {
  const v = model.eval(term, true);
  if (!z3.isIntVal(v)) throw new Error(`the model gives no number for ${term.sexpr()}`);
  return Number(v.value());
}

export type Answer = { readonly status: 'sat'; readonly model: Model } | { readonly status: 'unsat' } | { readonly status: 'unknown'; readonly reason: string };

/** A named assertion: when a query is unsat, the unsat core names the ones that conflict. */
export interface Tracked<L> {
  readonly label: L;
  readonly holds: Bool;
}

/** Refinements one check may take before its answer is given up as unknown (never as a proof). */
const ROUNDS = 200;

/**
 * One solver per analysis: the background (the event schema) is asserted once, each query runs in
 * its own scope. A model counts only once the calendar agrees with it (calendar-smt.ts): until
 * then the calendar's lemmas are added and the query solved again. Counts checks and the time
 * spent in them.
 */
export class Prover {
  private readonly solver;
  private literals = 0;
  /** How many of the calendar's lemmas are asserted for every query. */
  private known = 0;
  queries = 0;
  ms = 0;

  constructor(
    private readonly z3: Z3,
    background: readonly Bool[],
    private readonly calendar: Calendar,
  ) {
    this.solver = new z3.Solver();
    // Small cores make short explanations.
    this.solver.set('core.minimize', true);
    this.solver.add(...background);
  }

  /**
   * Whether the goals can hold together (with the background), and a model when they can. The
   * model meets what it can of `prefer`, most important first: while the preferences conflict
   * with the goals, the least important one in the unsat core is given up.
   */
  async check(goals: readonly Bool[], prefer: readonly Bool[] = []): Promise<Answer> {
    return this.scoped(async () => {
      this.solver.add(...goals);
      let status = await this.solve([]);
      if (status === 'sat' && prefer.length > 0) {
        let assumed = this.assumptions(prefer);
        do {
          status = await this.solve(assumed);
          if (status !== 'unsat') break;
          const core = [...this.solver.unsatCore().values()];
          const last = assumed.findLastIndex((l) => core.some((c) => c.eqIdentity(l)));
          // The goals hold without any preference, so a core names at least one.
          if (last < 0) break;
          assumed = assumed.filter((_, i) => i !== last);
        } while (assumed.length > 0);
        if (status === 'unsat') status = await this.solve([]);
      }
      if (status === 'sat') return { status, model: this.solver.model() };
      if (status === 'unsat') return { status };
      return { status: 'unknown', reason: status === 'unsettled' ? `the calendar did not settle in ${ROUNDS} refinements` : this.solver.reasonUnknown() };
    });
  }

  /** The labels of a smallest-found set of `tracked` that cannot hold together, or undefined if they can. */
  async core<L>(tracked: readonly Tracked<L>[]): Promise<L[] | undefined> {
    return this.scoped(async () => {
      const literals = this.assumptions(tracked.map((t) => t.holds));
      if ((await this.solve(literals)) !== 'unsat') return undefined;
      const core = [...this.solver.unsatCore().values()];
      return tracked.filter((_, i) => core.some((c) => c.eqIdentity(literals[i]!))).map((t) => t.label);
    });
  }

  private async scoped<T>(run: () => Promise<T>): Promise<T> {
    // The calendar's lemmas hold of every query: assert the new ones outside its scope.
    this.solver.add(...this.calendar.lemmas.slice(this.known));
    this.known = this.calendar.lemmas.length;
    this.solver.push();
    try {
      return await run();
    } finally {
      this.solver.pop();
    }
  }

  /**
   * Checks under the assumptions until a model agrees with the calendar, or the answer is unsat.
   * After each refinement the moved days are asked to stay where the lemmas just settled them;
   * that only steers: when it cannot hold, the check runs again without it.
   */
  private async solve(assumptions: readonly Bool[]): Promise<'sat' | 'unsat' | 'unknown' | 'unsettled'> {
    let steer: Bool[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const start = performance.now();
      const status = await this.solver.check(...assumptions, ...steer);
      this.ms += performance.now() - start;
      this.queries++;
      if (status === 'unsat' && steer.length > 0) {
        steer = [];
        continue;
      }
      if (status !== 'sat') return status;
      const model = this.solver.model();
      const lemmas = this.calendar.refine(model);
      if (lemmas.length === 0) return 'sat';
      this.solver.add(...lemmas);
      steer = this.assumptions(this.calendar.where(model));
    }
    return 'unsettled';
  }

  /** A fresh literal for each formula, implying it in the current scope: what checks assume. */
  private assumptions(formulas: readonly Bool[]): Bool[] {
    return formulas.map((f) => {
      const literal = this.z3.Bool.const(`assume!${this.literals++}`);
      this.solver.add(this.z3.Implies(literal, f));
      return literal;
    });
  }
}
