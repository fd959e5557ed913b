// A permalink: the edits and the event, deflated into the URL's fragment (`#share=…`, base64url), which
// a browser never sends to a server. The page that opens one restores them (boot.ts), then puts the
// open file back in the fragment. Plain browser APIs (CompressionStream), so the first script stays small.

/** What a link carries. */
export interface Shared {
  /** The edited files' texts, by path. */
  readonly edits: Readonly<Record<string, string>>;
  /** The event editor's text. */
  readonly event?: string;
  readonly open?: string;
  /** The digest of the shipped sources the edits were made against (`GET /v1/sources`). */
  readonly digest: string;
}

const PREFIX = 'share=';
const VERSION = 1;

/** The link's payload when `hash` (`location.hash`) is a permalink's. */
export const payloadOf = (hash: string): string | undefined => (hash.startsWith(`#${PREFIX}`) ? hash.slice(PREFIX.length + 1) : undefined);

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function unbase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the link is not base64url');
  return Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));
}

/** The permalink of `s` on the page at `page` (an address without its fragment). */
export async function linkOf(s: Shared, page: string): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify({ v: VERSION, ...s }));
  return `${page}#${PREFIX}${base64url(await through(json, new CompressionStream('deflate-raw')))}`;
}

const isTexts = (v: unknown): v is Record<string, string> => !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** What the payload of a link carries; it throws, saying why, for one that is cut short or not a permalink. */
export async function readPayload(payload: string): Promise<Shared> {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await through(unbase64url(payload), new DecompressionStream('deflate-raw'))));
  } catch {
    throw new Error('the link is damaged or cut short 链接已损坏或不完整');
  }
  const d = data as Partial<Shared> & { v?: unknown };
  if (d.v !== VERSION || !isTexts(d.edits) || typeof d.digest !== 'string' || (d.event !== undefined && typeof d.event !== 'string') || (d.open !== undefined && typeof d.open !== 'string')) {
    throw new Error('the link is not a playground permalink 不是试验场的分享链接');
  }
  return { edits: d.edits, digest: d.digest, ...(d.event !== undefined ? { event: d.event } : {}), ...(d.open !== undefined ? { open: d.open } : {}) };
}
