// The messages between the page and its workers. The language worker owns the language: it parses,
// checks, compiles, tests and decides with the real passes; the page only shows what it answers.
// The analysis worker compares the edited policies with the shipped ones, with Z3.
import type { Finding } from '../../engine/analysis/analyze.js';
import type { Comparison } from '../../engine/analysis/compare.js';
import type { CaseResult, RuleCoverage, TestProblem } from '../../engine/policy-tests.js';
import type { Explanation, RemedyText } from '../../engine/explain.js';
import type { FieldError } from '../../engine/validate.js';
import type { Decision } from '../../engine/schema/decision.js';
import type { CheckedArticle, CheckedRegulation } from '../../language/checked.js';
import type { Diagnostic } from '../../language/diagnostics.js';
import type { Glossary } from '../../language/glossary.js';
import type { Span } from '../../language/source.js';
import type { CodeAction, Completions, Formatted, Hover, OutlineSymbol, RenameResult } from '../../language/services/index.js';

/** A file of the workspace: a policy (`*.tiaoli`), a policy test (`*.test.yaml`) or `fixtures.yaml`. */
export interface FileText {
  readonly path: string;
  readonly text: string;
}

export type RegulationInfo = Pick<CheckedRegulation, 'id' | 'file' | 'titleZh' | 'titleEn' | 'articleCount'>;
export type ArticleInfo = Pick<CheckedArticle, 'file' | 'regulation' | 'article' | 'version' | 'paragraphs' | 'nonOperative'>;

export interface TestReport {
  readonly results: readonly CaseResult[];
  readonly problems: readonly TestProblem[];
  readonly coverage: readonly RuleCoverage[];
}

/** What the workspace is after an edit. */
export interface Analysis {
  /** Every file's diagnostics (their spans name the file). */
  readonly diagnostics: readonly Diagnostic[];
  /** Set when the policies compile. */
  readonly digest?: string;
  readonly regulations: readonly RegulationInfo[];
  readonly articles: readonly ArticleInfo[];
  /** How the vocabulary names fields and codes, for the page to show decisions in. */
  readonly glossary: Glossary;
  /** The policy tests, run when the policies compile: not part of a sync's answer, but of the `tests` request after it. */
  readonly tests?: TestReport;
}

/** Completion and hover are the shared language services' (language/services/). */
export type { CompletionKind, Hover as HoverInfo } from '../../language/services/index.js';

export type DecideResult =
  | {
      readonly ok: true;
      readonly decision: Decision;
      readonly explanation: Explanation;
      /** The explanation as text, and what would make a denied event allowed, in each language. */
      readonly text: { readonly zh: string; readonly en: string };
      readonly remedies: { readonly zh: RemedyText; readonly en: RemedyText };
    }
  | { readonly ok: false; readonly reason: 'invalid'; readonly errors: readonly FieldError[] }
  | { readonly ok: false; readonly reason: 'not-compiled' };

export type { Formatted as FormatAnswer } from '../../language/services/index.js';

/** Each request and the answer it gets. Requests that read a file carry its current text. */
export interface Requests {
  sync: { args: { files: readonly FileText[] }; answer: Analysis };
  /** The tests of the policies as last synced; null when they do not compile, `outdated` when a sync came during the run. */
  tests: { args: Record<string, never>; answer: TestReport | null | 'outdated' };
  complete: { args: { file: FileText; offset: number }; answer: Completions };
  hover: { args: { file: FileText; offset: number }; answer: Hover | null };
  definition: { args: { file: FileText; offset: number }; answer: { path: string; span: Span } | null };
  format: { args: { file: FileText }; answer: Formatted };
  references: { args: { file: FileText; offset: number }; answer: Span[] };
  symbols: { args: { file: FileText }; answer: OutlineSymbol[] };
  rename: { args: { file: FileText; offset: number; name: string }; answer: RenameResult | null };
  fixes: { args: { file: FileText; start: number; end: number }; answer: CodeAction[] };
  decide: { args: { event: unknown }; answer: DecideResult };
}

export type Op = keyof Requests;
export type Request = { [K in Op]: { id: number; op: K; args: Requests[K]['args'] } }[Op];
export type Response = { id: number; answer: unknown } | { id: number; error: string };

/** What the page asks the analysis worker: which decisions the edits change. */
export interface ChangeRequest {
  readonly shipped: readonly FileText[];
  readonly edited: readonly FileText[];
  /** The policy files edited: findings of `analyze` are about their rules only. */
  readonly editedPaths: readonly string[];
  /** The policy tests' fixture files: witnesses take their values where they fit. */
  readonly fixtures: readonly FileText[];
}

export interface ChangeReport {
  /** `compare(shipped, edited)`: no change and nothing undecided is a proof. */
  readonly comparison: Comparison;
  /** `analyze(edited)` on the rules of the edited files: dead, redundant and contradicting rules. */
  readonly findings: readonly Finding[];
  /** Time spent loading Z3 in this run (0 once loaded), and then building, comparing and analysing. */
  readonly loadMs: number;
  readonly analysisMs: number;
}

/** What the analysis worker posts for a request: progress, then the report or why there is none. */
export type ChangeMessage =
  | { readonly kind: 'progress'; readonly stage: 'loading' | 'comparing' }
  | { readonly kind: 'done'; readonly report: ChangeReport }
  | { readonly kind: 'failed'; readonly message: string };
