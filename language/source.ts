// Source files and spans: where every diagnostic and every AST node points.
import type { IToken } from 'chevrotain';

export interface SourceFile {
  /** Path as the user named it (relative to the bundle root). */
  readonly path: string;
  readonly text: string;
}

export interface Position {
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units (what editors and Chevrotain count). */
  readonly column: number;
}

/** A half-open range [start, end) in one file. */
export interface Span {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

/** What a diagnostic about the bundle as a whole is reported in when it has no file at all: the policy directory. */
export const BUNDLE_FILE = '.';

/** Line 1, column 1 of `file`: where a diagnostic with no place of its own in the file points. */
export const fileStart = (file: string): Span => ({ file, start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } });

export function tokenSpan(file: string, t: IToken): Span {
  return spanBetween(file, t, t);
}

/** The span from the first token's start to the last token's end. */
export function spanBetween(file: string, first: IToken, last: IToken): Span {
  return {
    file,
    start: { offset: first.startOffset, line: first.startLine ?? 1, column: first.startColumn ?? 1 },
    end: {
      offset: (last.endOffset ?? last.startOffset) + 1,
      line: last.endLine ?? last.startLine ?? 1,
      column: (last.endColumn ?? last.startColumn ?? 0) + 1,
    },
  };
}

export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: a.start, end: b.end };
}

/** A span for an offset range, computing line and column from the text. */
export function spanAt(source: SourceFile, startOffset: number, endOffset: number): Span {
  return { file: source.path, start: positionAt(source.text, startOffset), end: positionAt(source.text, endOffset) };
}

/** Where lines end, as the lexer (Chevrotain's default) ends them: at \n, \r\n or a lone \r. */
export const LINE_BREAK = /\r\n?|\n/g;

export function positionAt(text: string, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (const m of text.slice(0, clamped).matchAll(LINE_BREAK)) {
    // A \r\n cut by the offset still ends its line at the \r.
    line++;
    lineStart = m.index + m[0].length;
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

/** The offset of a 1-based line and column, lines ending as `positionAt` ends them; clamped to the text. */
export function offsetAt(text: string, line: number, column: number): number {
  let lineStart = 0;
  for (const m of text.matchAll(LINE_BREAK)) {
    if (--line < 1) break;
    lineStart = m.index + m[0].length;
  }
  return Math.max(0, Math.min(text.length, lineStart + column - 1));
}

/** The source line under a span with a caret marker, for terminal messages. */
export function codeFrame(source: SourceFile, span: Span): string {
  const lines = source.text.split(LINE_BREAK);
  const text = lines[span.start.line - 1] ?? '';
  const width = span.end.line === span.start.line ? Math.max(1, span.end.column - span.start.column) : Math.max(1, text.length - span.start.column + 1);
  const gutter = String(span.start.line);
  return `${gutter} | ${text}\n${' '.repeat(gutter.length)} | ${' '.repeat(span.start.column - 1)}${'^'.repeat(width)}`;
}
