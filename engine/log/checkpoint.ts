// Signed checkpoints: a tree head (how many entries, the Merkle root over them, the chain hash of the
// last, when) signed with the log's Ed25519 key. Stored in the log, printed for publishing; a
// published head pins the log up to its size, so that rewriting it, even with every hash recomputed,
// is found.
import type { KeyObject } from 'node:crypto';
import { keyId, signText, verifyText } from '../keys.js';
import { RETENTION_TYPE } from './log.js';

export interface TreeHead {
  /** Entries covered: the tree's size. */
  readonly size: number;
  /** The seq of the last of them. */
  readonly seq: number;
  /** Merkle root over their leaf hashes (hex). */
  readonly root: string;
  /** Chain hash of the last (hex). */
  readonly chain: string;
  /** When it was signed (RFC 3339 UTC). */
  readonly at: string;
}

export interface Checkpoint extends TreeHead {
  readonly keyId: string;
  /** Ed25519 over `treeHeadText`, base64. */
  readonly signature: string;
}

/**
 * A checkpoint as the log keeps it: with the roots of its perfect subtrees (hex), so that the next
 * checkpoint reads only the entries after it. They are not signed; they are trusted only once they
 * fold to the signed root.
 */
export interface StoredCheckpoint extends Checkpoint {
  readonly frontier: readonly string[];
}

/** The bytes signed: one field a line, in this order, so any language can rebuild them. */
export const treeHeadText = (h: TreeHead): string => `tiaoli tree head v1\nsize ${h.size}\nseq ${h.seq}\nroot ${h.root}\nchain ${h.chain}\nat ${h.at}\n`;

export function signTreeHead(head: TreeHead, key: KeyObject): Checkpoint {
  const { size, seq, root, chain, at } = head;
  return { size, seq, root, chain, at, keyId: keyId(key), signature: signText(treeHeadText(head), key) };
}

/** Whether the checkpoint is signed by `key`. */
export const signedBy = (c: Checkpoint, key: KeyObject): boolean => c.keyId === keyId(key) && verifyText(treeHeadText(c), c.signature, key);

const HEX64 = /^[0-9a-f]{64}$/;

/** A checkpoint read from a file (a published head, a proof's): its fields checked, or why not. */
export function checkpointFrom(value: unknown): Checkpoint | string {
  if (value === null || typeof value !== 'object') return 'not a JSON object';
  const v = value as Record<string, unknown>;
  const bad = (name: string, ok: boolean) => (ok ? undefined : name);
  const wrong =
    bad('size', Number.isSafeInteger(v['size']) && (v['size'] as number) > 0) ??
    bad('seq', Number.isSafeInteger(v['seq'])) ??
    bad('root', typeof v['root'] === 'string' && HEX64.test(v['root'])) ??
    bad('chain', typeof v['chain'] === 'string' && HEX64.test(v['chain'])) ??
    bad('at', typeof v['at'] === 'string') ??
    bad('keyId', typeof v['keyId'] === 'string') ??
    bad('signature', typeof v['signature'] === 'string');
  if (wrong) return `${wrong} is missing or malformed`;
  const { size, seq, root, chain, at, keyId: id, signature } = v as unknown as Checkpoint;
  return { size, seq, root, chain, at, keyId: id, signature };
}

/** A checkpoint's columns as both backends store them (PostgreSQL gives bigints as text). */
export interface CheckpointRow {
  readonly size: number | string;
  readonly seq: number | string;
  readonly root: string;
  readonly chain: string;
  readonly at: string;
  readonly key_id: string;
  readonly signature: string;
  readonly frontier: string;
}

export const CHECKPOINT_COLUMNS = 'size, seq, root, chain, at, key_id, signature, frontier';

export const storedCheckpoint = (r: CheckpointRow): StoredCheckpoint => ({
  size: Number(r.size),
  seq: Number(r.seq),
  root: r.root,
  chain: r.chain,
  at: r.at,
  keyId: r.key_id,
  signature: r.signature,
  frontier: JSON.parse(r.frontier) as string[],
});

/** A checkpoint as the row that stores it, in CHECKPOINT_COLUMNS order. */
export const checkpointRow = (c: StoredCheckpoint): (number | string)[] => [c.size, c.seq, c.root, c.chain, c.at, c.keyId, c.signature, JSON.stringify(c.frontier)];

/** What a retention writes into the chain (as the event of its entry). */
export interface RetentionStatement {
  readonly type: typeof RETENTION_TYPE;
  /** The tree head at the cut, signed by the log's key, with its frontier. */
  readonly cut: StoredCheckpoint;
  /** Entries logged before this moment (RFC 3339 UTC) were asked to go. */
  readonly before: string;
  /** When the retention ran (RFC 3339 UTC). */
  readonly at: string;
  /** How many entries this retention removed. */
  readonly removed: number;
}

/** A retention statement read back from the log: its fields checked, or what is wrong. */
export function retentionFrom(text: string): RetentionStatement | string {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  if (v === null || typeof v !== 'object' || v['type'] !== RETENTION_TYPE) return `not a ${RETENTION_TYPE} statement`;
  const cut = checkpointFrom(v['cut']);
  if (typeof cut === 'string') return `its cut: ${cut}`;
  const frontier = (v['cut'] as Record<string, unknown>)['frontier'];
  if (!Array.isArray(frontier) || !frontier.every((h) => typeof h === 'string' && HEX64.test(h))) return 'its cut has no frontier';
  if (typeof v['before'] !== 'string' || typeof v['at'] !== 'string' || !Number.isSafeInteger(v['removed'])) return 'before, at or removed is missing';
  return { type: RETENTION_TYPE, cut: { ...cut, frontier: frontier as string[] }, before: v['before'], at: v['at'], removed: v['removed'] as number };
}
