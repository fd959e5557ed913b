// Monaco, as the page uses it: the editor core with the features the page offers (completion,
// hover, quick fixes, go to definition and references, rename, format, the outline, find, markers
// and their navigation, the editing commands), not `register.all`, which adds the diff editor,
// colour picker, inlay hints, inline completions, code lens, sticky scroll and more; JSON (with its
// schema service, for the event) and YAML highlighting (for the policy tests). Workers are Vite
// worker bundles, so nothing is fetched from elsewhere at run time.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/documentSymbols/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/gotoSymbol/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/quickOutline/register';
import 'monaco-editor/features/referenceSearch/register';
import 'monaco-editor/features/rename/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
// The completion widget itself, which only register.all's inline completions import.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/languages/definitions/yaml/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';

self.MonacoEnvironment = {
  getWorker: (_moduleId: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

monaco.editor.defineTheme('tiaoli', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: '1f4fbf', fontStyle: 'bold' },
    { token: 'string', foreground: '8a3b12' },
    { token: 'comment', foreground: '5f7a5f', fontStyle: 'italic' },
    { token: 'number.date', foreground: '0a7a6a' },
    { token: 'number.period', foreground: '7a3fb0' },
    { token: 'number', foreground: '0a7a6a' },
    { token: 'identifier', foreground: '222222' },
    { token: 'operator', foreground: 'a0522d' },
    { token: 'invalid', foreground: 'd00000', fontStyle: 'underline' },
  ],
  colors: {},
});

export { jsonDefaults, monaco };
