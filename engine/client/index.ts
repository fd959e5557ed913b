// The typed client for platforms: `import { TiaoliClient } from 'tiaoli/client'`. Its types are
// generated from the service's OpenAPI document (openapi.ts, `npm run gen:client`); requests go
// through openapi-fetch, so a route, parameter or body the document does not have is a type error.
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi.js';

export type { components, paths } from './openapi.js';
export type Event = components['schemas']['Event'];
export type Decision = components['schemas']['Decision'];
export type Problem = components['schemas']['Problem'];
export type BatchError = components['schemas']['BatchError'];
export type LogEntry = components['schemas']['LogEntry'];
export type LogQuery = Omit<NonNullable<paths['/v1/log']['get']['parameters']['query']>, 'after'>;

/** An answer other than success: the service's problem details (RFC 9457), `code` what to branch on. */
export class TiaoliProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

export interface ClientOptions {
  /** The admin bearer token, for the log and the admin routes. */
  readonly token?: string;
  /** A fetch of your own (a proxy, retries, tests); the global one by default. */
  readonly fetch?: typeof fetch;
}

const refused = (error: unknown): never => {
  throw new TiaoliProblem(error as Problem);
};

export class TiaoliClient {
  /** The generated client itself, for the routes without a method here. */
  readonly api: Client<paths>;

  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.api = createClient<paths>({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}), headers: options.token ? { authorization: `Bearer ${options.token}` } : {} });
  }

  /** Decides one event. With an idempotency key, a repeat answers the decision logged the first time and logs nothing. */
  async decide(event: Event, { idempotencyKey }: { readonly idempotencyKey?: string } = {}): Promise<Decision> {
    const { data, error } = await this.api.POST('/v1/decisions', { body: event, params: { header: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey } } });
    return data ?? refused(error);
  }

  /**
   * Decides many events, sent as JSON Lines, and yields one result per event in order: a decision,
   * or an error entry for an invalid event. At most 10,000 events (32 MiB) per call.
   */
  async *batch(events: Iterable<Event> | AsyncIterable<Event>): AsyncGenerator<Decision | BatchError> {
    let lines = '';
    for await (const e of events) lines += `${JSON.stringify(e)}\n`;
    const { data, error } = await this.api.POST('/v1/decisions/batch', {
      body: [],
      bodySerializer: () => lines,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    yield* data ?? refused(error);
  }

  /** The log's entries that match, a page (at most `limit`, 100 by default) at a time, following `next` until the last. */
  async *logPages(query: LogQuery = {}): AsyncGenerator<LogEntry[]> {
    for (let after: number | undefined; ; ) {
      const { data, error } = await this.api.GET('/v1/log', { params: { query: after === undefined ? query : { ...query, after } } });
      const page = data ?? refused(error);
      yield page.entries;
      if (page.next === null) return;
      after = page.next;
    }
  }

  /** The log's entries that match, one at a time (pages fetched as they are needed). */
  async *log(query: LogQuery = {}): AsyncGenerator<LogEntry> {
    for await (const page of this.logPages(query)) yield* page;
  }
}
