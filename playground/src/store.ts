// What a reload must not lose: edits to the files (kept in local storage, as text per path), the
// event being written, the language, and the open file (also in the URL's fragment, so it can be linked).
import type { Lang } from '../../language/glossary.js';
import { payloadOf } from './permalink.js';

export interface Saved {
  /** Files whose text differs from the server's, by path. */
  readonly edits: Readonly<Record<string, string>>;
  readonly open?: string;
  /** The event editor's text, as typed (it may not be JSON yet). */
  readonly event?: string;
  readonly lang: Lang;
}

const KEY = 'tiaoli.playground.v1';

export function loadSaved(): Saved {
  const fallback: Saved = { edits: {}, lang: 'zh' };
  try {
    const raw = localStorage.getItem(KEY);
    const saved = raw ? (JSON.parse(raw) as Partial<Saved>) : {};
    // A permalink's fragment (`#share=…`) names no file: boot.ts reads it.
    const hash = payloadOf(location.hash) === undefined ? decodeURIComponent(location.hash.slice(1)) : '';
    return { ...fallback, ...saved, ...(hash ? { open: hash } : {}) };
  } catch {
    // Storage turned off, or something unreadable in it: start afresh rather than not at all.
    return fallback;
  }
}

export function save(s: Saved): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // Full or turned off: the page still works, a reload just starts afresh.
  }
  if (s.open && decodeURIComponent(location.hash.slice(1)) !== s.open) history.replaceState(null, '', `#${encodeURI(s.open)}`);
}
