export interface PeerRule {
  readonly id: string;
  readonly article: string;
}
/** A peer's answer: whether it denies, and which of the eleven deny (sorted ids). */
export interface Peer<T> {
  readonly deny: (e: unknown) => T extends 'async' ? Promise<boolean> : boolean;
  readonly denying: (e: unknown) => T extends 'async' ? Promise<string[]> : string[];
}
export interface JreRule {
  name: string;
  conditions: { all: unknown[] };
  event: { type: string; params: { rule: string } };
}

export const PEER_RULES: readonly PeerRule[];
export function cstDay(timestamp: string): number;
export function handWritten(e: unknown): number;
export const CEDAR_POLICIES: string;
export function cedarRequest(e: unknown, policySetId: string): unknown;
export function cedarPeer(policies?: string, policySetId?: string): Peer<'sync'>;
export function jreRules(): JreRule[];
export function jreFacts(e: unknown): Record<string, unknown>;
export function jrePeer(rules?: JreRule[]): Peer<'async'>;
