// How the command line names files to its user: relative to the current directory when they lie
// under it, else absolute, so that whatever it prints can be pasted back into the next command; and
// a file that cannot be had as one line saying which and what to do.
import { createReadStream, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Diagnostic } from '../../language/diagnostics.js';

/** `path` as the user can pass it back from here. */
export function shown(path: string): string {
  const absolute = resolve(path);
  const rel = relative(process.cwd(), absolute);
  if (rel === '') return '.';
  return rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? absolute : rel;
}

/** A diagnostic of the policy tree at `dir` (its span names a file within it), naming the file as `shown` does. */
export const locatedIn = (dir: string, d: Diagnostic): Diagnostic => ({ ...d, span: { ...d.span, file: shown(join(dir, d.span.file)) } });

/** A file system error that names its file (what `fs` throws or a stream emits). */
export const isFileError = (e: unknown): e is NodeJS.ErrnoException & { path: string; code: string } =>
  e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).path === 'string';

const WHAT_TO_DO: Record<string, string> = {
  ENOENT: 'no such file or directory; check the path',
  EACCES: 'permission denied; check its permissions',
  EPERM: 'not permitted; check its permissions',
  EISDIR: 'it is a directory; name a file',
  ENOTDIR: 'a part of the path is not a directory; check the path',
  EEXIST: 'it exists already; name another file or remove it',
  ENOSPC: 'the disk is full; free some space',
  EROFS: 'the file system is read-only; name a file elsewhere',
};

/** One line: `tiaoli decide: nope.jsonl: no such file or directory; check the path`. */
export const fileErrorLine = (command: string, e: NodeJS.ErrnoException & { path: string; code: string }): string =>
  `${command}: ${shown(e.path)}: ${WHAT_TO_DO[e.code] ?? `cannot be read or written (${e.code})`}`;

/** Bad usage the options cannot declare (two that exclude each other, a malformed value): printed as commander prints its own, exit 2. */
export class UsageError extends Error {}

/**
 * The input a command reads: standard input for `-`, else the file, looked at first, so that a
 * missing file or a directory is a file error naming it (a stream reading a directory fails without
 * naming it).
 */
export function inputOf(file: string, stdin: NodeJS.ReadableStream = process.stdin): Readable {
  if (file === '-') return stdin as Readable;
  if (statSync(file).isDirectory()) throw Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR', path: file });
  return createReadStream(file);
}
