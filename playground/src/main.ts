// The playground page: the shipped policies as a file tree in Monaco, checked, tested and compiled
// live by the real passes in a worker; an event panel that decides with the compiled policies; and,
// on demand, what the edits change, proved or shown by witness events (Z3 in a second worker).
import { isPolicyFile, isTestFile } from '../../engine/files.js';
import type { Diagnostic } from '../../language/diagnostics.js';
import type { Lang } from '../../language/glossary.js';
import { Articles } from './articles.js';
import { ChangeAnalysis, isStale, renderChanges, tick, type ChangeState } from './changes.js';
import { fatal, type Early, type Opened, type Sources } from './boot.js';
import { SYNC_PAUSE_MS, type Files, type FirstView } from './first-view.js';
import { renderDecision } from './decision.js';
import { EXAMPLES } from './examples.js';
import { mismatchLine } from './mismatch.js';
import { jsonDefaults, monaco } from './monaco.js';
import { renderFiles, renderSummary } from './panels.js';
import type { Analysis, DecideResult, FileText, TestReport } from './protocol.js';
import { examplePicker } from './picker.js';
import { save } from './store.js';
import { LANGUAGE_ID, pathOf, rangeOf, registerTiaoli, uriOf } from './tiaoli.js';
import { byId, h } from './view.js';

const FONT = '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", "Noto Sans Mono CJK", monospace';
const EMPTY: Analysis = { diagnostics: [], regulations: [], articles: [], glossary: { fields: {}, values: {}, codes: {} } };

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function toast(message: string): void {
  const el = byId('toast');
  el.textContent = message;
  el.removeAttribute('hidden');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.setAttribute('hidden', ''), 6000);
}

/** A diagnostic as a marker, its message and help in the page's language (the help in the other one after). */
function markerOf(d: Diagnostic, lang: Lang): monaco.editor.IMarkerData {
  const r = rangeOf(d.span);
  // A span with no width still needs something to underline.
  const end = r.isEmpty() ? { endLineNumber: r.startLineNumber, endColumn: r.startColumn + 1 } : { endLineNumber: r.endLineNumber, endColumn: r.endColumn };
  return {
    severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
    message: lang === 'zh' ? `${d.messageZh}\n提示：${d.helpZh}\nhelp: ${d.help}` : `${d.message}\nhelp: ${d.help}\n提示：${d.helpZh}`,
    code: d.code,
    source: 'tiaoli',
    startLineNumber: r.startLineNumber,
    startColumn: r.startColumn,
    ...end,
  };
}

function selectTab(name: string): void {
  for (const t of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) {
    t.setAttribute('aria-selected', String(t.dataset['tab'] === name));
    byId(t.dataset['tab']!).toggleAttribute('hidden', t.dataset['tab'] !== name);
  }
}

/** The page, once the editor is loaded (boot.ts started the rest). */
export async function start(early: Early): Promise<void> {
  let sources: Sources;
  let eventSchema: { readonly $id: string };
  let opened: Opened;
  let files: Files;
  let first: FirstView;
  try {
    [sources, eventSchema, opened, files, first] = await Promise.all([early.sources, early.eventSchema, early.opened, early.files, early.firstView]);
  } catch (e) {
    fatal(`Could not load the policies from the server: ${(e as Error).message}. Is \`npm start\` running?`);
    return;
  }
  // From here to the editor's creation is one task: nothing typed in the first view can be lost.
  const taken = first.handOver();
  const { saved } = opened;
  const { base, edits } = files;
  const paths = [...base.keys()];
  let lang: Lang = saved.lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  let analysis = EMPTY;
  let lastResult: DecideResult | undefined;

  const { client } = early;
  registerTiaoli(client, toast);

  for (const path of paths) monaco.editor.createModel(edits.get(path) ?? base.get(path)!, isPolicyFile(path) ? LANGUAGE_ID : 'yaml', uriOf(path));
  const modelOf = (path: string) => monaco.editor.getModel(uriOf(path))!;
  let open = taken.open;

  taken.remove();
  const editor = monaco.editor.create(byId('editor'), {
    model: modelOf(open),
    theme: 'tiaoli',
    automaticLayout: true,
    glyphMargin: true,
    wordWrap: 'on',
    fontFamily: FONT,
    fontSize: 13,
    minimap: { enabled: false },
    fixedOverflowWidgets: true,
    scrollBeyondLastLine: false,
    // One editor shows many files in turn; sticky headings could lag a switch, and the files are short.
    stickyScroll: { enabled: false },
  });
  const [from, to] = taken.selection.map((offset) => modelOf(open).getPositionAt(offset));
  editor.setSelection(monaco.Range.fromPositions(from!, to));
  editor.revealPositionInCenterIfOutsideViewport(to!);
  if (taken.focused) editor.focus();

  const eventUri = monaco.Uri.parse('event:/event.json');
  jsonDefaults.setDiagnosticsOptions({ validate: true, enableSchemaRequest: false, schemaValidation: 'error', schemas: [{ uri: eventSchema.$id, fileMatch: [eventUri.toString()], schema: eventSchema }] });
  const eventModel = monaco.editor.createModel(saved.event ?? JSON.stringify(EXAMPLES[0]!.event, null, 2), 'json', eventUri);
  monaco.editor.create(byId('event-editor'), {
    model: eventModel,
    theme: 'tiaoli',
    automaticLayout: true,
    fontFamily: FONT,
    fontSize: 12,
    minimap: { enabled: false },
    fixedOverflowWidgets: true,
    scrollBeyondLastLine: false,
    lineNumbers: 'off',
    wordWrap: 'on',
  });

  const persist = () => save({ edits: Object.fromEntries(edits), open, event: eventModel.getValue(), lang });
  const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();

  function openFile(path: string, line?: number, column?: number): void {
    if (!base.has(path)) return;
    if (path !== open) {
      viewStates.set(open, editor.saveViewState());
      open = path;
      editor.setModel(modelOf(path));
      const state = viewStates.get(path);
      if (state) editor.restoreViewState(state);
      persist();
      renderChrome();
    }
    if (line !== undefined) {
      editor.setPosition({ lineNumber: line, column: column ?? 1 });
      editor.revealLineInCenter(line);
      editor.focus();
    }
  }
  monaco.editor.registerEditorOpener({
    openCodeEditor(_source, resource, selection) {
      const path = pathOf(resource);
      if (!base.has(path)) return false;
      openFile(path);
      if (selection && monaco.Range.isIRange(selection)) {
        editor.setSelection(selection);
        editor.revealRangeInCenter(selection);
      } else if (selection) {
        editor.setPosition(selection);
        editor.revealPositionInCenter(selection);
      }
      return true;
    },
  });

  const articles = new Articles(() => analysis, () => lang, (path) => openFile(path, 1));
  const showResult = () => {
    if (lastResult) renderDecision(byId('result'), lastResult, { articles, lang, openFile, glossary: analysis.glossary });
  };

  // Z3's findings on the edited files, as markers of their own: an edit to a file clears its own.
  const FINDINGS = 'tiaoli-analysis';
  const changes = new ChangeAnalysis();
  let changeState: ChangeState = { k: 'idle' };
  /** Whether the panel as drawn says its report is out of date. */
  let shownStale = false;
  const showChanges = () => {
    shownStale = isStale(changeState, analysis.digest);
    renderChanges(byId('changes'), changeState, {
      articles,
      lang,
      glossary: analysis.glossary,
      digest: analysis.digest,
      openFile,
      cancel: () => changes.cancel(),
      loadEvent: (event) => {
        eventModel.setValue(JSON.stringify(event, null, 2));
        void decideEvent();
      },
    });
    const done = changeState.k === 'done' ? changeState.report.comparison : undefined;
    byId('change-count').textContent = !done ? '' : done.changes.length || done.undecided.length ? String(done.changes.length) : '✓';
  };

  async function whatChanges(): Promise<void> {
    selectTab('changes');
    if (changeState.k === 'running') return;
    const since = performance.now();
    changeState = { k: 'running', stage: 'starting', since };
    const button = byId<HTMLButtonElement>('what-changes');
    button.disabled = true;
    const ticker = setInterval(() => tick(byId('changes'), changeState), 250);
    showChanges();
    for (const path of paths) monaco.editor.setModelMarkers(modelOf(path), FINDINGS, []);
    try {
      // The report names the digest of the text it compares: edits typed just before count.
      await flush();
      const digest = analysis.digest;
      if (!digest) throw new Error('the edited policies do not compile: fix the errors under Problems first. 修改后的策略无法编译。');
      const policies = paths.filter(isPolicyFile);
      const edited = new Set(policies.filter((p) => edits.has(p)));
      const request = { shipped: sources.files, edited: policies.map((path) => ({ path, text: modelOf(path).getValue() })), editedPaths: [...edited], fixtures: sources.fixtures };
      const report = await changes.run(request, (stage) => {
        changeState = { k: 'running', stage, since };
        showChanges();
      });
      changeState = { k: 'done', report, ms: performance.now() - since, digest, edited };
      for (const path of edited) monaco.editor.setModelMarkers(modelOf(path), FINDINGS, report.findings.filter((f) => f.diagnostic.span.file === path).map((f) => markerOf(f.diagnostic, lang)));
    } catch (e) {
      changeState = { k: 'failed', message: (e as Error).message };
    } finally {
      clearInterval(ticker);
      button.disabled = false;
    }
    showChanges();
  }

  async function decideEvent(): Promise<void> {
    let event: unknown;
    try {
      event = JSON.parse(eventModel.getValue());
    } catch (e) {
      byId('result').replaceChildren(h('div', { class: 'notice error' }, `The event is not JSON 事件不是有效的 JSON: ${(e as Error).message}`));
      lastResult = undefined;
      return;
    }
    lastResult = await client.request('decide', { event });
    showResult();
  }

  // ---------------------------------------------------------------- analysis

  let gutter = new Map<string, string[]>();
  function decorate(): void {
    const next = new Map<string, string[]>();
    const tests = analysis.tests;
    for (const path of paths) {
      const decorations: monaco.editor.IModelDeltaDecoration[] = [];
      const at = (line: number, cls: string, hover: string) =>
        decorations.push({ range: new monaco.Range(line, 1, line, 1), options: { glyphMarginClassName: `glyph ${cls}`, glyphMarginHoverMessage: { value: hover } } });
      if (tests && isPolicyFile(path)) {
        for (const c of tests.coverage.filter((x) => x.file === path)) {
          at(c.line, c.cases ? 'covered' : 'uncovered', c.cases ? `rule \`${c.rule}\`: fires in ${c.cases} test case${c.cases === 1 ? '' : 's'}` : `rule \`${c.rule}\`: no test case makes it fire`);
        }
      }
      if (tests && isTestFile(path)) {
        for (const r of tests.results.filter((x) => x.file === path)) {
          at(r.line, r.passed ? 'pass' : 'fail', [`${r.passed ? '✓ passed' : '✗ failed'}: ${r.name}`, ...r.mismatches.map((m) => mismatchLine(m, analysis.glossary, lang))].join('\n\n'));
        }
      }
      next.set(path, modelOf(path).deltaDecorations(gutter.get(path) ?? [], decorations));
    }
    gutter = next;
  }

  function renderChrome(): void {
    renderFiles(byId('files'), { paths, active: open, modified: new Set(edits.keys()), analysis }, openFile);
    byId('open-path').textContent = open;
  }

  /** Draws the workspace as analysed: markers, gutter, files, status, problems and tests. */
  function show(a: Analysis): void {
    analysis = a;
    for (const path of paths) {
      const markers = a.diagnostics.filter((d) => d.span.file === path).map((d) => markerOf(d, lang));
      for (const p of a.tests?.problems.filter((x) => x.file === path) ?? []) {
        markers.push({ severity: monaco.MarkerSeverity.Error, message: p.message, source: 'tiaoli test', startLineNumber: p.line, startColumn: 1, endLineNumber: p.line, endColumn: modelOf(path).getLineMaxColumn(p.line) });
      }
      monaco.editor.setModelMarkers(modelOf(path), 'tiaoli', markers);
    }
    decorate();
    renderChrome();

    renderSummary(a, openFile, lang);
  }

  /** Tests asked for: only the answer to the last request is shown. */
  let testsAsked = 0;
  /**
   * Shows a sync's answer, then asks for its policy tests, which the worker runs apart so that
   * diagnostics never wait for them: until they answer, the last results stay (while the policies
   * compile); a run that fails takes them away rather than leave them standing for the new text.
   */
  function applyAnalysis(a: Analysis): void {
    show(a.digest && analysis.tests ? { ...a, tests: analysis.tests } : a);
    // A decision on screen follows the policies as they are edited; a report on changes says when it is out
    // of date (redrawn only when that flips, so an open witness stays open while typing).
    if (lastResult && a.digest) void decideEvent();
    if (isStale(changeState, a.digest) !== shownStale) showChanges();
    const asked = ++testsAsked;
    /** The analysis shown, with `tests` in place of the results shown so far (none: a run that failed shows none). */
    const showTests = (tests: TestReport | null) => {
      const { tests: _shown, ...rest } = analysis;
      show(tests ? { ...rest, tests } : rest);
    };
    client.request('tests', {}).then(
      (tests) => {
        if (tests !== 'outdated' && asked === testsAsked) showTests(tests);
      },
      (e: Error) => {
        if (asked === testsAsked) showTests(null);
        toast(`The policy tests failed to run: ${e.message}`);
      },
    );
  }

  const pending = new Set<string>();
  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  let synced: Promise<void> = Promise.resolve();
  const analysed = (answer: Promise<Analysis>) => (synced = answer.then(applyAnalysis, (e: Error) => toast(`Analysis failed: ${e.message}`)));
  const sync = (files: readonly FileText[]) => analysed(client.request('sync', { files }));
  /** Sends the edits still waiting out their pause; resolves once the worker has analysed everything sent. */
  const flush = (): Promise<void> => {
    clearTimeout(syncTimer);
    if (pending.size) {
      const files = [...pending].map((p) => ({ path: p, text: modelOf(p).getValue() }));
      pending.clear();
      void sync(files);
    }
    return synced;
  };
  for (const path of paths) {
    const model = modelOf(path);
    model.onDidChangeContent(() => {
      const text = model.getValue();
      if (text === base.get(path)) edits.delete(path);
      else edits.set(path, text);
      monaco.editor.setModelMarkers(model, FINDINGS, []);
      persist();
      pending.add(path);
      clearTimeout(syncTimer);
      syncTimer = setTimeout(() => void flush(), SYNC_PAUSE_MS);
    });
  }

  // ---------------------------------------------------------------- controls

  const examples = examplePicker(byId<HTMLSelectElement>('examples'), () => eventModel.getValue(), (text) => eventModel.setValue(text));
  eventModel.onDidChangeContent(() => {
    persist();
    examples.follow();
  });
  byId('decide').addEventListener('click', () => void decideEvent());
  byId('format').addEventListener('click', () => void editor.getAction('editor.action.formatDocument')?.run());
  /** Makes `next` the edits, every other file its shipped text (the models' listeners keep `edits`). */
  const replaceEdits = (next: ReadonlyMap<string, string>) => {
    for (const path of paths) {
      const text = next.get(path) ?? base.get(path)!;
      if (modelOf(path).getValue() !== text) modelOf(path).setValue(text);
    }
  };
  byId('reset').addEventListener('click', () => {
    if (!edits.size) return toast('Nothing edited. 没有修改。');
    if (!confirm(`Discard your edits to ${edits.size} file(s) and go back to the policies in force?\n放弃对 ${edits.size} 个文件的修改？`)) return;
    replaceEdits(new Map());
  });
  // Export and share (share-dialog.ts, with fflate and jsdiff) loads when first asked for.
  byId('share').addEventListener('click', () => {
    const context = { base, digest: sources.digest, edits: () => edits, event: () => eventModel.getValue(), open: () => open, replaceEdits, toast };
    void import('./share-dialog.js').then((m) => m.openShare(context)).catch((e: Error) => toast(`Export failed: ${e.message}`));
  });
  const langSelect = byId<HTMLSelectElement>('lang');
  langSelect.value = lang;
  langSelect.addEventListener('change', () => {
    lang = langSelect.value === 'en' ? 'en' : 'zh';
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    persist();
    examples.render(lang);
    show(analysis);
    showResult();
    showChanges();
  });
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) tab.addEventListener('click', () => selectTab(tab.dataset['tab']!));
  byId('what-changes').addEventListener('click', () => void whatChanges());

  examples.render(lang);
  renderChrome();
  showChanges();
  persist();
  // The files as opened, and what was typed in the first view, were sent to the worker before the editor had loaded.
  await analysed(taken.analysis);
  document.body.classList.add('ready');
  const link = opened.link;
  if (link && 'error' in link) toast(`The link could not be opened 无法打开链接: ${link.error}`);
  else if (link) {
    const other = link.digest === sources.digest ? '' : ' It was made from another revision of the policies: its files replace those the server ships now. 该链接基于另一版本的策略。';
    toast(`Opened from a link 已从链接打开: ${edits.size} of its ${link.files} edited file(s) restored, with its event.${other}`);
    void decideEvent();
  }
}
