// The Merkle tree over the log's entries, hashed as RFC 9162 (Certificate Transparency 2.0) hashes
// it: a leaf is SHA-256(0x00 || bytes), a node SHA-256(0x01 || left || right), the tree over n
// leaves splits at the largest power of two below n. Tree heads, inclusion proofs and their check.
import { hash } from 'node:crypto';

export type Hash = Buffer;

/** Whether `n` leaves can make a perfect tree (and so be one subtree of a larger one). */
export const isPowerOfTwo = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && Number.isInteger(Math.log2(n));

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

// One-shot hashing (crypto.hash): a hash object per leaf cost more than the hashing of a decision.
/** A leaf's hash over its bytes (a string as UTF-8, whose NUL is the 0x00 byte). */
export const leafHash = (bytes: string | Buffer): Hash => (typeof bytes === 'string' ? hash('sha256', `\u0000${bytes}`, 'buffer') : hash('sha256', Buffer.concat([LEAF, bytes]), 'buffer'));
export const nodeHash = (left: Hash, right: Hash): Hash => hash('sha256', Buffer.concat([NODE, left, right]), 'buffer');
/** The root of the empty tree (RFC 9162 2.1.1): the hash of no bytes. */
export const EMPTY_ROOT: Hash = hash('sha256', Buffer.alloc(0), 'buffer');

/**
 * The tree grown one leaf at a time, holding only the roots of its perfect subtrees, largest first
 * (O(log n) hashes): what a verifier needs to give the root at every size while streaming the log,
 * and what a checkpoint keeps so that the next one reads only the entries after it.
 */
export class Frontier {
  private constructor(
    private size_: number,
    private readonly roots: Hash[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** A frontier as `hashes()` gave it; refused when the number of hashes does not fit the size. */
  static of(size: number, hashes: readonly Hash[]): Frontier {
    if (!Number.isSafeInteger(size) || size < 0 || popCount(size) !== hashes.length) throw new Error(`a tree of ${size} leaves has ${popCount(size)} subtree roots, not ${hashes.length}`);
    return new Frontier(size, [...hashes]);
  }

  get size(): number {
    return this.size_;
  }

  push(leaf: Hash): void {
    let h = leaf;
    // Each trailing one bit of the old size is a perfect subtree of the same height as h: merge.
    for (let s = this.size_; s & 1; s >>>= 1) h = nodeHash(this.roots.pop()!, h);
    this.roots.push(h);
    this.size_++;
  }

  /**
   * Adds the perfect subtree of `size` leaves (a power of two) whose root is `root`, as pushing its
   * leaves one by one would: allowed only where the tree's size is a multiple of `size`, so that the
   * subtree is one of the tree's own.
   */
  pushSubtree(root: Hash, size: number): void {
    if (!(isPowerOfTwo(size) && this.size_ % size === 0)) throw new Error(`a subtree of ${size} leaves does not fit a tree of ${this.size_}`);
    let h = root;
    for (let s = this.size_ / size; s % 2 === 1; s = (s - 1) / 2) h = nodeHash(this.roots.pop()!, h);
    this.roots.push(h);
    this.size_ += size;
  }

  /** The tree head's root: the subtree roots folded from the smallest (RFC 9162's split at the largest power of two). */
  root(): Hash {
    if (this.roots.length === 0) return EMPTY_ROOT;
    let r = this.roots.at(-1)!;
    for (let i = this.roots.length - 2; i >= 0; i--) r = nodeHash(this.roots[i]!, r);
    return r;
  }

  hashes(): readonly Hash[] {
    return [...this.roots];
  }

  /**
   * The frontier of the leaves [lo, hi) alone, when they are a run of whole subtrees of this one
   * (undefined otherwise): what an inclusion proof needs of leaves it no longer has, such as those
   * a retention removed, whose subtree roots the frontier kept.
   */
  slice(lo: number, hi: number): Frontier | undefined {
    const roots: Hash[] = [];
    let start = 0;
    let covered = 0;
    // The subtrees from the largest: one for each one bit of the size, from the highest.
    for (let bit = 2 ** Math.floor(Math.log2(Math.max(this.size_, 1))), i = 0; bit >= 1; bit /= 2) {
      if (Math.floor(this.size_ / bit) % 2 === 0) continue;
      if (start >= lo && start + bit <= hi) roots.push(this.roots[i]!), (covered += bit);
      else if (start < hi && start + bit > lo) return undefined;
      start += bit;
      i++;
    }
    return covered === hi - lo ? new Frontier(hi - lo, roots) : undefined;
  }
}

function popCount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
}

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The root of the perfect tree over `count` leaves (a power of two) packed 32 bytes each in
 * `leaves`, level by level in one scratch buffer: a window of the log checked off the main thread.
 */
export function perfectRoot(leaves: Uint8Array, count: number): Hash {
  if (!(isPowerOfTwo(count) && leaves.length >= count * 32)) throw new Error(`${count} leaves do not make a perfect tree`);
  const level = Buffer.from(leaves.subarray(0, count * 32));
  const node = Buffer.allocUnsafe(65);
  node[0] = 1;
  for (let n = count; n > 1; n /= 2) {
    for (let i = 0; i < n / 2; i++) {
      node.set(level.subarray(i * 64, i * 64 + 64), 1);
      // As latin1 text, written back: cheaper than a new Buffer per hash.
      level.write(hash('sha256', node, 'binary'), i * 32, 32, 'binary');
    }
  }
  // Its own 32 bytes, not a view of the scratch buffer nor of the shared pool: it is posted between threads.
  const root = Buffer.alloc(32);
  level.copy(root, 0, 0, 32);
  return root;
}

/** The root of the tree over `leaves` (RFC 9162 MTH), by its recursive definition. */
export function treeRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(treeRoot(leaves.slice(0, k)), treeRoot(leaves.slice(k)));
}

/**
 * The leaf ranges [lo, hi) whose subtree roots make the inclusion proof of leaf `index` in a tree of
 * `size` leaves (RFC 9162 2.1.3.1 PATH), nearest sibling first. Disjoint, so one pass over the
 * leaves, each pushed into the frontier of its range, gives the proof in O(log n) memory.
 */
export function pathRanges(index: number, size: number): [number, number][] {
  if (!(Number.isSafeInteger(index) && index >= 0 && index < size)) throw new Error(`leaf ${index} is not in a tree of ${size}`);
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size;
  // Down from the root: at each level the half without the leaf is a sibling.
  while (hi - lo > 1) {
    const k = split(hi - lo);
    if (index < lo + k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
    }
  }
  return ranges.reverse();
}

/** The inclusion proof of leaf `index` in the tree over `leaves`. */
export const inclusionPath = (index: number, leaves: readonly Hash[]): Hash[] => pathRanges(index, leaves.length).map(([lo, hi]) => treeRoot(leaves.slice(lo, hi)));

/** Whether `path` proves `leaf` at `index` in the tree of `size` leaves with `root` (RFC 9162 2.1.3.2). */
export function verifyInclusion(leaf: Hash, index: number, size: number, path: readonly Hash[], root: Hash): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false;
  // Sizes are below 2^53: BigInt keeps the shifts exact past 2^32.
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}
