// The formatter: one canonical layout for a policy file, printed from its AST and comments. Like
// Cedar's formatter it checks its own work: the output is parsed again and must give the same AST
// (spans aside) and keep every comment and every quoted text; otherwise the caller gets a diagnostic
// and no text, never a file that says something else.
//
// Layout: the header; a blank line between items, in source order; `paragraph N` with `zh`/`en` on
// their own lines; `rule NAME` with its clauses indented two spaces and its outcomes four;
// `define NAME as CONDITION`. A condition longer than the line (WIDTH) is broken before a top-level
// `and`/`or`: its first line keeps as many operands as fit, then each further operand starts its own
// line, four spaces in (and four more inside parentheses); a definition's body that must break starts
// on the line after `as`. A test on its own (a long `has any of […]`, say) is never broken.
// Parentheses appear only where the grammar needs them (see needsParens).
import type { IToken } from 'chevrotain';
import type * as A from './ast.js';
import { diagnostic, hasErrors, type Diagnostic } from './diagnostics.js';
import { printed, writtenOperator } from './operators.js';
import { parseFile } from './parse.js';
import { tokenSpan, type SourceFile, type Span } from './source.js';
import { MOVED_PAST_REST_DAYS } from './tokens.js';

export interface FormatResult {
  /** The formatted file; absent when it could not be formatted (see the diagnostics). */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether the field at a path holds a date or a time: the vocabulary's say, so that order reads in words. */
export type Temporal = (path: string) => boolean;

/** Columns a line may take before its condition is broken. */
export const WIDTH = 100;
const INDENT = 4;

/** Formats one file, or says why not: syntax errors, or output that would not mean the same. */
export function format(source: SourceFile, temporal: Temporal = () => false): FormatResult {
  const parsed = parseFile(source);
  if (!parsed.ast || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const text = print(parsed.ast, parsed.comments, source.text, temporal);
  const problem = verify(source, parsed.ast, parsed.comments, text);
  return problem ? { diagnostics: [problem] } : { text, diagnostics: parsed.diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Printing

/** A printed piece of the file (the header or an item) with the source range it came from. */
interface Block {
  readonly start: number;
  readonly end: number;
  readonly endLine: number;
  readonly lines: readonly string[];
}

/**
 * The file in canonical layout. `comments` and `text` are the source's comments and text (for where
 * the author left blank lines between comments); without them only the AST is printed.
 */
export function print(file: A.PolicyFile, comments: readonly IToken[] = [], text = '', temporal: Temporal = () => false): string {
  const blocks = [headerBlock(file), ...itemBlocks(file, temporal)];
  return `${withComments(blocks, comments, text).join('\n')}\n`;
}

function block(start: Span, end: Span, lines: readonly string[]): Block {
  return { start: start.start.offset, end: end.end.offset, endLine: end.end.line, lines };
}

function headerBlock(file: A.PolicyFile): Block {
  if (file.kind === 'vocabulary') {
    const lines = [`vocabulary ${file.id.text}${file.base ? ` extends ${file.base.text}` : ''}`];
    if (file.titleZh) lines.push(`  title zh ${quote(file.titleZh.value)}`);
    if (file.titleEn) lines.push(`  title en ${quote(file.titleEn.value)}`);
    return block(file.span, file.titleEn?.span ?? file.titleZh?.span ?? file.base?.span ?? file.id.span, lines);
  }
  if (file.kind === 'calendar') {
    const lines = [`calendar ${file.id.text}`];
    if (file.titleZh) lines.push(`  title zh ${quote(file.titleZh.value)}`);
    if (file.titleEn) lines.push(`  title en ${quote(file.titleEn.value)}`);
    return block(file.span, file.titleEn?.span ?? file.titleZh?.span ?? file.id.span, lines);
  }
  if (file.kind === 'regulation') {
    const lines = [`regulation ${file.id.text}`];
    if (file.titleZh) lines.push(`  title zh ${quote(file.titleZh.value)}`);
    if (file.titleEn) lines.push(`  title en ${quote(file.titleEn.value)}`);
    lines.push(`  in force from ${file.inForce.text}`);
    if (file.repealed) lines.push(`  repealed on ${file.repealed.text}`);
    lines.push(`  articles ${integer(file.articleCount.value)}`);
    return block(file.span, file.articleCount.span, lines);
  }
  const until = file.until ? ` until ${file.until.text}` : '';
  return block(file.span, (file.until ?? file.from).span, [
    `article ${integer(file.article.value)} of ${file.regulation.text}`,
    `version ${integer(file.version.value)} in effect from ${file.from.text}${until}`,
  ]);
}

/** Items in source order: lowering sorts them by kind, their spans say where each was. */
function itemBlocks(file: A.PolicyFile, t: Temporal): Block[] {
  if (file.kind === 'vocabulary') {
    // The event's own fields form one block, as the vocabulary's header lists them.
    const [first, last] = [file.fields[0], file.fields[file.fields.length - 1]];
    const fields = first && last ? [block(first.span, last.span, file.fields.flatMap((f) => field(f)))] : [];
    return [...fields, ...file.items.map((i) => block(i.span, i.span, declaration(i)))].sort((a, b) => a.start - b.start);
  }
  if (file.kind === 'calendar') return file.years.map((y) => block(y.span, y.span, year(y)));
  const blocks = file.definitions.map((d) => block(d.span, d.span, definition(d, t)));
  if (file.kind === 'article') {
    for (const p of file.paragraphs) blocks.push(block(p.span, p.span, paragraph(p)));
    if (file.nonOperative) blocks.push(block(file.nonOperative.span, file.nonOperative.span, [`non-operative because ${quote(file.nonOperative.value)}`]));
    for (const r of file.rules) blocks.push(block(r.span, r.span, rule(r, t)));
  }
  return blocks.sort((a, b) => a.start - b.start);
}

// ------------------------------------------------------------------ the holiday calendar

/** `year N`, its sources, then each holiday on a line with the days worked for it on the next. */
function year(y: A.YearDecl): string[] {
  const lines = [`year ${integer(y.year.value)}`, ...y.sources.map((s) => `  source ${quote(s.value)}`)];
  for (const h of y.holidays) {
    const days = h.to ? `from ${h.from.text} to ${h.to.text}` : `on ${h.from.text}`;
    lines.push(['  holiday', ...names(h.names, ''), days].join(' '));
    if (h.worked.length > 0) lines.push(`    worked ${h.worked.map((d) => d.text).join(', ')}`);
  }
  return lines;
}

// ------------------------------------------------------------------ vocabulary declarations

/** `zh "…" en "…"` and `about …` lines, indented, for what has them. */
function names(n: A.Names, indent: string): string[] {
  const pair = (zh?: A.Text, en?: A.Text) => [zh && `zh ${quote(zh.value)}`, en && `en ${quote(en.value)}`].filter(Boolean).join(' ');
  const lines: string[] = [];
  if (n.zh || n.en) lines.push(indent + pair(n.zh, n.en));
  if (n.aboutZh || n.aboutEn) lines.push(`${indent}about ${pair(n.aboutZh, n.aboutEn)}`);
  return lines;
}

function typeText(t: A.TypeExpr): string {
  return [t.word.text, t.of && `of ${t.of.text}`, t.min && `from ${integer(t.min.value)}`, t.max && `to ${integer(t.max.value)}`, t.or && `or ${t.or.text}`].filter(Boolean).join(' ');
}

function field(f: A.FieldDecl, indent = ''): string[] {
  const absent = f.absent ? [`${indent}  absent means ${f.absent.means} because ${quote(f.absent.why.value)}`] : [];
  return [`${indent}field ${f.name.text} ${typeText(f.type)}${f.required ? ' required' : ''}`, ...absent, ...names(f.names, `${indent}  `)];
}

function value(v: A.ValueDecl): string[] {
  const [first = '', ...rest] = names(v.names, '');
  const metBy = v.metBy.length > 0 ? ` met by ${v.metBy.map((m) => m.text).join(', ')}` : '';
  // A value and its names on one line: an enumeration reads as a table.
  return [`  value ${v.name.text}${first && !first.startsWith('about') ? ` ${first}` : ''}${metBy}`, ...(first.startsWith('about') ? [first] : rest).map((l) => `    ${l}`)];
}

function pattern(p: A.OutcomePattern): string {
  const words = { deny: 'deny', verification: 'require verification', label: 'require label', disposal: 'take', retain: 'retain', oblige: 'oblige' } as const;
  return p.code ? `${words[p.kind]} ${p.code.text}` : words[p.kind];
}

function declaration(d: A.VocabularyItem): string[] {
  switch (d.kind) {
    case 'enumeration':
      return [`${d.extend ? 'extend ' : ''}enumeration ${d.name.text}${d.outcome ? ` for ${d.outcome.text}` : ''}`, ...names(d.names, '  '), ...d.values.flatMap(value)];
    case 'object':
      return [`${d.extend ? 'extend ' : ''}object ${d.name.text}`, ...names(d.names, '  '), ...d.fields.flatMap((f) => field(f, '  '))];
    case 'event': {
      const lines = [`event ${d.name.text}`, ...names(d.names, '  ')];
      if (d.requires.length > 0) lines.push(`  requires ${d.requires.map((r) => r.text).join(', ')}`);
      if (d.deletes) lines.push(`  deletes ${d.deletes.kind.path.join('.')} from ${d.deletes.created.path.join('.')}`);
      return lines;
    }
    case 'conflict':
      return [`conflict ${pattern(d.first)} and ${pattern(d.second)}${d.on ? ` on ${d.on.text}` : ''}`, `  because ${quote(d.because.value)}`];
  }
}

function paragraph(p: A.Paragraph): string[] {
  const lines = [`paragraph ${integer(p.number.value)}`, `  zh ${quote(p.zh.value)}`];
  if (p.en) lines.push(`  en ${quote(p.en.value)}`);
  return lines;
}

function definition(d: A.Definition, t: Temporal): string[] {
  const head = `define ${d.name.text} as`;
  const flat = condition(d.body, t);
  if (width(head) + 1 + width(flat) <= WIDTH || !breakable(d.body)) return [`${head} ${flat}`];
  // A body too long for its line starts on the next one, where it has the room to break.
  const body = layout(d.body, INDENT, INDENT, t);
  return [head, `${' '.repeat(INDENT)}${body[0]}`, ...body.slice(1)];
}

function rule(r: A.Rule, t: Temporal): string[] {
  const lines = [`rule ${r.name.text}`];
  if (r.citation) {
    const c = r.citation;
    lines.push(`  cites ${c.regulation.text} article ${integer(c.article.value)}${c.paragraph ? ` paragraph ${integer(c.paragraph.value)}` : ''}`);
  }
  lines.push(`  on ${r.on.map((n) => n.text).join(', ')}`);
  if (r.when) {
    const when = layout(r.when, '  when '.length, INDENT, t);
    lines.push(`  when ${when[0]}`, ...when.slice(1));
  }
  lines.push('  then', ...r.outcomes.map((o) => `    ${outcome(o)}`));
  return lines;
}

function outcome(o: A.Outcome): string {
  switch (o.kind) {
    case 'deny':
      return 'deny';
    case 'verification':
      return `require verification ${o.code.text}`;
    case 'label':
      return `require label ${o.code.text}`;
    case 'disposal':
      return `take ${o.code.text}`;
    case 'retain':
      return `retain ${o.record.text} for ${o.period.text} from ${operand(o.from)}`;
    case 'oblige':
      return `oblige ${o.code.text}${o.due ? ` due ${operand(o.due)}` : ''}`;
  }
}

/**
 * A group inside another group or under `not` is bracketed. `and` binds tighter than `or`, so the
 * grammar would not need brackets for an `and` group inside an `or`; legal readers do.
 */
function needsParens(_parent: A.Condition, child: A.Condition): boolean {
  return child.kind === 'all' || child.kind === 'any';
}

const wrapped = (parent: A.Condition, child: A.Condition, t: Temporal): string => (needsParens(parent, child) ? `(${condition(child, t)})` : condition(child, t));

/** A condition on one line. */
function condition(c: A.Condition, t: Temporal): string {
  switch (c.kind) {
    case 'all':
      return c.items.map((i) => wrapped(c, i, t)).join(' and ');
    case 'any':
      return c.items.map((i) => wrapped(c, i, t)).join(' or ');
    case 'not':
      return `not ${wrapped(c, c.item, t)}`;
    case 'truth':
      return operand(c.operand);
    case 'compare':
      return `${operand(c.left)} ${comparison(c, t)} ${operand(c.right)}`;
    case 'present':
      return `${operand(c.operand)} ${writtenOperator(c).words}`;
    case 'oneOf':
      return `${operand(c.operand)} ${writtenOperator(c).words} ${list(c.values)}`;
    case 'has':
      // `has V` holds exactly one value; printing the list as it is lets the check catch any other.
      return `${operand(c.operand)} ${writtenOperator(c).words} ${c.mode === 'one' ? c.values.map(operand).join(', ') : list(c.values)}`;
    case 'meets':
      return `${operand(c.operand)} ${writtenOperator(c).words} ${c.code.text}`;
  }
}

/**
 * A comparison reads in words (`before`, `on or after`) when either side is a date: a date literal,
 * a shifted date, or a field the vocabulary types as a date or time; in symbols (`<`, `>=`)
 * otherwise, numbers and unknown fields alike; equality always in words. Both spellings parse to the
 * same operator, so the choice is layout only.
 */
function comparison(c: A.Comparison, temporal: Temporal): string {
  return printed(writtenOperator(c), isDate(c.left, temporal) || isDate(c.right, temporal));
}

function isDate(o: A.Operand, temporal: Temporal): boolean {
  if (o.kind === 'shift' || o.kind === 'moved') return true;
  if (o.kind === 'literal') return o.type === 'date';
  return temporal(o.path.join('.'));
}

const list = (values: readonly A.Operand[]): string => `[${values.map(operand).join(', ')}]`;

function operand(o: A.Operand): string {
  switch (o.kind) {
    case 'ref':
      return o.path.join('.');
    case 'shift':
      return `${operand(o.base)} ${o.sign === 1 ? 'plus' : 'minus'} ${o.period.text}`;
    case 'moved':
      return `${operand(o.base)} ${MOVED_PAST_REST_DAYS}`;
    case 'literal':
      switch (o.type) {
        case 'bool':
          return String(o.value);
        case 'int':
          return integer(o.value);
        case 'string':
          return quote(o.value);
        case 'date':
          return o.value;
      }
  }
}

const quote = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** Digits, never an exponent (`1e+21` would not parse). A number beyond a double's range was read as
 * Infinity and cannot be printed: the re-parse check reports it. */
const integer = (n: number): string => (Number.isFinite(n) ? BigInt(n).toString() : String(n));

/** Columns, counted in code points. */
const width = (s: string): number => [...s].length;

const breakable = (c: A.Condition): boolean => c.kind === 'all' || c.kind === 'any' || (c.kind === 'not' && breakable(c.item));

/**
 * `c` laid out from column `col`, with `tail` columns still to follow its last line: the first
 * line (without what precedes it), then continuation lines with their indentation, at `indent`.
 */
function layout(c: A.Condition, col: number, indent: number, t: Temporal, tail = 0): string[] {
  const flat = condition(c, t);
  if (col + width(flat) + tail <= WIDTH) return [flat];
  switch (c.kind) {
    case 'not': {
      const lines = part(c, c.item, col + 'not '.length, indent, tail, t);
      lines[0] = `not ${lines[0]}`;
      return lines;
    }
    case 'all':
    case 'any':
      return operands(c, col, indent, tail, t);
    default:
      return [flat];
  }
}

/** The first line takes as many operands as fit; each further operand starts its own line. */
function operands(c: A.AllOf | A.AnyOf, col: number, indent: number, tail: number, t: Temporal): string[] {
  const op = c.kind === 'all' ? 'and' : 'or';
  const last = c.items.length - 1;
  const lines = part(c, c.items[0]!, col, indent + INDENT, last === 0 ? tail : 0, t);
  let filling = lines.length === 1;
  c.items.slice(1).forEach((item, i) => {
    const itemTail = i + 1 === last ? tail : 0;
    const more = ` ${op} ${wrapped(c, item, t)}`;
    if (filling && col + width(lines[0]!) + width(more) + itemTail <= WIDTH) {
      lines[0] += more;
      return;
    }
    filling = false;
    const sub = part(c, item, indent + op.length + 1, indent + INDENT, itemTail, t);
    lines.push(`${' '.repeat(indent)}${op} ${sub[0]}`, ...sub.slice(1));
  });
  return lines;
}

/** A child of `parent` laid out, in parentheses if it needs them. */
function part(parent: A.Condition, child: A.Condition, col: number, indent: number, tail: number, t: Temporal): string[] {
  if (!needsParens(parent, child)) return layout(child, col, indent, t, tail);
  const lines = layout(child, col + 1, indent, t, tail + 1);
  lines[0] = `(${lines[0]}`;
  lines[lines.length - 1] += ')';
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Comments

/**
 * The blocks with their comments put back, a blank line between blocks. A comment before a block
 * stays before it, and where the author left a blank line between comments (or between a comment and
 * its block) one is kept. A comment inside a block (between its words, or after its last word on
 * the same line) moves to just before that block: the layout has no place for it within. Comments
 * after the last block stay at the end.
 */
function withComments(blocks: readonly Block[], comments: readonly IToken[], text: string): string[] {
  const before = blocks.map((): IToken[] => []);
  const within = blocks.map((): IToken[] => []);
  const after: IToken[] = [];
  for (const c of comments) {
    const i = blocks.findIndex((b) => c.startOffset < b.end);
    const previous = (i === -1 ? blocks.length : i) - 1;
    if (previous >= 0 && blocks[previous]!.endLine === c.startLine) within[previous]!.push(c);
    else if (i === -1) after.push(c);
    else if (c.startOffset < blocks[i]!.start) before[i]!.push(c);
    else within[i]!.push(c);
  }
  const end = (c: IToken): number => c.startOffset + c.image.length;
  const blankBetween = (from: number, to: number): boolean => /\n[^\S\n]*\n/.test(text.slice(from, to));
  const comment = (c: IToken): string => c.image.trimEnd();

  const out: string[] = [];
  const run = (list: readonly IToken[]): void => {
    list.forEach((c, j) => {
      if (j > 0 && blankBetween(end(list[j - 1]!), c.startOffset)) out.push('');
      out.push(comment(c));
    });
  };
  blocks.forEach((b, i) => {
    if (i > 0) out.push('');
    const lead = before[i]!;
    run(lead);
    if (lead.length > 0 && blankBetween(end(lead[lead.length - 1]!), b.start)) out.push('');
    out.push(...within[i]!.map(comment), ...b.lines);
  });
  const last = blocks[blocks.length - 1]!;
  if (after.length > 0 && blankBetween(last.end, after[0]!.startOffset)) out.push('');
  run(after);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The check

function verify(source: SourceFile, ast: A.PolicyFile, comments: readonly IToken[], text: string): Diagnostic | undefined {
  const changed = (span: Span, detail: string): Diagnostic => diagnostic('formatChangesFile', span, { detail });
  const again = parseFile({ path: source.path, text });
  if (!again.ast || hasErrors(again.diagnostics)) return changed(ast.span, `its output would not parse (${again.diagnostics[0]?.message ?? 'no AST'})`);
  const where = difference(ast, again.ast, ast.span);
  if (where) return changed(where, 'the output would read differently here');
  // Every quoted text is in the AST (lowering refuses a clause it would drop, TL025/TL026), but
  // comments are not: each comment of the source must survive.
  const key = (t: IToken): string => t.image.trimEnd();
  const kept = new Map<string, number>();
  for (const t of again.comments) kept.set(key(t), (kept.get(key(t)) ?? 0) + 1);
  for (const t of comments) {
    const left = kept.get(key(t)) ?? 0;
    if (left === 0) return changed(tokenSpan(source.path, t), 'the comment here would be lost');
    kept.set(key(t), left - 1);
  }
  return undefined;
}

/** The span of the innermost node where two ASTs differ (spans aside), or undefined if they agree. */
function difference(a: unknown, b: unknown, span: Span): Span | undefined {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? undefined : span;
  if (Array.isArray(a) !== Array.isArray(b)) return span;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const here = (x['span'] as Span | undefined) ?? span;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (k === 'span') continue;
    const d = difference(x[k], y[k], here);
    if (d) return d;
  }
  return undefined;
}
