// `tiaoli analyze`: the semantic analysis of engine/analysis/ (Z3) on the command line.
import { analyze } from '../analysis/analyze.js';
import { compare, type Comparison } from '../analysis/compare.js';
import type { Z3 } from '../analysis/solver.js';
import { loadZ3 } from '../analysis/z3-node.js';
import { fixturesOf } from '../policy-tests.js';
import type { CompiledPolicy } from '../compile.js';
import { readTestFiles } from '../load.js';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { locatedIn, UsageError } from './paths.js';
import { loadOrReport, policiesOf } from './policies.js';

type Write = (s: string) => void;

/**
 * Exit status: 0 when the analysis finds no error or warning (infos are notes) or the comparison
 * proves nothing changes; 1 on findings or changes; 2 for bad usage or policies that do not
 * compile; 3 when the analysis cannot stand behind its answer (a witness the engine does not
 * confirm, or a question Z3 left undecided): a bug to report.
 */
export interface AnalyzeOptions {
  /** The policy directory, named as an argument; or `policies`. */
  readonly dir?: string;
  readonly policies?: string;
  /** Two revisions, as `tiaoli diff` names them: compare `base` with `head` (default: the policy directory). */
  readonly base?: string;
  readonly head?: string;
  readonly json?: boolean;
}

export async function analyzeCommand(o: AnalyzeOptions, out: Write = (s) => process.stdout.write(s), err: Write = (s) => process.stderr.write(s)): Promise<number> {
  const dir = policiesOf(o.dir, o.policies);
  if (o.head !== undefined && o.base === undefined) throw new UsageError('--head is compared with --base: give both');
  if (o.head !== undefined && (o.dir !== undefined || o.policies !== undefined)) throw new UsageError('name the revision after once: --head DIR, or the policy directory');
  const head = loadOrReport(o.head ?? dir, 'tiaoli analyze', err);
  const base = o.base === undefined ? undefined : loadOrReport(o.base, 'tiaoli analyze', err);
  if (!head || (o.base !== undefined && !base)) return 2;
  const json = o.json ?? false;
  const { z3, close } = await loadZ3();
  try {
    return base ? await comparing(z3, base, head, fixturesIn(o.head ?? dir), json, out, err) : await analysing(z3, head, o.head ?? dir, json, out);
  } catch (error) {
    // A witness the schema refuses, an answer Z3 could not give: the analysis's own failures.
    err(`tiaoli analyze: BUG: ${error instanceof Error ? error.message : String(error)}\n`);
    return 3;
  } finally {
    // Z3's threads not ending in time is said, but the analysis is done and its answer stands.
    await close().catch((e: Error) => err(`tiaoli analyze: ${e.message}\n`));
  }
}

/** `dir`: where the policies are, for the findings to name their files from the current directory. */
async function analysing(z3: Z3, policy: CompiledPolicy, dir: string, json: boolean, out: Write): Promise<number> {
  const found = await analyze(z3, policy);
  const a = { ...found, findings: found.findings.map((f) => ({ ...f, diagnostic: locatedIn(dir, f.diagnostic) })) };
  const count = (s: string) => a.findings.filter((f) => f.diagnostic.severity === s).length;
  if (json) {
    const diagnostics = a.findings.map((f) => ({ ...f.diagnostic, ...(f.witness && { witness: f.witness }) }));
    out(`${JSON.stringify({ rules: a.rules, queries: a.queries, solverMs: Math.round(a.solverMs), diagnostics }, null, 2)}\n`);
  } else {
    for (const f of a.findings) out(`${formatDiagnostic(f.diagnostic)}\n${f.witness ? `  witness: ${JSON.stringify(f.witness)}\n` : ''}`);
    out(`${a.rules} rules analysed: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info(s); ${a.queries} queries, solver ${Math.round(a.solverMs)} ms\n`);
  }
  return count('error') + count('warning') > 0 ? 1 : 0;
}

/** The fixtures of the policy tests of the head revision (its `fixtures.yaml` files, read by the tree reader as the policies were), for witnesses to take their values. */
const fixturesIn = (dir: string): Record<string, unknown>[] => fixturesOf(readTestFiles(dir).fixtures);

async function comparing(z3: Z3, base: CompiledPolicy, head: CompiledPolicy, fixtures: readonly Record<string, unknown>[], json: boolean, out: Write, err: Write): Promise<number> {
  const c = await compare(z3, base, head, { fixtures });
  const unconfirmed = c.changes.filter((x) => !x.confirmed);
  const proved = c.changes.length === 0 && c.undecided.length === 0;
  if (json) {
    const changes = c.changes.map(({ observable, headline, articles, before, after, confirmed, witness, differences }) => ({ observable, headline, articles, before, after, confirmed, witness, differences }));
    const { observables, identical, questions, queries } = c;
    out(`${JSON.stringify({ proved, observables, identical, questions, queries, solverMs: Math.round(c.solverMs), changes, undecided: c.undecided }, null, 2)}\n`);
  } else {
    out(report(c, proved));
  }
  for (const x of unconfirmed) err(`tiaoli analyze: BUG: Z3 says ${x.observable} ${x.change} on ${JSON.stringify(x.witness)}, but the engine decides it alike under both revisions\n`);
  for (const u of c.undecided) err(`tiaoli analyze: not proved: Z3 left ${u} undecided\n`);
  return unconfirmed.length > 0 || c.undecided.length > 0 ? 3 : proved ? 0 : 1;
}

function report(c: Comparison, proved: boolean): string {
  const lines = c.changes.flatMap((x) => [
    `${x.observable}: ${x.change}${x.confirmed ? '' : '  (NOT CONFIRMED by the engine)'}`,
    `  ${x.articles.join(', ')}: ${x.headline.en}`,
    `  event: ${JSON.stringify(x.witness)}`,
    ...x.differences.map((d) => `  ${d.field}: ${JSON.stringify(d.base)} → ${JSON.stringify(d.head)}`),
  ]);
  const summary = proved
    ? "no event's decision changes (proved)"
    : `${c.changes.length} kind(s) of change, each with a witness event decided under both revisions${c.undecided.length ? `; ${c.undecided.length} question(s) undecided` : ''}`;
  const work = `${c.observables} parts of the decision compared, ${c.identical} the same formula in both; ${c.questions} questions, ${c.queries} queries, solver ${Math.round(c.solverMs)} ms`;
  return [...lines, `${summary}: ${work}`, ''].join('\n');
}
