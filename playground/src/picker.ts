// The example picker: it names the example the event panel holds (the event as it was loaded, or
// typed to the same value), in the page's language, and says so for an event of one's own.
import type { Lang } from '../../language/glossary.js';
import { EXAMPLES } from './examples.js';
import { h } from './view.js';

/** The same JSON whatever its layout: objects' keys sorted, so a reformatted example is still it. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
const KEYS = EXAMPLES.map((x) => canonical(x.event));

/** The index of the example `text` is, or -1 (another event, or not JSON yet). */
export function exampleOf(text: string): number {
  try {
    return KEYS.indexOf(canonical(JSON.parse(text)));
  } catch {
    return -1;
  }
}

export interface Picker {
  /** Draws the options in `lang` and selects the example the event is. */
  render(lang: Lang): void;
  /** Selects the example the event is now (after it changed). */
  follow(): void;
}

/** `select` lists the examples; picking one puts it in the event panel (`load`); `event()` is the panel's text. */
export function examplePicker(select: HTMLSelectElement, event: () => string, load: (text: string) => void): Picker {
  const follow = () => void (select.value = String(exampleOf(event())));
  select.addEventListener('change', () => {
    const x = EXAMPLES[Number(select.value)];
    if (x) load(JSON.stringify(x.event, null, 2));
  });
  return {
    render(lang) {
      select.replaceChildren(
        h('option', { value: '-1' }, lang === 'zh' ? '自编事件 · 选择示例事件…' : 'Your own event · pick an example…'),
        ...EXAMPLES.map((x, i) => h('option', { value: String(i) }, `${x.event.type} · ${x.title[lang]}`)),
      );
      follow();
    },
    follow,
  };
}
