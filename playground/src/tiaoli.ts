// The Tiaoli language in Monaco: highlighting from the lexer's tokens, and completion, hover,
// go-to-definition, references, the outline, rename, quick fixes and formatting answered by the
// worker from the shared language services (language/services/).
import type { Span } from '../../language/source.js';
import type { LanguageClient } from './client.js';
import { monarchLanguage, languageConfiguration } from './monarch.js';
import { monaco } from './monaco.js';
import type { OutlineSymbol } from '../../language/services/index.js';
import { COMPLETION_KIND_NAMES, OUTLINE_KIND_NAMES } from '../../language/services/kinds.js';
import type { FileText } from './protocol.js';

export const LANGUAGE_ID = 'tiaoli';

/** Each workspace file is a model named `policy:/<path>`. */
export const uriOf = (path: string): monaco.Uri => monaco.Uri.from({ scheme: 'policy', path: `/${path}` });
export const pathOf = (uri: monaco.Uri): string => uri.path.slice(1);
export const rangeOf = (span: Span): monaco.Range => new monaco.Range(span.start.line, span.start.column, span.end.line, span.end.column);

const fileOf = (model: monaco.editor.ITextModel): FileText => ({ path: pathOf(model.uri), text: model.getValue() });

const symbolOf = (o: OutlineSymbol): monaco.languages.DocumentSymbol => ({
  name: o.name,
  detail: o.detail ?? '',
  kind: monaco.languages.SymbolKind[OUTLINE_KIND_NAMES[o.kind]],
  tags: [],
  range: rangeOf(o.span),
  selectionRange: rangeOf(o.selection),
  children: o.children.map(symbolOf),
});

/** `notify` shows a short message (a document that could not be formatted). */
export function registerTiaoli(client: LanguageClient, notify: (message: string) => void): void {
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.tiaoli'], aliases: ['Tiaoli', '条例'] });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, monarchLanguage());
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, languageConfiguration);

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ['.', ' '],
    async provideCompletionItems(model, position, context) {
      const { from, items: entries } = await client.request('complete', { file: fileOf(model), offset: model.getOffsetAt(position) });
      // After a space, offer only what the context calls for, not every keyword.
      if (context.triggerCharacter === ' ' && entries.every((e) => e.kind === 'keyword')) return { suggestions: [] };
      // The word being typed, as the service sees it (a word in Chinese included), is what an item replaces.
      const range = monaco.Range.fromPositions(model.getPositionAt(from), position);
      return {
        suggestions: entries.map((e, i) => ({
          // Each row shows the Chinese name (an article's opening words), not only the path or number.
          label: { label: e.label, description: e.names?.zh ?? (e.kind === 'article' || e.kind === 'paragraph' ? e.detail : undefined) },
          ...(e.filterText ? { filterText: e.filterText } : {}),
          kind: monaco.languages.CompletionItemKind[COMPLETION_KIND_NAMES[e.kind]],
          insertText: e.label,
          range,
          sortText: String(i).padStart(4, '0'),
          ...(e.detail ? { detail: e.detail } : {}),
          ...(e.documentation ? { documentation: e.documentation } : {}),
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    async provideHover(model, position) {
      const h = await client.request('hover', { file: fileOf(model), offset: model.getOffsetAt(position) });
      return h && { range: rangeOf(h.span), contents: h.contents.map((value) => ({ value })) };
    },
  });

  monaco.languages.registerDefinitionProvider(LANGUAGE_ID, {
    async provideDefinition(model, position) {
      const d = await client.request('definition', { file: fileOf(model), offset: model.getOffsetAt(position) });
      return d && { uri: uriOf(d.path), range: rangeOf(d.span) };
    },
  });

  monaco.languages.registerReferenceProvider(LANGUAGE_ID, {
    async provideReferences(model, position) {
      const spans = await client.request('references', { file: fileOf(model), offset: model.getOffsetAt(position) });
      return spans.map((s) => ({ uri: uriOf(s.file), range: rangeOf(s) }));
    },
  });

  monaco.languages.registerDocumentSymbolProvider(LANGUAGE_ID, {
    async provideDocumentSymbols(model) {
      return (await client.request('symbols', { file: fileOf(model) })).map(symbolOf);
    },
  });

  monaco.languages.registerRenameProvider(LANGUAGE_ID, {
    async provideRenameEdits(model, position, newName) {
      const r = await client.request('rename', { file: fileOf(model), offset: model.getOffsetAt(position), name: newName });
      if (!r) return { edits: [], rejectReason: 'Only a defined term or a rule can be renamed. 只能重命名定义或规则。' };
      if ('refused' in r) return { edits: [], rejectReason: `${r.refused.message} — ${r.refused.help} ${r.refused.helpZh}` };
      return { edits: r.edits.map((e) => ({ resource: uriOf(e.span.file), versionId: undefined, textEdit: { range: rangeOf(e.span), text: e.text } })) };
    },
  });

  monaco.languages.registerCodeActionProvider(LANGUAGE_ID, {
    async provideCodeActions(model, range) {
      const fixes = await client.request('fixes', { file: fileOf(model), start: model.getOffsetAt(range.getStartPosition()), end: model.getOffsetAt(range.getEndPosition()) });
      const actions = fixes.map((f) => ({ title: f.title, kind: 'quickfix', isPreferred: fixes.length === 1, edit: { edits: [{ resource: model.uri, versionId: undefined, textEdit: { range: rangeOf(f.edit.span), text: f.edit.text } }] } }));
      return { actions, dispose: () => undefined };
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
    async provideDocumentFormattingEdits(model) {
      const r = await client.request('format', { file: fileOf(model) });
      if (r.text === undefined) {
        const first = r.diagnostics[0];
        notify(`Not formatted 未格式化: ${first ? `${first.span.start.line}:${first.span.start.column} ${first.message}` : 'not a policy file'}`);
        return [];
      }
      return r.text === model.getValue() ? [] : [{ range: model.getFullModelRange(), text: r.text }];
    },
  });
}
