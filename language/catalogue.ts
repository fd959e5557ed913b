// The diagnostics catalogue as Markdown, for the README (`npm run gen:docs`); a test keeps it current.
import { DIAGNOSTICS, HEADER, NON_OPERATIVE, type Example } from './diagnostics.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const COMMON = new Set((HEADER + NON_OPERATIVE).split('\n'));

/** The example's own lines: what differs from the common article header, or the file removed. */
function exampleLines({ file, text, alone }: Example): string {
  if (text === '') return alone ? '(no policy files)' : `(${file} removed)`;
  const own = text.split('\n').filter((l) => l !== '' && !COMMON.has(l));
  return (alone ? `${file} alone: ` : '') + (own.length ? own.join(' ⏎ ') : '(the article header alone)');
}

export function catalogueMarkdown(): string {
  const rows = Object.values(DIAGNOSTICS).map(
    (e) => `| ${e.code} | ${e.severity} | ${cell(e.message)}<br>${cell(e.messageZh)} | ${cell(e.help)}<br>${cell(e.helpZh)} | \`${cell(e.example.shown ?? exampleLines(e.example))}\` |`,
  );
  return ['| code | severity | message (en, zh) | help (en, zh) | example |', '|---|---|---|---|---|', ...rows].join('\n');
}
