// Opens the decision log a location names, and makes sure the revision about to decide is on record.
import { statSync } from 'node:fs';
import type { SourceFile } from '../../language/source.js';
import type { RevisionSignature } from '../signed-revision.js';
import type { DecisionLog } from './log.js';
import { PostgresLog } from './postgres.js';
import { SqliteLog, type SqliteOptions } from './sqlite.js';

/** A log location that is a URL (`scheme://…`) rather than a file path. */
export const isLogUrl = (location: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(location);

/** Where the log is: as given, or TIAOLI_LOG_URL. */
export const logLocation = (given: string | undefined): string | undefined => given ?? process.env['TIAOLI_LOG_URL'];

/**
 * A file path (SQLite) or a postgres:// URL (PostgreSQL). Other backends join here by their URL scheme.
 * `existing`: a reader's log, which must be there: a mistyped path is an error (ENOENT naming it),
 * never a new empty log that an audit would then find clean. `mapped`: a reader's SQLite file read
 * through a memory map (SqliteLog).
 */
export function openLog(location: string, options: SqliteOptions & { readonly existing?: boolean } = {}): DecisionLog {
  if (/^postgres(ql)?:\/\//i.test(location)) return new PostgresLog(location);
  if (isLogUrl(location)) throw new Error(`no decision log backend for ${location.split(':')[0]}://; give a file path for SQLite or a postgres:// URL`);
  // `verify`: a damaged SQLite file is refused at once (PostgreSQL checks its own pages).
  if (options.existing && location !== ':memory:') statSync(location);
  return new SqliteLog(location, options);
}

/** Records the revision as activated now (with who signed it), unless it is already the one last activated. */
export async function activateIfNew(log: DecisionLog, digest: string, sources: readonly SourceFile[], at: Date, signature?: RevisionSignature): Promise<void> {
  const last = (await log.revisions()).at(-1);
  if (last?.digest !== digest) await log.activate(digest, sources, at.toISOString(), signature);
}
