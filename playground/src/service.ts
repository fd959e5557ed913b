// The playground's workspace: policy and test files analysed with the real passes (check, compile,
// policy tests, decide, explain), and the editor's requests answered by the shared language services
// (language/services/). It runs in the page's worker; it is plain TypeScript with no DOM or editor
// types, so vitest runs it in Node too.
import { compileSnapshot } from '../../engine/bundle.js';
import type { CompiledPolicy } from '../../engine/compile.js';
import { decide, isDecisionError } from '../../engine/decide.js';
import { explain, remedyText, renderExplanation } from '../../engine/explain.js';
import { isFixturesFile, isPolicyFile, isTestFile } from '../../engine/files.js';
import { policyTestsByFile, ruleCoverage } from '../../engine/policy-tests.js';
import type { Event } from '../../engine/schema/event.js';
import { glossaryOf } from '../../language/glossary.js';
import * as services from '../../language/services/index.js';
import type { Span } from '../../language/source.js';
import type { Analysis, DecideResult, FileText, FormatAnswer, HoverInfo, TestReport } from './protocol.js';

export class Workspace {
  private readonly files = new Map<string, string>();
  private snapshot: services.Snapshot = services.snapshot([]);
  private policy: CompiledPolicy | undefined;
  /** Rule id → the number of test cases that made it fire. */
  private coverage = new Map<string, number>();

  /** Counts syncs: a test run started before the latest one is out of date. */
  private generation = 0;

  /** Takes in changed files and analyses the whole workspace, but for the policy tests (`tests`). */
  sync(changed: readonly FileText[]): Analysis {
    this.generation++;
    for (const f of changed) this.files.set(f.path, f.text);
    this.snapshot = services.snapshot(this.all().filter((f) => isPolicyFile(f.path)), this.snapshot);
    const { checked, diagnostics } = this.snapshot;
    const policy = (this.policy = compileSnapshot(this.snapshot));
    return {
      diagnostics,
      ...(policy ? { digest: policy.digest } : {}),
      regulations: checked.regulations.map(({ id, file, titleZh, titleEn, articleCount }) => ({ id, file, titleZh, titleEn, articleCount })),
      articles: checked.articles.map(({ file, regulation, article, version, paragraphs, nonOperative }) => ({ file, regulation, article, version, paragraphs, nonOperative })),
      glossary: glossaryOf(checked.vocabulary),
    };
  }

  /**
   * The policy tests of the workspace as last synced, with coverage; null when its policies do not
   * compile. Runs a test file at a time and awaits `giveWay` between files, so that requests sent
   * meanwhile are answered first; a sync among them makes this run `outdated`.
   */
  async tests(giveWay: () => Promise<void>): Promise<TestReport | null | 'outdated'> {
    const { policy, generation } = this;
    if (!policy) {
      this.coverage = new Map();
      return null;
    }
    const all = this.all();
    const run = policyTestsByFile(policy, all.filter((f) => isTestFile(f.path)), all.filter((f) => isFixturesFile(f.path)));
    for (let step = run.next(); ; step = run.next()) {
      if (step.done) {
        const { results, problems } = step.value;
        const coverage = ruleCoverage(policy, results);
        this.coverage = new Map(coverage.map((c) => [c.rule, c.cases]));
        return { results, problems, coverage };
      }
      await giveWay();
      if (this.generation !== generation) return 'outdated';
    }
  }

  private all(): FileText[] {
    return [...this.files].map(([path, text]) => ({ path, text })).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  decide(event: unknown): DecideResult {
    if (!this.policy) return { ok: false, reason: 'not-compiled' };
    const decision = decide(this.policy, event);
    if (isDecisionError(decision)) return { ok: false, reason: 'invalid', errors: decision.error.errors ?? [] };
    const explanation = explain(this.policy, event as Event);
    const text = { zh: renderExplanation(explanation, event as Event, 'zh'), en: renderExplanation(explanation, event as Event, 'en') };
    return { ok: true, decision, explanation, text, remedies: { zh: remedyText(explanation, 'zh'), en: remedyText(explanation, 'en') } };
  }

  format(file: FileText): FormatAnswer {
    return isPolicyFile(file.path) ? services.formatting(this.at(file), file.path) : { diagnostics: [] };
  }

  hover(file: FileText, offset: number): HoverInfo | null {
    return isPolicyFile(file.path) ? services.hover(this.at(file), file.path, offset, { casesOf: (id) => this.coverage.get(id) }) : null;
  }

  definition(file: FileText, offset: number): { path: string; span: Span } | null {
    const span = isPolicyFile(file.path) ? services.definition(this.at(file), file.path, offset) : null;
    return span && { path: span.file, span };
  }

  complete(file: FileText, offset: number): services.Completions {
    return isPolicyFile(file.path) ? services.complete(this.at(file), file.path, offset) : { from: offset, items: [] };
  }

  references(file: FileText, offset: number): Span[] {
    return isPolicyFile(file.path) ? services.references(this.at(file), file.path, offset) : [];
  }

  symbols(file: FileText): services.OutlineSymbol[] {
    return isPolicyFile(file.path) ? services.documentSymbols(this.at(file), file.path) : [];
  }

  /** A rename across the workspace: policies, and the `fired` lists of the policy tests. */
  rename(file: FileText, offset: number, name: string): services.RenameResult | null {
    const tests = [...this.files].filter(([path]) => isTestFile(path)).map(([path, text]) => ({ path, text }));
    return isPolicyFile(file.path) ? services.rename(this.at(file), file.path, offset, name, tests) : null;
  }

  /** Quick fixes for the diagnostics of `file` over [start, end). */
  fixes(file: FileText, start: number, end: number): services.CodeAction[] {
    return isPolicyFile(file.path) ? services.codeActions(this.at(file), file.path, start, end) : [];
  }

  /** The workspace with `file` as the editor has it now (a request may come before the edit's sync). */
  private at(file: FileText): services.Snapshot {
    return services.update(this.snapshot, [file]);
  }
}
