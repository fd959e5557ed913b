// `tiaoli lsp`: the language services (language/services/) for any editor, over the Language Server
// Protocol on stdio. The workspace is one policy directory: every policy file of it is held (from
// disk, or as the editor has it open), the whole bundle is checked again on each change, and its
// policy tests are run and reported at their cases.
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  ErrorCodes,
  ResponseError,
  SemanticTokensBuilder,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type DocumentSymbol,
  type Diagnostic as LspDiagnostic,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../../language/diagnostics.js';
import type { Lang } from '../../language/glossary.js';
import * as services from '../../language/services/index.js';
import type { SourceFile, Span } from '../../language/source.js';
import { BUNDLE_FILE } from '../../language/source.js';
import { compileSnapshot } from '../bundle.js';
import { isFixturesFile, isPolicyFile, isTestFile } from '../files.js';
import { PolicyLoadError, readPolicyTree } from '../load.js';
import { runPolicyTests, testDiagnostics } from '../policy-tests.js';

const SEVERITIES = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

const rangeOf = (span: Span): Range => ({ start: { line: span.start.line - 1, character: span.start.column - 1 }, end: { line: span.end.line - 1, character: span.end.column - 1 } });

/** `named`: the policy directory named on the command line, else the editor's workspace folder. */
export function lspCommand(named: string | undefined): Promise<number> {
  const connection = createConnection(process.stdin, process.stdout);
  serve(connection, named);
  return new Promise((done) => connection.onExit(() => done(0)));
}

function serve(connection: Connection, named: string | undefined): void {
  const documents = new TextDocuments(TextDocument);
  let root = resolve(named ?? '.');
  /** Every file of the directory as read from disk: policies, tests and fixtures. */
  let disk = new Map<string, string>();
  let snapshot = services.snapshot([]);
  /** The files given diagnostics last time, to clear those that have none now. */
  let reported = new Set<string>();
  let pending: ReturnType<typeof setTimeout> | undefined;
  /** The language of the messages: the client's locale (`zh-cn`, `zh-tw` … give Chinese), else English. */
  let lang: Lang = 'en';
  const toLsp = (d: Diagnostic): LspDiagnostic => lspDiagnostic(d, lang);

  const pathOf = (uri: string): string | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    const rel = relative(root, fileURLToPath(uri));
    return rel.startsWith('..') ? undefined : rel.split(sep).join('/');
  };
  const uriOf = (path: string): string => pathToFileURL(path === BUNDLE_FILE ? root : resolve(root, path)).href;
  /** The files as the editor has them: open documents over the disk. */
  const current = (keep: (path: string) => boolean): SourceFile[] => {
    const files = new Map(disk);
    for (const d of documents.all()) {
      const path = pathOf(d.uri);
      if (path !== undefined) files.set(path, d.getText());
    }
    return [...files].filter(([path]) => keep(path)).map(([path, text]) => ({ path, text }));
  };

  const readDisk = (): void => {
    try {
      const tree = readPolicyTree(root);
      disk = new Map([...tree.sources, ...tree.tests, ...tree.fixtures].map((f) => [f.path, f.text]));
    } catch (e) {
      if (!(e instanceof PolicyLoadError)) throw e;
      disk = new Map();
      connection.window.showErrorMessage(`tiaoli: the policy directory cannot be read: ${e.message}`);
    }
  };

  /** The last run's failing policy test cases, shown until the next run replaces them. */
  let tested: readonly Diagnostic[] = [];
  let runs = 0;
  const publish = (diagnostics: readonly Diagnostic[]): void => {
    const byFile = new Map<string, LspDiagnostic[]>();
    for (const d of diagnostics) byFile.set(d.span.file, [...(byFile.get(d.span.file) ?? []), toLsp(d)]);
    for (const file of reported) if (!byFile.has(file)) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
    for (const [file, ds] of byFile) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: ds });
    reported = new Set(byFile.keys());
  };
  // The checker's diagnostics go out at once (tens of milliseconds for the shipped bundle); the policy
  // tests, which take longer, run after them and their cases follow.
  const analyse = (): void => {
    pending = undefined;
    snapshot = services.snapshot(current(isPolicyFile), snapshot);
    const policy = compileSnapshot(snapshot);
    if (!policy) tested = [];
    publish([...snapshot.diagnostics, ...tested]);
    const run = ++runs;
    if (policy) {
      setImmediate(() => {
        if (run !== runs) return;
        const tests = current(isTestFile);
        tested = testDiagnostics(runPolicyTests(policy, tests, current(isFixturesFile)), tests);
        publish([...snapshot.diagnostics, ...tested]);
      });
    }
  };
  // Keystrokes that come together are checked together.
  const schedule = (): void => {
    if (pending === undefined) pending = setTimeout(analyse, 15);
  };
  /** The snapshot as of now, for a request about a policy file (a change may still be pending). */
  const fresh = (uri: string): { s: services.Snapshot; path: string; doc: TextDocument } | undefined => {
    const path = pathOf(uri);
    const doc = documents.get(uri);
    if (path === undefined || !doc || !isPolicyFile(path)) return undefined;
    if (pending !== undefined) {
      clearTimeout(pending);
      analyse();
    }
    return { s: snapshot, path, doc };
  };
  const edit = (e: services.TextEdit): LspTextEdit => ({ range: rangeOf(e.span), newText: e.text });
  const location = (span: Span) => ({ uri: uriOf(span.file), range: rangeOf(span) });

  connection.onInitialize((params) => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (named === undefined && folder) root = fileURLToPath(folder);
    lang = params.locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
    readDisk();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: true },
        completionProvider: { triggerCharacters: ['.', ' ', '['] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        renameProvider: { prepareProvider: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        semanticTokensProvider: { legend: { tokenTypes: [...services.SEMANTIC_TYPES], tokenModifiers: [...services.SEMANTIC_MODIFIERS] }, full: true },
      },
      serverInfo: { name: 'tiaoli' },
    };
  });
  connection.onInitialized(() => analyse());

  documents.onDidChangeContent(schedule);
  documents.onDidClose(schedule);
  documents.onDidSave(() => {
    readDisk();
    schedule();
  });
  connection.onDidChangeWatchedFiles(() => {
    readDisk();
    schedule();
  });

  connection.onCompletion(({ textDocument, position }) => {
    const f = fresh(textDocument.uri);
    if (!f) return [];
    const { from, items } = services.complete(f.s, f.path, f.doc.offsetAt(position));
    const range = { start: f.doc.positionAt(from), end: position };
    return items.map((c, i) => ({
      label: c.label,
      kind: CompletionItemKind[services.COMPLETION_KIND_NAMES[c.kind]],
      textEdit: { range, newText: c.label },
      ...(c.filterText ? { filterText: c.filterText } : {}),
      ...(c.names ? { labelDetails: { description: c.names.zh } } : {}),
      sortText: String(i).padStart(4, '0'),
      ...(c.detail ? { detail: c.detail } : {}),
      ...(c.documentation ? { documentation: c.documentation } : {}),
    }));
  });

  connection.onHover(({ textDocument, position }) => {
    const f = fresh(textDocument.uri);
    const h = f && services.hover(f.s, f.path, f.doc.offsetAt(position));
    return h ? { range: rangeOf(h.span), contents: { kind: 'markdown' as const, value: h.contents.join('\n\n') } } : null;
  });

  connection.onDefinition(({ textDocument, position }) => {
    const f = fresh(textDocument.uri);
    const span = f && services.definition(f.s, f.path, f.doc.offsetAt(position));
    return span ? location(span) : null;
  });

  connection.onReferences(({ textDocument, position, context }) => {
    const f = fresh(textDocument.uri);
    return f ? services.references(f.s, f.path, f.doc.offsetAt(position), context.includeDeclaration).map(location) : [];
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const f = fresh(textDocument.uri);
    const symbol = (o: services.OutlineSymbol): DocumentSymbol => ({
      name: o.name,
      kind: SymbolKind[services.OUTLINE_KIND_NAMES[o.kind]],
      range: rangeOf(o.span),
      selectionRange: rangeOf(o.selection),
      children: o.children.map(symbol),
      ...(o.detail ? { detail: o.detail } : {}),
    });
    return f ? services.documentSymbols(f.s, f.path).map(symbol) : [];
  });

  connection.onPrepareRename(({ textDocument, position }) => {
    const f = fresh(textDocument.uri);
    const at = f && services.prepareRename(f.s, f.path, f.doc.offsetAt(position));
    return at ? { range: rangeOf(at.span), placeholder: at.name } : null;
  });

  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const f = fresh(textDocument.uri);
    const r = f && services.rename(f.s, f.path, f.doc.offsetAt(position), newName, current(isTestFile));
    if (!r) return null;
    if ('refused' in r) return new ResponseError(ErrorCodes.InvalidParams, `${r.refused.code}: ${messageOf(r.refused, lang)}`);
    const changes: Record<string, LspTextEdit[]> = {};
    for (const e of r.edits) (changes[uriOf(e.span.file)] ??= []).push(edit(e));
    return { changes };
  });

  connection.onDocumentFormatting(({ textDocument }) => {
    const f = fresh(textDocument.uri);
    const r = f && services.formatting(f.s, f.path);
    if (!f || r?.text === undefined || r.text === f.doc.getText()) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: f.doc.positionAt(f.doc.getText().length) }, newText: r.text }];
  });

  connection.onCodeAction(({ textDocument, range }) => {
    const f = fresh(textDocument.uri);
    if (!f) return [];
    return services.codeActions(f.s, f.path, f.doc.offsetAt(range.start), f.doc.offsetAt(range.end)).map((a) => ({
      title: a.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toLsp(a.diagnostic)],
      edit: { changes: { [textDocument.uri]: [edit(a.edit)] } },
    }));
  });

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const f = fresh(textDocument.uri);
    const builder = new SemanticTokensBuilder();
    for (const t of f ? services.semanticTokens(f.s, f.path) : []) {
      builder.push(t.span.start.line - 1, t.span.start.column - 1, t.span.end.column - t.span.start.column, services.SEMANTIC_TYPES.indexOf(t.type), t.declaration ? 1 : 0);
    }
    return builder.build();
  });

  documents.listen(connection);
  connection.listen();
}

/** The message and its help in `lang` first, then the help in the other language. */
const messageOf = (d: Diagnostic, lang: Lang): string => (lang === 'zh' ? `${d.messageZh}\n${d.helpZh}\n${d.help}` : `${d.message}\n${d.help}\n${d.helpZh}`);

function lspDiagnostic(d: Diagnostic, lang: Lang): LspDiagnostic {
  return { range: rangeOf(d.span), severity: SEVERITIES[d.severity], code: d.code, source: 'tiaoli', message: messageOf(d, lang), ...(d.replacements ? { data: { replacements: d.replacements } } : {}) };
}
