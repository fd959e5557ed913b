// Opens the decision log a location names, and makes sure the revision about to decide is on record.
import type { SourceFile } from '../../language/source.js';
import type { DecisionLog } from './log.js';
import { SqliteLog } from './sqlite.js';

/** A file path (SQLite). Other backends join here by their URL scheme. */
export function openLog(location: string): DecisionLog {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new Error(`no decision log backend for ${location.split(':')[0]}:// yet; give a file path for SQLite`);
  return new SqliteLog(location);
}

/** Records the revision as activated now, unless it is already the one last activated. */
export async function activateIfNew(log: DecisionLog, digest: string, sources: readonly SourceFile[], at: Date): Promise<void> {
  const last = (await log.revisions()).at(-1);
  if (last?.digest !== digest) await log.activate(digest, sources, at.toISOString());
}
