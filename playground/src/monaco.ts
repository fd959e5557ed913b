// Monaco, as the page uses it: the editor core with every editor feature, JSON (with its schema
// service, for the event) and YAML highlighting (for the policy tests). Workers are Vite worker
// bundles, so nothing is fetched from elsewhere at run time.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
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
