// Writes the diagnostics catalogue into README.md between its markers. Run after build.
import { readFileSync, writeFileSync } from 'node:fs';
import { catalogueMarkdown } from '../dist/language/catalogue.js';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const start = '<!-- diagnostics:start -->';
const end = '<!-- diagnostics:end -->';
const [before, rest] = readme.split(start);
if (rest === undefined) throw new Error(`README.md has no ${start} marker`);
writeFileSync(file, `${before}${start}\n${catalogueMarkdown()}\n${end}${rest.split(end)[1]}`);
