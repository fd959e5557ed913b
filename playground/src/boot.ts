// The page's first script, and a small one: it starts what needs no editor (the language worker,
// the fetch of the sources and of the event schema, the first analysis of the files as saved, and
// the first view: the open file in a text area, checked as it is typed) and meanwhile loads the
// editor (main.ts with Monaco, most of the page's weight, a chunk of its own), which takes over.
import './style.css';
import { LanguageClient } from './client.js';
import { fileToOpen, firstView, type Files, type FirstView } from './first-view.js';
import type { FileText } from './protocol.js';
import { payloadOf, readPayload, type Shared } from './permalink.js';
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
  /** What the page opens with: the saved edits and event, or a permalink's. */
  readonly opened: Promise<Opened>;
  readonly files: Promise<Files>;
  /** Up once the sources are in; main.ts takes it over. */
  readonly firstView: Promise<FirstView>;
}

export interface Opened {
  readonly saved: Saved;
  /** When the page was opened by a permalink: the digest of the sources it was made from, or why it could not be read. */
  readonly link?: { readonly digest: string; readonly files: number } | { readonly error: string };
}

/** What was saved, or, on a permalink (which the user confirms if it replaces edits), what the link carries. */
async function opening(): Promise<Opened> {
  const saved = loadSaved();
  const payload = payloadOf(location.hash);
  if (payload === undefined) return { saved };
  let shared: Shared;
  try {
    shared = await readPayload(payload);
  } catch (e) {
    return { saved, link: { error: (e as Error).message } };
  }
  const mine = Object.keys(saved.edits).length;
  if (mine && JSON.stringify(saved.edits) !== JSON.stringify(shared.edits) && !confirm(`This link replaces your edits to ${mine} file(s) with its own.\n此链接将以其内容替换你对 ${mine} 个文件的修改。`)) return { saved };
  const { edits, event, open, digest } = shared;
  return { saved: { ...saved, edits, ...(event !== undefined ? { event } : {}), ...(open !== undefined ? { open } : {}) }, link: { digest, files: Object.keys(edits).length } };
}

/** The files by path as the server has them, the saved edits of those that still exist, and the file to open. */
function filesOf(sources: Sources, saved: Saved): Files {
  const base = new Map([...sources.files, ...sources.fixtures, ...sources.tests].map((f) => [f.path, f.text]));
  return { base, edits: new Map(Object.entries(saved.edits).filter(([p]) => base.has(p))), open: fileToOpen(base, saved) };
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
const opened = opening();
const files = Promise.all([sources, opened]).then(([s, o]) => filesOf(s, o.saved));
const analysis = files.then(({ base, edits }) => client.request('sync', { files: [...base].map(([path, text]) => ({ path, text: edits.get(path) ?? text })) }));
const view = Promise.all([files, opened]).then(([f, o]) => firstView(f, o.saved, client, analysis));
const early: Early = { client, sources, eventSchema: fetchJson<{ $id: string }>('/v1/schema/event.json'), opened, files, firstView: view };
// A failure is reported where the page awaits it, once the editor is loaded.
for (const p of [early.sources, early.eventSchema, analysis, view]) p.catch(() => undefined);

// The editor's chunk is preloaded by index.html (vite.config.ts), so it is fetched and compiled
// meanwhile; it runs once the first view has rested (or could not start: main.ts says why).
view
  .then((v) => v.rested, () => undefined)
  .then(() => import('./main.js'))
  .then(({ start }) => start(early))
  .catch((e: unknown) => fatal(e instanceof Error ? e.message : String(e)));
