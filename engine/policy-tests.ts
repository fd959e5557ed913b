// Policy tests: YAML files beside the policies (`article-12.test.yaml` beside `article-12.tiaoli`)
// whose cases name an event (a partial one, filled from named fixtures), the decision fields they
// expect and, optionally, the rules that must fire. YAML because the cases are mostly events, which
// are data; lawyers read it easily, and it keeps test data out of the policy grammar.
// Browser-safe: the playground runs the tests of the open files with this module.
import { Type, type Static } from '@sinclair/typebox';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { diagnostic, suggest, type Diagnostic, type DiagnosticArgs } from '../language/diagnostics.js';
import { indexOf, type VocabularyIndex } from '../language/vocabulary.js';
import { spanAt } from '../language/source.js';
import { citationText } from './citation-text.js';
import type { CompiledPolicy } from './compile.js';
import { decide, isDecisionError } from './decide.js';
import type { Decision } from './schema/decision.js';
import type { Event } from './schema/event.js';
import { schemaValidator } from './validate.js';

const Partial = Type.Record(Type.String(), Type.Unknown());
const Expect = Type.Object(
  {
    allowed: Type.Optional(Type.Boolean()),
    verification: Type.Optional(Type.Array(Type.String())),
    labeling: Type.Optional(Type.Array(Type.String())),
    disposal: Type.Optional(Type.Array(Type.String())),
    retention: Type.Optional(Type.Array(Partial)),
    obligations: Type.Optional(Type.Array(Partial)),
    citations: Type.Optional(Type.Array(Type.String({ pattern: '^\\S+ \\d+(\\.\\d+)?$' }))),
    fired: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
const Case = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    event: Type.Optional(Partial),
    expect: Type.Optional(Expect),
    each: Type.Optional(Type.Array(Partial, { minItems: 1 })),
  },
  { additionalProperties: false },
);
export const TestFileSchema = Type.Object(
  {
    fixtures: Type.Optional(Type.Record(Type.String(), Partial)),
    cases: Type.Array(Case, { minItems: 1 }),
  },
  { additionalProperties: false },
);
type TestFileData = Static<typeof TestFileSchema>;
type Expectation = Static<typeof Expect>;

export interface TestSource {
  readonly path: string;
  readonly text: string;
}

export interface CaseResult {
  readonly file: string;
  readonly line: number;
  /** The case name, with the row's values for a parameterised case. */
  readonly name: string;
  readonly passed: boolean;
  /** One line per field that differs: `field: expected X, got Y` (the `mismatches`, as text). */
  readonly differences: readonly string[];
  /** Each field of the expectation the decision does not meet, with what was expected and what was decided. */
  readonly mismatches: readonly Mismatch[];
  readonly fired: readonly string[];
}

/** What a case may expect of a decision. */
export type ExpectedField = keyof Expectation;

/**
 * A field of a case's expectation that the decision does not meet: as the case wrote it and as the
 * decision has it (`citations` as `live-2016 12.1`, `fired` as rule ids), for a reader to name.
 */
export interface Mismatch {
  readonly field: ExpectedField;
  readonly expected: unknown;
  readonly actual: unknown;
  /** For a list: the entries expected that the decision lacks, and those it has that were not expected. */
  readonly missing?: readonly unknown[];
  readonly extra?: readonly unknown[];
}

export interface TestProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** Its own diagnostic, when it has one (else TL093 with `message`): a field or fixture not known, with "did you mean". */
  readonly kind?: 'testUnknownField' | 'testUnknownFixture';
  readonly args?: DiagnosticArgs;
}

/** A problem of its own kind; its message is the diagnostic's, with its help. */
function known(file: string, line: number, kind: NonNullable<TestProblem['kind']>, args: DiagnosticArgs): TestProblem {
  const d = diagnostic(kind, spanAt({ path: file, text: '' }, 0, 0), args);
  return { file, line, message: `${d.message}: ${d.help}`, kind, args };
}

export interface TestRun {
  readonly results: readonly CaseResult[];
  /** Test files that could not be read: bad YAML, wrong shape, unknown fixture, invalid event. */
  readonly problems: readonly TestProblem[];
  /** The event each result decided, by its index: real events for examples (the OpenAPI document's). */
  readonly events: readonly Event[];
}

const FixtureFile = Type.Object({ fixtures: Type.Record(Type.String(), Partial) }, { additionalProperties: false });

/** The named fixtures of fixture files (`fixtures.yaml`), a later file's name over an earlier's; what cannot be read goes to `problems`. */
function readFixtures(shared: readonly TestSource[], problems: TestProblem[]): Record<string, Record<string, unknown>> {
  const fixtures: Record<string, Record<string, unknown>> = {};
  for (const f of shared) {
    const doc = readYaml(f, problems, FixtureFile);
    if (doc) Object.assign(fixtures, (doc.data as { fixtures: typeof fixtures }).fixtures);
  }
  return fixtures;
}

/** The fixtures of fixture files, in order; a file that cannot be read gives none (the test run reports it). */
export const fixturesOf = (shared: readonly TestSource[]): Record<string, unknown>[] => Object.values(readFixtures(shared, []));

/**
 * Runs every case of the test files against a compiled policy. `shared` are fixture files
 * (`fixtures.yaml`) whose fixtures every test file may use.
 */
export function runPolicyTests(policy: CompiledPolicy, files: readonly TestSource[], shared: readonly TestSource[] = []): TestRun {
  const run = policyTestsByFile(policy, files, shared);
  for (let step = run.next(); ; step = run.next()) if (step.done) return step.value;
}

/**
 * `runPolicyTests` a file at a time: yields before each test file, and returns the whole run. The
 * playground's worker gives way between files to requests that came meanwhile, and gives up a run
 * an edit has made out of date.
 */
export function* policyTestsByFile(policy: CompiledPolicy, files: readonly TestSource[], shared: readonly TestSource[] = []): Generator<void, TestRun> {
  const results: CaseResult[] = [];
  const problems: TestProblem[] = [];
  const events: Event[] = [];
  const sharedFixtures = readFixtures(shared, problems);
  const vocabulary = indexOf(policy.checked.vocabulary);
  for (const f of files) {
    yield;
    const doc = readYaml(f, problems, TestFileSchema);
    if (!doc) continue;
    const data = doc.data as TestFileData;
    const fixtures = { ...sharedFixtures, ...data.fixtures };
    data.cases.forEach((c, i) => {
      const line = doc.lineOf(['cases', i]);
      const rows = c.each ?? [{}];
      rows.forEach((row, r) => {
        const { expect: rowExpect, unset: rowUnset, ...overrides } = row as { expect?: Expectation; unset?: unknown } & Record<string, unknown>;
        const rowLine = c.each ? doc.lineOf(['cases', i, 'each', r]) : line;
        const built = buildEvent(c.event ?? {}, overrides, rowUnset, fixtures, vocabulary, `${f.path}:${rowLine}`);
        if ('problem' in built) {
          problems.push(built.problem.kind ? known(f.path, rowLine, built.problem.kind, built.problem.args) : { file: f.path, line: rowLine, message: built.problem.message });
          return;
        }
        const decision = decide(policy, built.event);
        if (isDecisionError(decision)) {
          problems.push({ file: f.path, line: rowLine, message: `the event is invalid: ${decision.error.errors?.map((e) => `${e.path} ${e.message}`).join('; ')}` });
          return;
        }
        const expected = { ...c.expect, ...rowExpect };
        const mismatches = compare(expected, decision);
        const differences = mismatches.map((m) => `${m.field}: expected ${show(m.expected)}, got ${show(m.actual)}`);
        const label = c.each ? `${c.name} [${Object.entries({ ...overrides, ...(rowUnset === undefined ? {} : { unset: rowUnset }) }).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}]` : c.name;
        results.push({ file: f.path, line: rowLine, name: label, passed: mismatches.length === 0, differences, mismatches, fired: decision.trace.map((t) => t.rule) });
        events.push(built.event as Event);
      });
    });
  }
  return { results, problems, events };
}

/** A run's failing cases and unreadable tests as diagnostics, each over its line of its file (`files`, for the lines). */
export function testDiagnostics(run: TestRun, files: readonly TestSource[]): Diagnostic[] {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const line = (file: string, n: number) => {
    const text = texts.get(file) ?? '';
    const start = text.split('\n').slice(0, n - 1).reduce((o, l) => o + l.length + 1, 0);
    const end = text.indexOf('\n', start);
    return spanAt({ path: file, text }, start, end < 0 ? text.length : end);
  };
  return [
    ...run.problems.map((p) => (p.kind ? diagnostic(p.kind, line(p.file, p.line), p.args) : diagnostic('testFileProblem', line(p.file, p.line), { message: p.message }))),
    ...run.results.filter((r) => !r.passed).map((r) => diagnostic('testCaseFails', line(r.file, r.line), { name: r.name, differences: r.differences.join('; ') })),
  ];
}

interface YamlDoc {
  readonly data: unknown;
  readonly lineOf: (path: readonly (string | number)[]) => number;
}

function readYaml(f: TestSource, problems: TestProblem[], schema: object): YamlDoc | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(f.text, { lineCounter: lines, uniqueKeys: true });
  const lineAt = (offset: number) => lines.linePos(offset).line;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push({ file: f.path, line: lineAt(e.pos[0]), message: e.message.split('\n')[0]! });
    return undefined;
  }
  const lineOf = (path: readonly (string | number)[]): number => {
    const node = doc.getIn(path, true) as Node | undefined;
    return node?.range ? lineAt(node.range[0]) : 1;
  };
  const data = doc.toJS();
  const checked = schemaValidator<unknown>(schema)(data);
  if (!checked.ok) {
    for (const e of checked.errors) {
      const path = e.path.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      problems.push({ file: f.path, line: lineOf(nearestNode(doc, path)), message: `${e.path}: ${e.message}` });
    }
    return undefined;
  }
  return { data, lineOf };
}

/** The deepest prefix of `path` that exists in the document (a missing key points at its parent). */
function nearestNode(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): (string | number)[] {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (node !== undefined) return path.slice(0, n);
  }
  return [];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Objects merge key by key; anything else (lists included) replaces. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

type BuildProblem = { readonly message: string; readonly kind?: undefined } | { readonly kind: NonNullable<TestProblem['kind']>; readonly args: DiagnosticArgs };

/** A list of dotted paths as a test names them (`unset: [actor.role]`, or one alone), or a problem. */
function pathList(value: unknown, where: string): string[] | BuildProblem {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (!list.every((p): p is string => typeof p === 'string')) return { message: `${where}: expected a list of field paths (unset: [actor.role])` };
  return list;
}

/**
 * `use` names fixtures to start from (in order); the rest of `event` and the row's dotted-path values
 * go on top; then the event's and the row's `unset` paths are removed. Every path the result holds,
 * and every one unset, must be a field or object of the vocabulary: a misspelled one would leave the
 * case testing nothing about it, and an event takes fields it does not know without complaint.
 */
function buildEvent(
  event: Record<string, unknown>,
  row: Record<string, unknown>,
  rowUnset: unknown,
  fixtures: Record<string, Record<string, unknown>>,
  vocabulary: VocabularyIndex,
  where: string,
): { event: unknown } | { problem: BuildProblem } {
  const { use, unset, ...own } = event as { use?: unknown; unset?: unknown } & Record<string, unknown>;
  let out: Record<string, unknown> = {};
  for (const name of use === undefined ? [] : Array.isArray(use) ? use : [use]) {
    const fixture = fixtures[String(name)];
    if (!fixture) return { problem: { kind: 'testUnknownFixture', args: { name: String(name), ...suggest(String(name), Object.keys(fixtures).sort(), 'the fixtures') } } };
    out = merge(out, fixture);
  }
  out = merge(out, own);
  for (const [path, value] of Object.entries(row)) out = merge(out, nest(path.split('.'), value));
  const unsetPaths = [pathList(unset, 'event.unset'), pathList(rowUnset, 'unset')];
  const removed: string[] = [];
  for (const p of unsetPaths) {
    if (!Array.isArray(p)) return { problem: p };
    removed.push(...p);
  }
  const unknown = [...pathsOf(out), ...removed].find((p) => !vocabulary.fields.has(p) && !vocabulary.objects.has(p));
  if (unknown !== undefined) return { problem: { kind: 'testUnknownField', args: { path: unknown, ...suggest(unknown, [...vocabulary.fieldPaths, ...vocabulary.objects.keys()], 'the fields') } } };
  // The merged event still shares objects with the fixtures: copy it before removing anything.
  if (removed.length > 0) out = structuredClone(out);
  for (const path of removed) remove(out, path.split('.'));
  if (out['id'] === undefined) out['id'] = where;
  return { event: out };
}

/** The dotted paths of an event's values, down to the fields (an object's own keys are paths too). */
function pathsOf(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) => {
    const path = `${prefix}${k}`;
    return isObject(v) ? [path, ...pathsOf(v, `${path}.`)] : [path];
  });
}

function nest(keys: string[], value: unknown): Record<string, unknown> {
  return keys.reduceRight<Record<string, unknown>>((inner, k, i) => ({ [k]: i === keys.length - 1 ? value : inner }), {} as Record<string, unknown>);
}

function remove(obj: Record<string, unknown>, keys: string[]): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  if (rest.length === 0) delete obj[head];
  else if (isObject(obj[head])) remove(obj[head] as Record<string, unknown>, rest);
}

const show = (v: unknown) => JSON.stringify(v);
const sortedStrings = (xs: readonly string[]) => [...xs].sort();
/** An expected entry matches an actual one when every field it names is equal; a field given as null must be absent (`due: null`: no due date). */
const matches = (want: Record<string, unknown>, got: object) =>
  Object.entries(want).every(([k, v]) => (got as Record<string, unknown>)[k] === (v === null ? undefined : v));

function compare(expected: Expectation, d: Decision): Mismatch[] {
  const out: Mismatch[] = [];
  /** Two lists, with the entries of each side the other has no match for. */
  const apart = <W, G>(field: ExpectedField, want: readonly W[], got: readonly G[], match: (w: W, g: G) => boolean) => ({
    field,
    expected: want,
    actual: got,
    missing: want.filter((w) => !got.some((g) => match(w, g))),
    extra: got.filter((g) => !want.some((w) => match(w, g))),
  });
  const lists = <W, G>(field: ExpectedField, want: readonly W[], got: readonly G[], match: (w: W, g: G) => boolean) => out.push(apart(field, want, got, match));
  const same = (w: string, g: string) => w === g;
  if (expected.allowed !== undefined && expected.allowed !== d.allowed) out.push({ field: 'allowed', expected: expected.allowed, actual: d.allowed });
  for (const field of ['verification', 'labeling', 'disposal'] as const) {
    const want = expected[field];
    if (want && show(sortedStrings(want)) !== show(d[field])) lists(field, sortedStrings(want), d[field], same);
  }
  for (const field of ['retention', 'obligations'] as const) {
    const want = expected[field];
    const got: readonly object[] = d[field];
    if (want && (want.length !== got.length || !want.every((w) => got.some((g) => matches(w, g))))) lists(field, want, got, matches);
  }
  if (expected.citations) {
    const want = sortedStrings(expected.citations);
    const got = sortedStrings(d.citations.map(citationText));
    if (show(want) !== show(got)) lists('citations', want, got, same);
  }
  if (expected.fired) {
    const got = d.trace.map((t) => t.rule);
    // A rule may be named by its id (`live-2016/12/name`) or, within its file's article, by name alone.
    const fired = apart('fired', expected.fired, got, (r: string, g: string) => g === r || g.endsWith(`/${r}`));
    if (fired.missing.length || fired.extra.length) out.push(fired);
  }
  return out;
}

export interface RuleCoverage {
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  readonly regulation: string;
  readonly article: number;
  /** How many cases made it fire. */
  readonly cases: number;
}

/** Every rule of the policy and how many cases made it fire: coverage is a tracer on evaluation. */
export function ruleCoverage(policy: CompiledPolicy, results: readonly CaseResult[]): RuleCoverage[] {
  const counts = new Map<string, number>();
  for (const r of results) for (const id of new Set(r.fired)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return policy.checked.articles.flatMap((a) =>
    a.rules.map((rule) => ({ rule: rule.id, file: rule.file, line: rule.span.start.line, regulation: a.regulation, article: a.article, cases: counts.get(rule.id) ?? 0 })),
  );
}
