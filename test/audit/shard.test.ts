// Sharded replay and diff: the merge of a run's shards is the unsharded run, byte for byte —
// property-tested over generated outcomes and shard counts, then end to end with the real CLI on each
// backend's log; and a merge of partials that are not one run's every shard is refused.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { auditLines, finding, SAME, Tally, type Outcome, type ShardOf } from '../../engine/audit/findings.js';
import type { Change } from '../../engine/audit/diff.js';
import { mergePartials, type Partial } from '../../engine/audit/merge.js';
import { openLog } from '../../engine/log/open.js';
import { BACKENDS } from '../backends.js';
import { event } from '../helpers.js';
import { entryOf } from '../log/entries.js';

const collect = async (lines: AsyncIterable<string>) => {
  let out = '';
  for await (const l of lines) out += l;
  return out;
};
async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
/** A partial as the CLI reads it back: its lines without their newlines. */
const partialOf = (name: string, text: string): Partial => ({ name, lines: () => from(text.split('\n')) });

const TYPES = ['content.publish', 'interaction.post', 'record.delete'];
const ARTICLES = ['live-2016 16', 'av-2019 9', 'notice-2018 四'];

/** An outcome for the entry of `seq`: same, changed (with a finding of generated fields) or an error. */
const outcome = (seq: number) =>
  fc.oneof(
    fc.constant(SAME),
    fc.record({ type: fc.constantFrom(...TYPES), day: fc.integer({ min: 1, max: 28 }), articles: fc.subarray(ARTICLES, { minLength: 1 }), field: fc.constantFrom('allowed', 'retention', 'disposal') }).map(
      ({ type, day, articles, field }): Outcome => ({
        kind: 'changed',
        finding: finding({ seq, eventId: `e-${seq}`, type, occurredAt: `2020-02-${String(day).padStart(2, '0')}T12:00:00+08:00`, base: 'sha256:a', head: 'sha256:b', changes: [{ field, code: 'x', change: 'added', articles } as unknown as Change] }),
        policies: [],
      }),
    ),
    fc.constant<Outcome>({ kind: 'error', error: { seq, eventId: `e-${seq}`, error: { code: 'invalid_event', message: 'm' } } }),
  );

describe('tiaoli audit merge', () => {
  it('gives, from every shard of a run, the lines of the unsharded run, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }).chain((n) => fc.tuple(fc.tuple(...Array.from({ length: n }, (_, i) => outcome(i + 1))), fc.boolean(), fc.integer({ min: 1, max: 5 }))),
        async ([outcomes, flagged, count]) => {
          // A log that does not verify, flagged: its problem first, as replay puts it.
          const flag: Outcome = { kind: 'error', error: { seq: 7, eventId: null, error: { code: 'log_unverified', message: 'the decision log does not verify' } } };
          const all = [...(flagged ? [flag] : []), ...outcomes];
          const whole = await collect(auditLines(from(all), new Tally()));
          const partials = await Promise.all(
            Array.from({ length: count }, async (_, index) => {
              const mine = outcomes.filter((_, i) => (i + 1) % count === index);
              const shard: ShardOf = { index: index + 1, count, run: 'replay' };
              return partialOf(`shard-${index + 1}`, await collect(auditLines(from([...(flagged && index === 0 ? [flag] : []), ...mine]), new Tally(), undefined, shard)));
            }),
          );
          // In any order the partials are named.
          expect(await collect(mergePartials([...partials].reverse()))).toBe(whole);
        },
      ),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 150) },
    );
  });

  it('refuses partials that are not every shard of one run, once each', async () => {
    const part = async (index: number, count: number, run = 'replay') => partialOf(`p${index}of${count}${run}`, await collect(auditLines(from([SAME]), new Tally(), undefined, { index, count, run })));
    const refused = (parts: Partial[]) => expect(collect(mergePartials(parts))).rejects;
    await refused([await part(1, 3), await part(3, 3)]).toThrow('shard 2 of 3 is missing');
    await refused([await part(1, 2), await part(2, 2, 'diff')]).toThrow('p2of2diff is shard 2/2 of diff, not of replay in 2 shards');
    await refused([await part(1, 2), await part(1, 2), await part(2, 2)]).toThrow('a shard is given twice');
    await refused([partialOf('plain', await collect(auditLines(from([SAME]), new Tally())))]).toThrow('plain does not end with the summary of a shard');
    await refused([partialOf('cut', '{"seq":1')]).toThrow('cut: a line that is not JSON');
  });
});

const CLI = new URL('../../bin/tiaoli.js', import.meta.url).pathname;
const run = promisify(execFile);
async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    // A report says when it was made: pinned, so a whole run's and a merged one's can be compared.
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SOURCE_DATE_EPOCH: '1780000000' } });
    return { status: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    if (typeof err.code !== 'number') throw e;
    return { status: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const R1 = readPolicyDir(SHIPPED_POLICIES);
// Content and logs kept ninety days: the content.publish decisions change, the others do not.
const R2 = R1.map((s) => (s.path === 'live-2016/article-16.tiaoli' ? { ...s, text: s.text.replace('retain content_and_logs for P60D', 'retain content_and_logs for P90D') } : s));
const R2_DIGEST = buildBundle(R2).policy!.digest;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`sharded replay and diff of a ${backend.name} log${backend.skipNote}`, () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const d of drops) await d();
    });

    it('merges replay and diff shards into the unsharded run, byte for byte, exit status too', async () => {
      const { location, drop } = await backend.fresh();
      drops.push(drop);
      const log = openLog(location);
      // The entries were decided under the shipped revision, stored with them: replay finds what R2 changes.
      await log.activate(buildBundle(R1).policy!.digest, R1, '2000-01-01T00:00:00.000Z');
      await log.activate(R2_DIGEST, R2, '2000-01-01T00:00:00.000Z');
      const types = ['content.publish', 'interaction.post', 'feature.launch', 'record.delete'] as const;
      await log.append(Array.from({ length: 40 }, (_, i) => entryOf(event(types[i % 4]!, { id: `s-${i}`, occurredAt: `2019-0${1 + (i % 9)}-1${i % 10}T10:00:00+08:00` }))));
      await log.close();
      const dir = mkdtempSync(join(tmpdir(), 'tiaoli-shards-'));
      // The ninety-day revision as a directory too, so the report's revisions come from both places.
      const r2Dir = join(dir, 'r2');
      for (const f of R2) mkdirSync(dirname(join(r2Dir, f.path)), { recursive: true }), writeFileSync(join(r2Dir, f.path), f.text);
      for (const [name, args] of [
        ['replay', ['replay', '--log', location, '--revision', R2_DIGEST]],
        ['diff', ['diff', '--log', location, '--base', SHIPPED_POLICIES, '--head', R2_DIGEST, '--type', 'content.publish']],
        ['diff-dirs', ['diff', '--log', location, '--base', SHIPPED_POLICIES, '--head', r2Dir]],
      ] as const) {
        const [wholeReport, wholeJson] = [join(dir, `${name}-whole.html`), join(dir, `${name}-whole.json`)];
        const whole = await cli([...args, '--report', wholeReport, '--json', wholeJson, '--lang', 'en']);
        expect(whole.status).toBe(1);
        const findings = whole.stdout.trimEnd().split('\n').slice(0, -1);
        expect(findings.length).toBeGreaterThan(3);
        const files = [];
        for (let i = 1; i <= 3; i++) {
          const part = await cli([...args, '--shard', `${i}/3`]);
          files.push(join(dir, `${name}-${i}.jsonl`));
          writeFileSync(files.at(-1)!, part.stdout);
        }
        const merged = await cli(['audit', 'merge', ...files]);
        expect(merged).toEqual({ status: whole.status, stdout: whole.stdout, stderr: '' });
        // The report and JSON of the merged shards are the whole run's, byte for byte.
        const [mergedReport, mergedJson] = [join(dir, `${name}-merged.html`), join(dir, `${name}-merged.json`)];
        expect(await cli(['audit', 'merge', ...files, '--report', mergedReport, '--json', mergedJson, '--lang', 'en', '--log', location])).toEqual({ status: whole.status, stdout: whole.stdout, stderr: '' });
        expect(readFileSync(mergedReport, 'utf8')).toBe(readFileSync(wholeReport, 'utf8'));
        expect(readFileSync(mergedJson, 'utf8')).toBe(readFileSync(wholeJson, 'utf8'));
        const refused = await cli(['audit', 'merge', ...files, '--report', join(dir, 'never.html')]);
        expect(refused).toEqual({ status: 2, stdout: '', stderr: 'tiaoli audit merge: the report of a merged run names the log its shards read, and quotes its revisions: give --log DB\n' });
        expect(existsSync(join(dir, 'never.html'))).toBe(false);
        expect((await cli(['audit', 'merge', ...files.slice(1)])).stderr).toContain('shard 1 of 3 is missing');
      }
      expect((await cli(['replay', '--log', location, '--shard', '4/3'])).stderr).toContain('--shard takes I/N, shard I of N (1 ≤ I ≤ N), not 4/3');
    }, 300_000);
  });
}
