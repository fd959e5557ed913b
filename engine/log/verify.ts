// Verifying a decision log against its chain and its signed checkpoints, making checkpoints, and
// inclusion proofs: what `tiaoli log` runs and what replay asks before trusting a log. All of it
// reads the log through the DecisionLog interface, so both backends are verified by the same code.
import type { KeyObject } from 'node:crypto';
import { keyId } from '../keys.js';
import { chainHash, EMPTY_HEAD, entryLeaf, headOf, type ChainHead, type ChainRow } from './chain.js';
import { retentionFrom, signedBy, signTreeHead, type Checkpoint, type RetentionStatement, type StoredCheckpoint } from './checkpoint.js';
import { chainedRows, type DecisionLog, type Migration } from './log.js';
import { Frontier, pathRanges, verifyInclusion, type Hash } from './merkle.js';
import { checkedWindows, type CheckedWindow, type WindowOptions } from './window.js';

/** The key checkpoints are checked by, named here so that callers need not import node:crypto. */
export type TrailKey = KeyObject;

export type ProblemKind = 'altered' | 'deleted' | 'inserted' | 'moved' | 'checkpoint';

/** The first thing wrong with a log: what, and the entry (by seq) where it shows. */
export interface Problem {
  readonly kind: ProblemKind;
  readonly seq: number;
  readonly message: string;
}

/** Follows the chain an entry at a time, growing the Merkle tree over the entries. */
class ChainWalk {
  constructor(
    readonly frontier: Frontier = Frontier.empty(),
    public head: ChainHead = EMPTY_HEAD,
    /** Whether an entry written chained (format 2 on) has been seen: migrated entries come only before them. */
    private chainedSeen = false,
  ) {}

  /** The leaf hash of the last entry taken. */
  leaf: Hash = EMPTY_HEAD.hash;

  /** Takes the next entry, or says what is wrong with it; the entry after it, when known, tells an insertion or a move from an alteration. */
  step(r: ChainRow, next?: ChainRow): Problem | undefined {
    const seq = Number(r.seq);
    const format = Number(r.format);
    const who = `seq ${seq} (event ${JSON.stringify(r.event_id)})`;
    if (format === 1 && this.chainedSeen) return { kind: 'inserted', seq, message: `${who} has the format of entries written before the log was chained, yet follows chained ones: inserted` };
    if (format !== 1) {
      this.chainedSeen = true;
      // Chained entries are numbered without gaps, under the lock that orders them.
      const expected = this.head.seq + 1;
      if (seq !== expected) return { kind: 'deleted', seq: expected, message: `seq ${expected}${seq - 1 > expected ? `–${seq - 1}` : ''} missing: ${this.head.seq === 0 ? 'the log starts' : `seq ${this.head.seq} is followed by`} ${who}: deleted` };
    }
    const leaf = entryLeaf(r);
    if (r.hash !== chainHash(this.head.hash, leaf).toString('hex')) {
      // Would the next entry, at this one's place, follow the entry before? Then this one was put in
      // its way: inserted, or (when this one fits after it) the two were swapped.
      if (next && follows(next, seq, this.head.hash)) {
        const nextSeq = Number(next.seq);
        if (follows(r, nextSeq, Buffer.from(next.hash, 'hex'))) return { kind: 'moved', seq, message: `${who} and seq ${nextSeq} (event ${JSON.stringify(next.event_id)}) changed places: moved` };
        return { kind: 'inserted', seq, message: `${who} is not in the chain: the entry after it follows seq ${this.head.seq}: inserted` };
      }
      return { kind: 'altered', seq, message: `${who} does not give its stored chain hash: altered (or an entry just before it was deleted and the rest renumbered)` };
    }
    this.head = headOf(r);
    this.frontier.push(leaf);
    this.leaf = leaf;
    return undefined;
  }

  /**
   * Whether a checked window's first entry follows the last entry taken: the one link the window
   * could not check itself, with the same checks `step` makes. When it does, the window's formats
   * count towards what may follow.
   */
  enters(w: CheckedWindow): boolean {
    if (w.firstLegacy ? this.chainedSeen : w.seqs[0] !== this.head.seq + 1) return false;
    if (chainHash(this.head.hash, bytes(w.leaves, 0)).toString('hex') !== w.first) return false;
    this.chainedSeen ||= w.chained;
    return true;
  }

  /** Takes the `i`th entry of a window that entered. */
  takeOne(w: CheckedWindow, i: number): void {
    this.leaf = bytes(w.leaves, i);
    this.frontier.push(this.leaf);
    this.head = { seq: w.seqs[i]!, hash: bytes(w.hashes, i) };
  }

  /** Takes every entry of a window that entered, as one subtree, where the tree's size allows it. */
  takeAll(w: CheckedWindow, root: Uint8Array): void {
    const last = w.entries - 1;
    this.frontier.pushSubtree(bytes(root, 0), w.entries);
    this.leaf = bytes(w.leaves, last);
    this.head = { seq: w.seqs[last]!, hash: bytes(w.hashes, last) };
  }
}

/** The `i`th hash of 32 packed in `b` (which may have come from another thread as a bare Uint8Array), as a Buffer over the same memory. */
const bytes = (b: Uint8Array, i: number): Hash => Buffer.from(b.buffer, b.byteOffset + i * 32, 32);

/** Whether `r`, taken at `seq`, chains on from `previous` to its stored hash. */
const follows = (r: ChainRow, seq: number, previous: Hash): boolean => r.hash === chainHash(previous, entryLeaf({ ...r, seq })).toString('hex');

export interface Verification {
  readonly entries: number;
  /** The seq of the last entry, 0 for an empty log. */
  readonly lastSeq: number;
  /** The Merkle root over every entry (hex). */
  readonly root: string;
  /** Checkpoints matched against the entries: stored and published. */
  readonly checkpoints: number;
  /** The key id the checkpoints' signatures were checked with, when one was given. */
  readonly signedBy?: string;
  readonly migration?: Migration;
  /** The last retention: the entries it removed are counted in `entries` and vouched for by its signed cut. */
  readonly retention?: RetentionStatement;
  readonly problem?: Problem;
}

/**
 * Where a walk over the log starts: its first entry, or the cut of its last retention, whose signed
 * tree head and frontier stand for the entries it removed. The retention's own entry is later in
 * the chain, so the walk checks it like any other; a log whose removed entries are not accounted
 * for by one starts past seq 1 and is found deleted.
 */
async function startOf(log: DecisionLog, key: KeyObject | undefined): Promise<{ readonly walk: ChainWalk; readonly retention?: RetentionStatement } | Problem> {
  const text = await log.lastRetention();
  if (text === undefined) return { walk: new ChainWalk() };
  const retention = retentionFrom(text);
  if (typeof retention === 'string') return { kind: 'altered', seq: 0, message: `the last retention entry is malformed (${retention}): it was altered` };
  const { cut } = retention;
  if (key && !signedBy(cut, key)) return { kind: 'checkpoint', seq: cut.seq, message: `the cut of the retention of ${cut.at} is not signed by key ${keyId(key)}: it was forged or altered` };
  const frontier = Frontier.of(cut.size, cut.frontier.map((h) => Buffer.from(h, 'hex')));
  if (frontier.root().toString('hex') !== cut.root) return { kind: 'checkpoint', seq: cut.seq, message: `the cut of the retention of ${cut.at} has a frontier that does not give its root: it was altered` };
  return { walk: new ChainWalk(frontier, { seq: cut.seq, hash: Buffer.from(cut.chain, 'hex') }, true), retention };
}

export interface VerifyOptions {
  readonly key?: KeyObject;
  readonly published?: readonly Checkpoint[];
  /** How entries are read and hashed in bulk: by default in windows of 256, on threads of their own once the log is long, opened at the log's location. */
  readonly windows?: WindowOptions;
}

/**
 * Checks every entry's chain hash, every stored checkpoint and every published head against the
 * entries (and, given a key, that each is signed by it), stopping at the first problem. A head is
 * checked when the walk reaches its size; one past the last entry means the tail was cut off.
 * Every entry is checked in windows (window.ts: on several threads when the log is long); only when
 * something does not hold is the log walked again an entry at a time, to name the first problem as
 * `ChainWalk.step` judges it.
 */
export async function verifyLog(log: DecisionLog, options: VerifyOptions = {}): Promise<Verification> {
  return (await verifyTuples(log, options)) ?? verifyRows(log, options);
}

/** The heads to check against the walk from `walk`, smallest first: stored and published. */
async function headsFor(log: DecisionLog, walk: ChainWalk, options: VerifyOptions): Promise<{ readonly c: Checkpoint; readonly label: string }[]> {
  // Heads over fewer entries than a retention removed cannot be checked: their entries are gone.
  return [...(await log.checkpoints()).map((c) => ({ c, label: 'stored' })), ...(options.published ?? []).map((c) => ({ c, label: 'published' }))]
    .filter(({ c }) => c.size >= walk.frontier.size)
    .sort((a, b) => a.c.size - b.c.size);
}

/** The verification of a log in which everything holds, read in checked windows; undefined at the first thing that does not. */
async function verifyTuples(log: DecisionLog, options: VerifyOptions): Promise<Verification | undefined> {
  const start = await startOf(log, options.key);
  if ('kind' in start) return undefined;
  const { walk, retention } = start;
  const heads = await headsFor(log, walk, options);
  let next = 0;
  const headsHold = (): boolean => {
    for (; next < heads.length && heads[next]!.c.size <= walk.frontier.size; next++) if (headProblem(heads[next]!.c, heads[next]!.label, walk, options.key)) return false;
    return true;
  };
  if (!headsHold()) return undefined;
  for await (const w of checkedWindows(log, { seq: walk.head.seq, size: walk.frontier.size }, { location: log.location, ...options.windows })) {
    if (!w) return undefined;
    if (w.entries === 0) continue;
    if (!walk.enters(w)) return undefined;
    // A whole window is one subtree, unless a head is to be checked inside it.
    const inside = next < heads.length && heads[next]!.c.size < walk.frontier.size + w.entries;
    if (w.root && !inside && walk.frontier.size % w.entries === 0) walk.takeAll(w, w.root);
    else for (let i = 0; i < w.entries; i++) if ((walk.takeOne(w, i), !headsHold())) return undefined;
    if (!headsHold()) return undefined;
  }
  if (next < heads.length) return undefined;
  return { entries: walk.frontier.size, lastSeq: walk.head.seq, root: walk.frontier.root().toString('hex'), checkpoints: next, signedBy: options.key && keyId(options.key), migration: await log.migration(), retention, problem: undefined };
}

/** The verification of a log an entry at a time, naming the first problem. */
async function verifyRows(log: DecisionLog, options: VerifyOptions): Promise<Verification> {
  const start = await startOf(log, options.key);
  const { walk, retention } = 'kind' in start ? { walk: new ChainWalk(), retention: undefined } : start;
  const heads = await headsFor(log, walk, options);
  let next = 0;
  const result = async (problem?: Problem): Promise<Verification> => ({
    entries: walk.frontier.size,
    lastSeq: walk.head.seq,
    root: walk.frontier.root().toString('hex'),
    checkpoints: next,
    signedBy: options.key && keyId(options.key),
    migration: await log.migration(),
    retention,
    problem,
  });
  const headsHere = (): Problem | undefined => {
    for (; next < heads.length && heads[next]!.c.size <= walk.frontier.size; next++) {
      const { c, label } = heads[next]!;
      const problem = headProblem(c, label, walk, options.key);
      if (problem) return problem;
    }
    return undefined;
  };
  if ('kind' in start) return result(start);
  const early = headsHere();
  if (early) return result(early);
  // One entry is held back, so that a broken link can be judged with the entry after it.
  let held: ChainRow | undefined;
  const take = (next: ChainRow | undefined): Problem | undefined => (held ? (walk.step(held, next) ?? headsHere()) : undefined);
  for await (const row of chainedRows(log, walk.head.seq)) {
    const problem = take(row);
    if (problem) return result(problem);
    held = row;
  }
  const last = take(undefined);
  if (last) return result(last);
  if (next < heads.length) {
    const { c, label } = heads[next]!;
    return result({
      kind: 'deleted',
      seq: walk.head.seq + 1,
      message: `the log ends at seq ${walk.head.seq} (${walk.frontier.size} entries), but the ${label} checkpoint of ${c.at} signs ${c.size} entries up to seq ${c.seq}: the entries after seq ${walk.head.seq} were deleted`,
    });
  }
  return result();
}

function headProblem(c: Checkpoint, label: string, walk: ChainWalk, key: KeyObject | undefined): Problem | undefined {
  const what = `the ${label} checkpoint of size ${c.size} (${c.at})`;
  if (key && !signedBy(c, key)) return { kind: 'checkpoint', seq: c.seq, message: `${what} is not signed by key ${keyId(key)}${c.keyId === keyId(key) ? '' : ` (it names key ${c.keyId})`}: it was replaced or altered` };
  if (c.size !== walk.frontier.size || c.root !== walk.frontier.root().toString('hex') || c.chain !== walk.head.hash.toString('hex') || c.seq !== walk.head.seq) {
    return { kind: 'checkpoint', seq: c.seq, message: `${what} does not match the entries up to seq ${walk.head.seq}: it was replaced, or entries up to it were rewritten` };
  }
  return undefined;
}

/** Thrown when the log cannot give what was asked (a checkpoint, a proof) because it does not verify or lacks it. */
export class TrailError extends Error {}

/**
 * Signs a checkpoint over every entry written so far, at `at`. It reads only the entries after the
 * last stored checkpoint (whose frontier must fold to its signed root) and refuses to sign when they
 * do not chain: a checkpoint vouches only for what verifies. Undefined when nothing was written since.
 */
export async function makeCheckpoint(log: DecisionLog, key: KeyObject, at: string): Promise<Checkpoint | undefined> {
  const last = (await log.checkpoints()).at(-1);
  const { walk } = await walkTo(log, key, Infinity, last, 'sign a checkpoint');
  if (walk.frontier.size === (last?.size ?? 0)) return undefined;
  const checkpoint = signTreeHead({ size: walk.frontier.size, seq: walk.head.seq, root: walk.frontier.root().toString('hex'), chain: walk.head.hash.toString('hex'), at }, key);
  await log.addCheckpoint({ ...checkpoint, frontier: walk.frontier.hashes().map((h) => h.toString('hex')) });
  return checkpoint;
}

/**
 * The walk over every entry through seq `through`, each checked, from the last stored checkpoint
 * `last` when it is past the last retention's cut (reading only the entries after it), else from
 * that cut or the log's start. Refuses, saying it will not `what`, when anything does not verify.
 */
export async function walkTo(log: DecisionLog, key: KeyObject, through: number, last: StoredCheckpoint | undefined, what: string): Promise<{ readonly walk: ChainWalk; readonly retention?: RetentionStatement }> {
  const start = await startOf(log, key);
  if ('kind' in start) throw new TrailError(`will not ${what}: ${start.message} (tiaoli log verify names every check)`);
  const walk = last && last.seq > start.walk.head.seq ? await resumeAt(log, last, key, what) : start.walk;
  for await (const row of chainedRows(log, walk.head.seq)) {
    if (Number(row.seq) > through) break;
    const problem = walk.step(row);
    if (problem) throw new TrailError(`will not ${what}: ${problem.message} (tiaoli log verify names every check)`);
  }
  return { walk, retention: start.retention };
}

async function resumeAt(log: DecisionLog, c: StoredCheckpoint, key: KeyObject, what: string): Promise<ChainWalk> {
  const refuse = (why: string) => new TrailError(`will not ${what}: the last stored one (size ${c.size}, ${c.at}) ${why}; run tiaoli log verify`);
  // Whoever can write the log could have written this checkpoint: it counts only if signed by the key now signing.
  if (!signedBy(c, key)) throw refuse(`is not signed by key ${keyId(key)}`);
  let frontier: Frontier;
  try {
    frontier = Frontier.of(c.size, c.frontier.map((h) => Buffer.from(h, 'hex')));
  } catch {
    throw refuse('has a malformed frontier');
  }
  if (frontier.root().toString('hex') !== c.root) throw refuse('has a frontier that does not give its root');
  const [row] = await log.chained(c.seq - 1, 1);
  if (!row || Number(row.seq) !== c.seq || row.hash !== c.chain) throw refuse(`does not match the entry at seq ${c.seq}`);
  return new ChainWalk(frontier, headOf(row), Number(row.format) !== 1);
}

/** An inclusion proof: the entry as stored, its leaf index, the signed head and the audit path (hex, nearest first). */
export interface Proof {
  readonly entry: Omit<ChainRow, 'hash'>;
  readonly index: number;
  readonly head: Checkpoint;
  readonly path: readonly string[];
}

/**
 * The proof that the entry `seq` is in the tree of a stored checkpoint: the last one, or the one of
 * `size`. One pass over the entries it covers, which must verify (and give the checkpoint's root),
 * keeping 32 bytes per entry.
 */
export async function proveEntry(log: DecisionLog, seq: number, size?: number): Promise<Proof> {
  const checkpoints = await log.checkpoints();
  const c = size === undefined ? checkpoints.at(-1) : checkpoints.find((x) => x.size === size);
  if (!c) throw new TrailError(size === undefined ? 'the log has no checkpoint to prove against: sign one (tiaoli log checkpoint --key KEY)' : `the log has no checkpoint of size ${size} (tiaoli log checkpoints lists them)`);
  if (seq > c.seq) throw new TrailError(`seq ${seq} is after the checkpoint of size ${c.size}, which ends at seq ${c.seq}: sign a newer one (tiaoli log checkpoint --key KEY)`);
  const start = await startOf(log, undefined);
  if ('kind' in start) throw new TrailError(`will not prove from a log that does not verify: ${start.message}`);
  const { walk } = start;
  if (seq <= walk.head.seq) throw new TrailError(`seq ${seq} was removed by the retention of ${start.retention?.at}, which kept entries from seq ${walk.head.seq + 1}`);
  if (c.size < walk.frontier.size) throw new TrailError(`the checkpoint of size ${c.size} is older than the retention of ${start.retention?.at}: prove against a newer one (tiaoli log checkpoints lists them)`);
  // The leaves the log still has; those a retention removed are stood for by the subtree roots of its cut.
  const kept = Frontier.of(walk.frontier.size, walk.frontier.hashes());
  const first = kept.size;
  const leaves = Buffer.alloc((c.size - first) * 32);
  let found: ChainRow | undefined;
  let index = -1;
  for await (const row of chainedRows(log, walk.head.seq)) {
    if (walk.frontier.size === c.size) break;
    const problem = walk.step(row);
    if (problem) throw new TrailError(`will not prove from a log that does not verify: ${problem.message}`);
    walk.leaf.copy(leaves, (walk.frontier.size - 1 - first) * 32);
    if (Number(row.seq) === seq) (found = row), (index = walk.frontier.size - 1);
  }
  if (walk.frontier.size !== c.size || walk.frontier.root().toString('hex') !== c.root) throw new TrailError(`the entries do not give the root of the checkpoint of size ${c.size}: run tiaoli log verify`);
  if (!found) throw new TrailError(`the log has no entry of seq ${seq}`);
  const leaf = (i: number): Hash => leaves.subarray((i - first) * 32, (i - first) * 32 + 32);
  const path = pathRanges(index, c.size).map(([lo, hi]) => {
    const f = lo < first ? kept.slice(lo, Math.min(hi, first)) : Frontier.empty();
    if (!f) throw new TrailError(`the retention's cut at size ${first} does not split the tree where a proof needs it: the log is malformed`);
    for (let i = Math.max(lo, first); i < hi; i++) f.push(leaf(i));
    return f.root().toString('hex');
  });
  const { hash: _hash, ...entry } = found;
  const { frontier: _frontier, ...head } = c;
  return { entry, index, head, path };
}

/** What a proof shows, given what the checker trusts: the key that signs heads, or a published head. */
export function checkProof(proof: Proof, trust: { readonly key?: KeyObject; readonly head?: Checkpoint }): { readonly ok: boolean; readonly message: string } {
  const { entry, index, head, path } = proof;
  const who = `seq ${entry.seq} (event ${JSON.stringify(entry.event_id)})`;
  if (!trust.key && !trust.head) return { ok: false, message: 'nothing to check the proof against: give the log key (--key PUB) or a published tree head (--head FILE)' };
  if (trust.key && !signedBy(head, trust.key)) return { ok: false, message: `the proof's tree head (size ${head.size}) is not signed by key ${keyId(trust.key)}` };
  if (trust.head && (trust.head.size !== head.size || trust.head.root !== head.root)) {
    return { ok: false, message: `the proof is against the tree head of size ${head.size}, not the published one of size ${trust.head.size} with root ${trust.head.root.slice(0, 16)}…: ask for a proof against it (tiaoli log prove SEQ --size ${trust.head.size})` };
  }
  const ok = verifyInclusion(entryLeaf(entry), index, head.size, path.map((h) => Buffer.from(h, 'hex')), Buffer.from(head.root, 'hex'));
  return ok
    ? { ok, message: `${who} is entry ${index + 1} of the ${head.size} under the tree head of ${head.at} (root ${head.root.slice(0, 16)}…)` }
    : { ok, message: `the proof does not hold: ${who} with this path does not give the root of the tree head of size ${head.size}` };
}
