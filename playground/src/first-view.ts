// The editor before the editor: while Monaco loads (main.ts, most of the page's weight), the open
// file is a plain text area, checked by the language worker as it is typed, with the file tree, the
// status and the problems drawn by the page's own panels. Edits are saved as they are made. Monaco's
// start-up holds the page's thread for most of a second, so it waits until the first view has shown
// its diagnostics and the keyboard has rested (`rested`); then main.ts takes over the edits, the
// open file, the selection and the focus.
import type { Lang } from '../../language/glossary.js';
import { offsetAt } from '../../language/source.js';
import type { LanguageClient } from './client.js';
import { renderFiles, renderSummary } from './panels.js';
import type { Analysis } from './protocol.js';
import { save, type Saved } from './store.js';
import { byId, h } from './view.js';

/** The pause after a keystroke before the worker is asked again, here and in main.ts. */
export const SYNC_PAUSE_MS = 150;
/** How long the keyboard rests before Monaco may start (a pause between words, not between keys). */
const REST_MS = 600;

/** The page's files as it opens: the shipped text by path, the edits kept, and the file to open. */
export interface Files {
  readonly base: ReadonlyMap<string, string>;
  /** Edited texts by path; the first view adds to it, main.ts goes on with the same map. */
  readonly edits: Map<string, string>;
  readonly open: string;
}

export interface HandOver {
  readonly open: string;
  /** The selection in the open file, as offsets, and whether the text area had the focus. */
  readonly selection: readonly [number, number];
  readonly focused: boolean;
  /** The answer to the last sync sent: the workspace as the worker last analysed it. */
  readonly analysis: Promise<Analysis>;
  /** Takes the text area away: main.ts calls it as its editor takes the place, in the same task. */
  readonly remove: () => void;
}

export interface FirstView {
  /**
   * Resolves once the first analysis is shown and no key has been typed for a moment, or at once
   * when the page is used outside the text area (a button, the event panel): time to load Monaco.
   */
  readonly rested: Promise<void>;
  /** Stops the first view and gives what main.ts goes on with; what is still waiting its pause is sent now. */
  handOver(): HandOver;
}

/** The file the page opens: the one saved or linked if it exists, else article 12 of live-2016 (which the examples exercise). */
export function fileToOpen(base: ReadonlyMap<string, string>, saved: Saved): string {
  if (saved.open && base.has(saved.open)) return saved.open;
  const paths = [...base.keys()];
  return paths.find((p) => p.endsWith('live-2016/article-12.tiaoli')) ?? paths[0]!;
}

export function firstView(files: Files, saved: Saved, client: LanguageClient, first: Promise<Analysis>): FirstView {
  const { base, edits } = files;
  const paths = [...base.keys()];
  const lang: Lang = saved.lang;
  let open = files.open;
  let analysis: Analysis | undefined;
  let latest = first;
  let live = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const text = (path: string) => edits.get(path) ?? base.get(path)!;
  const persist = () => save({ ...saved, edits: Object.fromEntries(edits), open });

  const area = h('textarea', { class: 'first-view', spellcheck: 'false', 'aria-label': 'Policy source 策略源码', autocomplete: 'off' });
  /** Shows a file from its start (setting a text area's value puts the caret at its end). */
  const load = (path: string) => {
    area.value = text(path);
    area.setSelectionRange(0, 0);
  };
  load(open);
  byId('editor').append(area);

  const draw = () => {
    renderFiles(byId('files'), { paths, active: open, modified: new Set(edits.keys()), ...(analysis ? { analysis } : {}) }, openFile);
    byId('open-path').textContent = open;
    if (analysis) renderSummary(analysis, openFile, lang);
  };
  const analysed = (answer: Promise<Analysis>) => {
    latest = answer;
    answer.then(
      (a) => {
        if (!live || answer !== latest) return;
        analysis = a;
        draw();
      },
      () => undefined,
    );
  };
  const send = () => {
    clearTimeout(timer);
    timer = undefined;
    analysed(client.request('sync', { files: [{ path: open, text: area.value }] }));
  };

  function openFile(path: string, line?: number, column?: number): void {
    if (!base.has(path)) return;
    if (timer !== undefined) send();
    if (path !== open) {
      open = path;
      load(path);
      persist();
      draw();
    }
    if (line !== undefined) {
      const at = offsetAt(area.value, line, column ?? 1);
      area.setSelectionRange(at, at);
      area.focus();
    }
  }

  let wake = () => {};
  const rested = new Promise<void>((resolve) => (wake = resolve));
  let resting: ReturnType<typeof setTimeout> | undefined;
  let shown = false;
  const rest = () => {
    clearTimeout(resting);
    resting = setTimeout(wake, REST_MS);
  };
  first.then(() => {
    shown = true;
    rest();
  }, wake);
  document.addEventListener('pointerdown', (e) => e.target !== area && wake(), { capture: true });

  area.addEventListener('input', () => {
    if (area.value === base.get(open)) edits.delete(open);
    else edits.set(open, area.value);
    persist();
    clearTimeout(timer);
    timer = setTimeout(send, SYNC_PAUSE_MS);
    if (shown) rest();
  });
  analysed(first);
  draw();
  document.body.classList.add('interactive');

  return {
    rested,
    handOver() {
      if (timer !== undefined) send();
      live = false;
      return { open, selection: [area.selectionStart, area.selectionEnd], focused: document.activeElement === area, analysis: latest, remove: () => area.remove() };
    },
  };
}
