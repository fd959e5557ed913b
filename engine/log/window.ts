// Checking the log a window of entries at a time. Every link inside a window is checked from what
// the window itself stores (each entry's chain hash follows from the stored hash before it), so
// windows can be checked in any order and on any thread: reading and hashing, nearly all of a
// verification's time, spread over the machine's cores. Only the link into each window, and the
// Merkle tree, are left to the one walk over the windows in order (verify.ts).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../package-root.js';
import { ChainHasher } from './chain.js';
import type { DecisionLog } from './log.js';
import { isPowerOfTwo, perfectRoot } from './merkle.js';

/** The entries with seq in (after, after + size]. */
export interface WindowTask {
  readonly after: number;
  readonly size: number;
}

/** A window whose inner links all hold: what the walk needs of it, packed for posting between threads. */
export interface CheckedWindow {
  /** How many entries have a seq in the window. */
  readonly entries: number;
  /** Whether the log may go on past the window: it was read full, or entries after it were seen. */
  readonly more: boolean;
  /** Each entry's seq, leaf hash and stored chain hash (32 bytes each, packed). */
  readonly seqs: Float64Array<ArrayBuffer>;
  readonly leaves: Uint8Array<ArrayBuffer>;
  readonly hashes: Uint8Array<ArrayBuffer>;
  /** The first entry's chain hash as stored: its link, from the entry before the window, is the walk's to check. */
  readonly first: string;
  /** Whether the first entry has the format of entries written before the log was chained (format 1); whether any entry is chained. */
  readonly firstLegacy: boolean;
  readonly chained: boolean;
  /** The root of the leaves when they make a perfect tree (a full window of a power of two). */
  readonly root?: Uint8Array;
}

/**
 * Reads and checks a window as ChainWalk.step would check its entries after the first: chained
 * entries numbered without gaps, none of format 1 after a chained one, each chain hash given by the
 * stored one before. Undefined when anything does not hold; the caller then names it the slow way.
 */
export async function checkWindow(log: DecisionLog, task: WindowTask, hasher: ChainHasher): Promise<CheckedWindow | undefined> {
  const rows = await log.chainedTuples(task.after, task.size);
  const through = task.after + task.size;
  let n = 0;
  while (n < rows.length && Number(rows[n]![0]) <= through) n++;
  const seqs = new Float64Array(n);
  // Buffer.alloc, never from the shared pool: each has its own memory, to be moved to the walk's thread.
  const leaves = Buffer.alloc(n * 32);
  const hashes = Buffer.alloc(n * 32);
  let chained = false;
  for (let i = 0; i < n; i++) {
    const [s, format, event_id, type, occurred_at, occurred_ms, decided_at, digest, event, decision, stored] = rows[i]!;
    const seq = Number(s);
    if (Number(format) === 1) {
      if (chained) return undefined;
    } else {
      if (i > 0 && seq !== seqs[i - 1]! + 1) return undefined;
      chained = true;
    }
    // Text, as ChainWalk.step hashes it; anything else (a blob put in by hand) is left to it.
    if (typeof event !== 'string' || typeof decision !== 'string' || typeof stored !== 'string') return undefined;
    const leaf = hasher.leaf({ seq, format, event_id, type, occurred_at, occurred_ms, decided_at, digest }, event, decision);
    // The stored text compared, as step compares it: a hash in capitals is not the hash written.
    // The first entry's is trusted only once the walk has compared `first` with the hash it computes.
    if (i > 0 && hasher.link(rows[i - 1]![10] as string, leaf) !== stored) return undefined;
    hashes.write(stored, i * 32, 32, 'hex');
    leaves.write(leaf, i * 32, 32, 'binary');
    seqs[i] = seq;
  }
  return {
    entries: n,
    more: rows.length === task.size || n < rows.length,
    seqs,
    leaves,
    hashes,
    first: n > 0 ? (rows[0]![10] as string) : '',
    firstLegacy: n > 0 && Number(rows[0]![1]) === 1,
    chained,
    root: isPowerOfTwo(n) ? perfectRoot(leaves, n) : undefined,
  };
}

export interface WindowOptions {
  /** Where other connections open the log; without it, every window is checked on this thread. */
  readonly location?: string;
  /** Entries per window: a power of two, so that full windows are whole subtrees of the Merkle tree. */
  readonly size?: number;
  /** Threads checking windows, started once the first window is full; the machine's cores by default, 0 for none. */
  readonly threads?: number;
  /** The windows to check on this thread before waiting for the threads; by default, as many as it checks while they start. */
  readonly inThread?: number;
}

/**
 * About 500 KB of rows: they die in the young generation, even the CLI's small one (bin/tiaoli.js;
 * the flag is the process's, so its threads' too). Windows of 1024 survived into the old
 * generation there and took 40% longer.
 */
const WINDOW = 256;
const THREAD = join(PACKAGE_ROOT, 'dist', 'engine', 'log', 'window-thread.js');

/**
 * The windows after the entry `from.seq`, at which the Merkle tree has `from.size` leaves, checked
 * and in seq order, until one that shows the log ends (or one that does not hold: undefined). The
 * first is cut short so that the others start where the tree's size is a multiple of their size.
 * A log longer than a window is handed over to threads as soon as they have started (~80 ms), the
 * windows until then checked here.
 */
export async function* checkedWindows(log: DecisionLog, from: { readonly seq: number; readonly size: number }, o: WindowOptions = {}): AsyncGenerator<CheckedWindow | undefined> {
  const size = o.size ?? WINDOW;
  if (!isPowerOfTwo(size)) throw new Error(`a window of ${size} entries is not a power of two`);
  const threads = o.threads ?? availableParallelism();
  let task: WindowTask = { after: from.seq, size: size - (from.size % size) };
  const hasher = new ChainHasher();
  let pool: WindowThreads | undefined;
  try {
    for (let k = 0; ; k++) {
      if (pool && k === o.inThread) await pool.started;
      if (pool?.ready) {
        yield* pool.windows(task, size);
        return;
      }
      const w = await checkWindow(log, task, hasher);
      yield w;
      if (!w?.more) return;
      if (k === 0 && o.location !== undefined && threads > 0) pool = new WindowThreads(o.location, threads);
      task = { after: task.after + task.size, size };
      // A synchronous backend never yields to the event loop by itself: let a service answer (and the threads report) between windows.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await pool?.close();
  }
}

/**
 * Threads, each with its own connection to the log, checking the windows they are handed in order
 * and given back in order. Each holds at most two windows at a time and at most a few windows wait
 * to be walked, so memory stays flat however long the log. A thread that fails fails the
 * verification: nothing is taken as checked that was not.
 */
class WindowThreads {
  private readonly workers: Worker[];
  private readonly held = new Map<Worker, number>();
  private readonly done = new Map<number, CheckedWindow | undefined>();
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private closing = false;
  /** Threads yet to open the log. */
  private waiting: number;
  private dispatch: (() => void) | undefined;
  /** Resolves when every thread has opened the log, or when one fails. */
  readonly started: Promise<void>;

  constructor(location: string, threads: number) {
    this.waiting = threads;
    let started!: () => void;
    this.started = new Promise((resolve) => (started = resolve));
    this.workers = Array.from({ length: threads }, () => new Worker(THREAD, { workerData: { location } }));
    const settle = (): void => {
      this.wake?.();
      if (this.failure) started();
    };
    for (const w of this.workers) {
      this.held.set(w, 0);
      w.on('message', (m: { readonly k: number; readonly window?: CheckedWindow } | 'ready') => {
        if (m === 'ready') {
          if (--this.waiting === 0) started();
          return;
        }
        this.done.set(m.k, m.window);
        this.held.set(w, this.held.get(w)! - 1);
        this.dispatch?.();
        settle();
      });
      w.on('error', (e: Error) => {
        this.failure ??= new Error(`a thread checking the log failed: ${e.message}`);
        settle();
      });
      w.on('exit', (code) => {
        if (!this.closing) this.failure ??= new Error(`a thread checking the log exited (code ${code}) before it was done`);
        settle();
      });
    }
  }

  /** Whether every thread has opened the log. */
  get ready(): boolean {
    return this.waiting === 0;
  }

  /** The windows from `first` on, each after it `size` long, checked by the threads. */
  async *windows(first: WindowTask, size: number): AsyncGenerator<CheckedWindow | undefined> {
    const taskOf = (k: number): WindowTask => (k === 0 ? first : { after: first.after + first.size + (k - 1) * size, size });
    let sent = 0;
    let taken = 0;
    this.dispatch = () => {
      for (const w of this.workers) {
        while (!this.closing && this.held.get(w)! < 2 && sent < taken + 4 * this.workers.length) {
          w.postMessage({ k: sent, ...taskOf(sent) });
          this.held.set(w, this.held.get(w)! + 1);
          sent++;
        }
      }
    };
    for (let k = 0; ; k++) {
      this.dispatch();
      while (!this.done.has(k)) {
        if (this.failure) throw this.failure;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      const w = this.done.get(k);
      this.done.delete(k);
      taken = k + 1;
      yield w;
      if (!w?.more) return;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
