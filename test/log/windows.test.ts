// Verification in windows (engine/log/window.ts), on this thread and on threads of their own, against
// what verification means: an untouched log gives the Merkle root over every entry's leaf, computed
// here from the rows by the tree's recursive definition, and a log changed anywhere is found changed
// at that entry, whatever the window size, the number of threads and when they take over. The logs
// have no checkpoint, so that nothing but the chain and the walk over the windows can catch a change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryLeaf } from '../../engine/log/chain.js';
import type { NewEntry } from '../../engine/log/log.js';
import { treeRoot } from '../../engine/log/merkle.js';
import { verifyLog } from '../../engine/log/verify.js';
import { BACKENDS } from '../backends.js';
import { event } from '../helpers.js';
import { entryOf, opening, sql } from './entries.js';

const runs = Math.min(Number(process.env['FUZZ_RUNS'] ?? 200), 40);
const sqlite = BACKENDS.find((b) => b.name === 'sqlite')!;
const POOL: NewEntry[] = Array.from({ length: 40 }, (_, i) => entryOf(event(i % 2 ? 'interaction.post' : 'feature.launch', { id: `w-${i}` })));

describe('verification in windows', () => {
  const { open, fresh } = opening(sqlite);

  it('gives the root over every entry, and finds an entry edited, deleted or given another hash, at any window size and on any number of threads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: POOL.length }),
        fc.option(fc.record({ at: fc.nat(), how: fc.constantFrom('edit', 'delete', 'rehash') }), { nil: undefined }),
        fc.record({ size: fc.constantFrom(1, 2, 4, 8), threads: fc.integer({ min: 0, max: 2 }), inThread: fc.integer({ min: 0, max: 3 }) }),
        async (n, tamper, windows) => {
          const location = await fresh();
          const log = open(location);
          if (n > 0) await log.append(POOL.slice(0, n));
          // Deleting the last entry leaves a shorter log that verifies: without a checkpoint, nothing says it was there.
          const seq = tamper && n > 1 ? 1 + (tamper.at % (n - 1)) : undefined;
          if (seq !== undefined) {
            const change = { edit: `UPDATE decisions SET decision = '{"allowed":false}' WHERE seq = ${seq}`, delete: `DELETE FROM decisions WHERE seq = ${seq}`, rehash: `UPDATE decisions SET hash = '${'0'.repeat(64)}' WHERE seq = ${seq}` }[tamper!.how];
            await sql(sqlite, location, change);
          }
          const v = await verifyLog(log, { windows });
          expect(await verifyLog(log)).toEqual(v);
          if (seq === undefined) {
            const rows = await log.chained(0, POOL.length);
            expect(v).toMatchObject({ entries: n, lastSeq: n, problem: undefined, root: treeRoot(rows.map(entryLeaf)).toString('hex') });
          } else {
            expect(v.problem).toMatchObject({ kind: tamper!.how === 'delete' ? 'deleted' : 'altered', seq });
          }
        },
      ),
      { numRuns: runs },
    );
  }, 120_000);

  it('checks every window on this thread when the threads cannot open the log', async () => {
    const location = await fresh();
    const log = open(location);
    await log.append(POOL.slice(0, 8));
    await sql(sqlite, location, `UPDATE decisions SET event = '{}' WHERE seq = 7`);
    const v = await verifyLog(log, { windows: { size: 2, threads: 1, inThread: 1, location: `${location}.missing` } });
    expect(v.problem).toMatchObject({ kind: 'altered', seq: 7 });
  });
});
