// `tiaoli audit merge`: the partial results of a run's shards (each the JSON Lines of `replay` or
// `diff --shard I/N`) merged into the lines the unsharded run prints: its findings and errors in seq
// order, the log's flagged problem first, then the summary of all. Refused unless the partials are
// every shard of one run, once each.
import { mergeSummaries, summaryLine, type ShardOf, type Summary } from './findings.js';

/** A partial result that does not belong, or is cut short: the merge is refused. */
export class MergeError extends Error {}

interface Line {
  readonly text: string;
  readonly seq: number;
  readonly flag: boolean;
}

/** A partial's lines: findings and errors, then the summary line with its shard. */
export interface Partial {
  readonly name: string;
  readonly lines: () => AsyncIterable<string>;
}

/** Reads each partial's summary (its last line) and checks that together they are one run's shards 1…N. */
export async function shardsOf(parts: readonly Partial[]): Promise<{ summary: Summary; shard: ShardOf }[]> {
  const tails = [];
  for (const p of parts) {
    let last: string | undefined;
    for await (const line of p.lines()) if (line !== '') last = line;
    const parsed = last === undefined ? undefined : (parse(last, p.name) as { summary?: Summary; shard?: ShardOf });
    if (!parsed?.summary || !parsed.shard) throw new MergeError(`${p.name} does not end with the summary of a shard (was it written by replay or diff with --shard I/N, and completely?)`);
    tails.push({ summary: parsed.summary, shard: parsed.shard, name: p.name });
  }
  const [first] = tails;
  if (!first) throw new MergeError('name the partial results to merge');
  for (const t of tails) {
    if (t.shard.count !== first.shard.count || t.shard.run !== first.shard.run) throw new MergeError(`${t.name} is shard ${t.shard.index}/${t.shard.count} of ${t.shard.run}, not of ${first.shard.run} in ${first.shard.count} shards`);
  }
  const seen = new Set(tails.map((t) => t.shard.index));
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0 || tails.length !== first.shard.count) {
    throw new MergeError(missing.length > 0 ? `shard ${missing.join(', ')} of ${first.shard.count} is missing: a merge of fewer shards is not the whole run` : 'a shard is given twice');
  }
  return tails;
}

/** The merged lines, newline-terminated: exactly what the unsharded run prints. */
export async function* mergePartials(parts: readonly Partial[], checked?: Awaited<ReturnType<typeof shardsOf>>): AsyncGenerator<string> {
  // A caller that has checked the partials already (to read their run) passes what it found.
  const tails = checked ?? (await shardsOf(parts));
  const streams = parts.map((p) => lineReader(p));
  const heads = await Promise.all(streams.map((s) => s.next()));
  // The log's problem, flagged by the first shard alone, comes first, as in one run.
  const first = tails.findIndex((t) => t.shard.index === 1);
  while (heads[first]!.value?.flag) {
    yield `${heads[first]!.value!.text}\n`;
    heads[first] = await streams[first]!.next();
  }
  for (;;) {
    let min = -1;
    heads.forEach((h, i) => {
      if (h.value && (min < 0 || h.value.seq < heads[min]!.value!.seq)) min = i;
    });
    if (min < 0) break;
    yield `${heads[min]!.value!.text}\n`;
    heads[min] = await streams[min]!.next();
  }
  yield summaryLine(mergeSummaries(tails.map((t) => t.summary)));
}

/** A partial's finding and error lines with their seq, the summary left out. */
async function* lineReader(p: Partial): AsyncGenerator<Line, undefined> {
  for await (const text of p.lines()) {
    if (text === '') continue;
    const v = parse(text, p.name) as { seq?: unknown; summary?: unknown; error?: { code?: unknown } };
    if (v.summary !== undefined) return undefined;
    if (typeof v.seq !== 'number') throw new MergeError(`${p.name}: a line without its seq: ${text.slice(0, 80)}`);
    yield { text, seq: v.seq, flag: v.error?.code === 'log_unverified' };
  }
  return undefined;
}

function parse(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MergeError(`${name}: a line that is not JSON: ${text.slice(0, 80)}`);
  }
}
