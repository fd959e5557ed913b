// The page's first script, and a small one: it starts what needs no editor (the language worker,
// the fetch of the sources and of the event schema, and the first analysis of the files as saved)
// and meanwhile loads the editor (main.ts with Monaco, most of the page's weight, a chunk of its
// own), so the worker's start, its first check and tests, and the downloads overlap Monaco's.
import './style.css';
import { LanguageClient } from './client.js';
import type { Analysis, FileText } from './protocol.js';
import { loadSaved, type Saved } from './store.js';
import { byId, h } from './view.js';

export interface Sources {
  readonly digest: string;
  readonly files: readonly FileText[];
  readonly tests: readonly FileText[];
  readonly fixtures: readonly FileText[];
}

/** What the page starts before the editor is loaded. */
export interface Early {
  readonly client: LanguageClient;
  readonly sources: Promise<Sources>;
  /** The event editor validates against the schema of the revision the service runs (an extended vocabulary's types and fields too). */
  readonly eventSchema: Promise<{ readonly $id: string }>;
  /** The worker's answer to the first sync: every file as the page opens it. */
  readonly analysis: Promise<Analysis>;
}

/** The files by path as the server has them, and the saved edits of those that still exist. */
export function filesOf(sources: Sources, saved: Saved): { readonly base: Map<string, string>; readonly edits: Map<string, string> } {
  const base = new Map([...sources.files, ...sources.fixtures, ...sources.tests].map((f) => [f.path, f.text]));
  return { base, edits: new Map(Object.entries(saved.edits).filter(([p]) => base.has(p))) };
}

/** Replaces the page with a message: something it needs is missing, and saying so beats a blank page. */
export function fatal(message: string): void {
  document.body.classList.add('failed');
  byId('fatal').replaceChildren(h('h2', {}, 'The playground cannot start 无法启动'), h('p', {}, message), h('p', {}, h('a', { href: '/docs/' }, 'API documentation')));
  byId('fatal').removeAttribute('hidden');
}

export async function fetchJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

const client = new LanguageClient(new Worker(new URL('./language-worker.ts', import.meta.url), { type: 'module' }), (m) => fatal(`The language worker stopped: ${m}`));
const sources = fetchJson<Sources>('/v1/sources');
const analysis = sources.then((s) => {
  const { base, edits } = filesOf(s, loadSaved());
  return client.request('sync', { files: [...base].map(([path, text]) => ({ path, text: edits.get(path) ?? text })) });
});
const early: Early = { client, sources, eventSchema: fetchJson<{ $id: string }>('/v1/schema/event.json'), analysis };
// A failure is reported where the page awaits it, once the editor is loaded.
for (const p of [early.sources, early.eventSchema, early.analysis]) p.catch(() => undefined);

import('./main.js')
  .then(({ start }) => start(early))
  .catch((e: unknown) => fatal(e instanceof Error ? e.message : String(e)));
