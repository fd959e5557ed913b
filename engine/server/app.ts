// The HTTP service: decisions, policies, the article table, the log, health and metrics, on Fastify.
// Everything it needs comes in through ServiceOptions; process concerns (env, signals) live in serve.ts.
import { randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { positionAt, type SourceFile } from '../../language/source.js';
import { articleTable } from '../articles.js';
import { droppedRegulations } from '../../language/check.js';
import { buildBundleIsolated } from './compile-worker.js';
import type { CompiledPolicy } from '../compile.js';
import { decide, isDecisionError, type DecisionError } from '../index.js';
import { PolicyLoadError, readPolicyTree, type TestFiles } from '../load.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Appended, DecisionLog, NewEntry } from '../log/log.js';
import { decisionSchema } from '../schema/decision.js';
import { eventSchema, type Event } from '../schema/event.js';
import { createMetrics } from './metrics.js';
import { watchPressure, type Pressure } from './pressure.js';
import { readEvents } from '../cli/events.js';
import { auditLines, Tally } from '../audit/findings.js';
import { keyId } from '../keys.js';
import { revisionSignatureFrom, revisionSignatureProblem, type RevisionSignature } from '../signed-revision.js';
import { diffLog, replayLog, RevisionError, SelectionError, UnverifiedLogError, type Run, type Selection, type Trust } from '../audit/run.js';
import { parseTimeBound } from '../../language/calendar.js';
import { Readable, Transform, type Writable } from 'node:stream';
import { suggest } from '../../language/diagnostics.js';
import { toFieldErrors } from '../validate.js';
import {
  Activation,
  Articles,
  AuditLine,
  BatchError,
  DecisionRef,
  DiffBody,
  EventRef,
  Health,
  IDEMPOTENCY_KEY,
  JsonSchemaDocument,
  LogEntry,
  LogPage,
  LogQuery,
  PolicyInfo,
  PolicyUpload,
  Problem,
  ProblemRef,
  Readiness,
  ref,
  REQUEST_ID,
  ReplayBody,
  Sources,
  type DiffRequest,
  type PolicyUploadBody,
  type ProblemBody,
  type ReplayRequest,
} from './schemas.js';
import { runPolicyTests } from '../policy-tests.js';

export interface ServiceOptions {
  readonly policy: CompiledPolicy;
  readonly sources: readonly SourceFile[];
  /** The revision's policy tests and fixtures, which the playground runs; none when not given. */
  readonly tests?: TestFiles;
  readonly log: DecisionLog;
  /** Bearer token for admin routes; without one they are refused. */
  readonly adminToken?: string;
  /** The clock, at the edge: decision times in the log come from here. */
  readonly now?: () => Date;
  readonly limits?: Partial<Limits>;
  /** The key the log's checkpoints are signed with, which replay and diff check them by; without one, their signatures are not checked. */
  readonly logPublicKey?: KeyObject;
  /** With a key, a revision is put in force only when signed by it (`tiaoli sign`); without one, by the admin token alone. */
  readonly policyKey?: KeyObject;
  /** Seconds between looks in the log for a revision activated through another node sharing it; none: never. */
  readonly followSeconds?: number;
  /** Whether the service is under pressure; by default sampled from this process (a test gives its own, to drive shedding without real load). */
  readonly pressure?: Pressure;
  /** The access and error log (pino, one JSON line each, with the request id): `silent` unless given; `serve` takes TIAOLI_LOG_LEVEL. */
  readonly logger?: { readonly level: string; readonly stream?: Writable };
}

/** Where the service starts shedding load (503 with Retry-After) rather than queue without bound. */
export interface Limits {
  /** Requests being handled at once; past this, new ones are turned away at once. */
  readonly maxInFlight: number;
  /** Open connections; past this the server closes new ones at once (kept below the descriptor limit). */
  readonly maxConnections: number;
  /** Bytes of request bodies being received or handled at once, over all requests. */
  readonly maxBodyBytesInFlight: number;
  /** Decisions waiting to be logged: past this (a stalled log), requests are turned away before deciding. */
  readonly maxEntriesAwaitingLog: number;
  /** How long a request waits for the log before it is answered 503 (the write may still land). */
  readonly logTimeoutMs: number;
  /** Events in one batch request. */
  readonly maxBatch: number;
  /**
   * Batch requests being read, parsed or decided at once; more are turned away from their headers.
   * A parsed event and its decision weigh some ten times its bytes: a few full batches at once are
   * what the machine's memory should hold, and more would not be decided sooner on one event loop.
   */
  readonly maxBatchesInFlight: number;
  /** Event-loop delay (ms), heap and resident memory (bytes) past which the service reports itself under pressure; 0 turns one off. */
  readonly maxEventLoopDelay: number;
  readonly maxHeapUsedBytes: number;
  readonly maxRssBytes: number;
  /** Timeouts (ms): a request's headers, the whole request, an idle keep-alive connection. Node checks them every second. */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxInFlight: 256,
  maxConnections: 1000,
  maxBodyBytesInFlight: 64 * 1024 ** 2,
  maxEntriesAwaitingLog: 50_000,
  logTimeoutMs: 10_000,
  maxBatch: 10_000,
  maxBatchesInFlight: 2,
  maxEventLoopDelay: 200,
  maxHeapUsedBytes: 2 * 1024 ** 3,
  maxRssBytes: 1.5 * 1024 ** 3,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};
/** Answered even under load, so that orchestrators can still see the service: cheap, no body. */
const ALWAYS_ANSWERED = new Set(['/healthz', '/readyz']);
/** `/metrics` has slots of its own: a flood of scrapes is shed without taking the decisions' slots. */
const METRICS_IN_FLIGHT = 8;
/** A scrape within this long of the last one gets the same text: rendering costs milliseconds. */
const METRICS_CACHE_MS = 1000;
const RETRY_AFTER_SECONDS = '1';

/** The revision answering requests. Replaced as a whole, so no request sees half of a new one. */
interface Active {
  readonly policy: CompiledPolicy;
  readonly sources: readonly SourceFile[];
  readonly tests: TestFiles;
}

const NO_TESTS: TestFiles = { tests: [], fixtures: [] };
/** The playground page, built by `npm run build` (vite) and served at `/`. */
const PLAYGROUND = join(PACKAGE_ROOT, 'dist', 'playground');
/**
 * The playground's worker scripts that may evaluate code, by the start of their built name, and the
 * script-src sources each adds to `'self'` (a worker's policy is its own script's; the page's allows no eval).
 * The language worker validates events with ajv, which compiles each schema to a function; the analysis
 * worker validates witness events too, and compiles Z3's WebAssembly.
 */
const WORKER_SCRIPT_SOURCES: readonly (readonly [prefix: string, sources: string])[] = [
  ['language-worker-', "'unsafe-eval'"],
  ['analysis-worker-', "'unsafe-eval' 'wasm-unsafe-eval'"],
];

const SINGLE_LIMIT = 256 * 1024;
const BATCH_LIMIT = 32 * 1024 * 1024;
/** A policy upload: far above any real regulation's text, below what a worker compiles in its limits. */
const UPLOAD_LIMIT = 8 * 1024 * 1024;
/** An upload is parsed and checked in a worker thread within these (its start takes about a second). */
const UPLOAD_BUILD = { timeoutMs: 20_000, maxHeapMb: 512 } as const;
const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/jsonlines'];

/** A JSON Lines line that is not JSON, kept in place so the batch answers it in order. */
class BadLine {
  constructor(readonly message: string) {}
}

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const retryLater = (code: string, message: string) => new HttpError(503, code, `${message}; retry after the time in Retry-After`);
const bodyTooLarge = (limit: number) => new HttpError(413, 'body_too_large', `the body is over ${limit} bytes`);
const batchTooLarge = (max: number) => new HttpError(413, 'batch_too_large', `a batch holds at most ${max} events; split it`);
const tooManyBodies = () => retryLater('overloaded', 'too many request bodies are being received');

const stripId = <T extends { $id?: string }>({ $id: _, ...rest }: T) => rest;
/** What each error status means, for the OpenAPI document. */
const PROBLEMS: Readonly<Record<number, string>> = {
  400: 'the request is invalid: malformed JSON, an invalid event, or a parameter or field the route does not take (each named in `errors`)',
  401: 'a valid admin bearer token is required',
  403: 'admin routes are off (no TIAOLI_ADMIN_TOKEN), or the revision is not signed by the policy key',
  409: 'the log does not verify (send flagUnverified to audit it anyway)',
  413: 'the body is over the route’s limit',
  415: 'the body is not JSON (or JSON Lines where the route does not take them)',
  422: 'the request is understood but refused: a revision with errors, an Idempotency-Key reused for another event, a revision not in the log',
  500: 'an internal error, with a fixed message',
  503: 'the service sheds load, or the log cannot take the decision; retry after Retry-After',
};
const problems = (...statuses: number[]) =>
  Object.fromEntries([...statuses, 500].map((status) => [status, { description: PROBLEMS[status], content: { 'application/problem+json': { schema: ProblemRef } } }]));
const json = (description: string, schema: unknown) => ({ description, content: { 'application/json': { schema } } });
const NDJSON = 'application/x-ndjson';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
/** Events are validated by the engine's own validator (one schema, one set of messages, the contract's): the route's schema only documents them. */
const engineValidates = () => (value: unknown) => ({ value });

export async function buildService(options: ServiceOptions): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date());
  const metrics = createMetrics(() => ({ slots, bodyBytes }));
  /** An error as RFC 9457 problem details, with the service's own `code` (counted) and `errors`. */
  const problemBody = (status: number, code: string, detail: string, instance: string | undefined, extra: Partial<ProblemBody> = {}): ProblemBody => {
    metrics.errors.inc({ code });
    return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, ...(instance === undefined ? {} : { instance }), code, ...extra };
  };
  let active: Active = { policy: options.policy, sources: options.sources, tests: options.tests ?? NO_TESTS };
  // The OpenAPI document shows the schemas of the revision the service starts with; after a reload,
  // /v1/schema/*.json give the running revision's. Fastify does not validate: the engine does.
  const EventBody = stripId(eventSchema(options.policy.checked.vocabulary));
  const DecisionBody = stripId(decisionSchema(options.policy.checked.vocabulary));
  // Examples in the document are the events of the revision's own policy tests (their fixtures
  // filled in) and their decisions: one per event type, real, and never out of date.
  const examples = (() => {
    const t = options.tests ?? NO_TESTS;
    const run = runPolicyTests(options.policy, t.tests, t.fixtures);
    const byType = new Map<string, Event>();
    for (const e of run.events) if (!byType.has(e.type)) byType.set(e.type, e);
    return [...byType.values()];
  })();

  // Reserved keys (`__proto__`, `constructor`) reach the engine's validator, which names their path,
  // as it does for the CLI and the library; nothing merges request bodies into objects.
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = Fastify({
    logger: { level: options.logger?.level ?? 'silent', ...(options.logger?.stream ? { stream: options.logger.stream } : {}) },
    // One access line per request (onResponse below) rather than Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // A client's X-Request-Id is kept when it is sane, so its logs and ours join; otherwise one is made.
    requestIdHeader: false,
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    // Every problem at once, types read from query strings, and nothing unknown silently dropped.
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: true } },
    // Requests Fastify refuses before routing (a malformed URL, say) are problems like the rest.
    frameworkErrors: (error, req, reply) => void problem(req, reply, 400, 'bad_request', error.message),
    bodyLimit: SINGLE_LIMIT,
    return503OnClosing: true,
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // A client that trickles its request in is cut off rather than holding a connection forever;
    // Node checks every second, so the cut comes when the README says, not up to 30 s later.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: { headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs), connectionsCheckingInterval: 1000 },
    // What Node refuses before Fastify sees a request (a timed-out body, headers too large, bytes
    // that are not HTTP) is answered as problem details too, on the socket, which then closes.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, code, detail] =
        error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request_timeout', `the request did not arrive within ${limits.requestTimeoutMs} ms`]
          : error.code === 'HPE_HEADER_OVERFLOW'
            ? [431, 'headers_too_large', 'the request headers are over the limit']
            : [400, 'bad_request', 'the request is not valid HTTP/1.1'];
      const body = JSON.stringify(problemBody(status, code, detail, undefined));
      if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      socket.destroy(error);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.maxConnections = limits.maxConnections;
  // A failed accept (EMFILE, say) is the kernel refusing one connection, not a reason to stop serving.
  app.server.on('error', () => metrics.errors.inc({ code: 'accept_failed' }));
  // Responses are plain JSON.stringify, as the CLI writes.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Only JSON (and JSON Lines on the batch route) is read: a text body is 415, not an event that is a string.
  app.removeContentTypeParser('text/plain');

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });

  /** The methods of each route's path, for a 405's Allow (paths with parameters or wildcards excepted). */
  const methodsOf = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    if (/[*:]/.test(route.url)) return;
    const methods = methodsOf.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) methods.add(m);
    methodsOf.set(route.url, methods);
  });

  const pressure = options.pressure ?? watchPressure(limits);
  app.addHook('onClose', async () => pressure.stop());

  /**
   * A request holds a slot while it is handled: from the moment its body has arrived until its raw
   * response is done with, however it ends — answered, aborted, reset or timed out. `close` on the
   * raw response fires in every case; Fastify's onResponse does not fire for an aborted request,
   * which once kept its slot forever. A body still arriving holds no slot (a client trickling one
   * in holds only its connection and the bytes it sent, both bounded), but when every slot is
   * taken a request is turned away from its headers, before its body is read.
   */
  const slots = { decisions: 0, metrics: 0, batches: 0 };
  const take = (reply: FastifyReply, kind: keyof typeof slots, max: number): boolean => {
    if (slots[kind] >= max) return false;
    slots[kind]++;
    reply.raw.once('close', () => slots[kind]--);
    return true;
  };
  // By the route's own path (no query string to cut off); an unknown route is gated like any other.
  const gated = (path: string | undefined) => path === undefined || (!ALWAYS_ANSWERED.has(path) && path !== '/metrics');
  app.addHook('onRequest', async (req, reply) => {
    const path = req.routeOptions.url;
    if (path === '/metrics' && !take(reply, 'metrics', METRICS_IN_FLIGHT)) throw retryLater('overloaded', 'too many metrics scrapes at once');
    if (!gated(path)) return;
    const why = pressure.reason();
    if (why !== undefined) throw retryLater('overloaded', `the service is under pressure (${why})`);
    if (slots.decisions >= limits.maxInFlight) throw retryLater('overloaded', 'the service is at capacity');
  });
  app.addHook('preHandler', async (req, reply) => {
    if (gated(req.routeOptions.url) && !take(reply, 'decisions', limits.maxInFlight)) throw retryLater('overloaded', 'the service is at capacity');
  });

  /**
   * Bodies count against one budget for the whole service from their first byte until the
   * response is done, and against their route's limit as they stream (a declared length is
   * refused before anything is read), so neither many uploads nor one endless one hold memory
   * without bound. Parsers that read the stream themselves (JSON Lines) get the same limits.
   */
  let bodyBytes = 0;
  app.addHook('preParsing', async (req, reply, payload) => {
    const limit = req.routeOptions.bodyLimit ?? SINGLE_LIMIT;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) throw bodyTooLarge(limit);
    if (bodyBytes + declared > limits.maxBodyBytesInFlight) throw tooManyBodies();
    let taken = 0;
    reply.raw.once('close', () => (bodyBytes -= taken));
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        if (taken + chunk.length > limit) return next(bodyTooLarge(limit));
        if (bodyBytes + chunk.length > limits.maxBodyBytesInFlight) return next(tooManyBodies());
        taken += chunk.length;
        bodyBytes += chunk.length;
        next(null, chunk);
      },
    });
    payload.on('error', (e) => counted.destroy(e));
    return payload.pipe(counted);
  });

  await app.register(helmet, {
    // Cross-origin isolated (COOP same-origin, helmet's default, and COEP require-corp): the
    // playground runs Z3, whose threads share memory, and a page gets SharedArrayBuffer only so.
    // Everything the page and the API documentation load is their own.
    crossOriginEmbedderPolicy: { policy: 'require-corp' },
    // The page and the API documentation load only their own scripts; Monaco needs inline styles,
    // blob workers and data: fonts.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // `npm start` serves plain HTTP: upgrading the page's requests to HTTPS would break it.
        upgradeInsecureRequests: null,
      },
    },
  });

  // JSON bodies parsed by JSON.parse, whose message says where the text went wrong; Fastify's own
  // parser answered only that the body was not JSON.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(new HttpError(400, 'invalid_json', `the body is not JSON: ${jsonErrorAt(body as string, (e as Error).message)}`), undefined);
    }
  });

  // gzip or brotli for what the client accepts, except JSON Lines: compressing them would hold back
  // each streamed line until the compressor's block fills. Brotli at quality 4: answers are made per
  // request, and 11 (zlib's default) costs far more time than the bytes it saves.
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    customTypes: /^(?:application\/(?:json|problem\+json|javascript)|text\/)/,
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });

  await app.register(swagger, {
    openapi: {
      // 3.1: the Event schema's per-type requirements (if/then) are JSON Schema that 3.0 cannot carry.
      openapi: '3.1.0',
      tags: [
        { name: 'decisions', description: 'deciding events' },
        { name: 'policies', description: 'the revision in force, its articles, sources and schemas' },
        { name: 'admin', description: 'putting a revision in force (admin)' },
        { name: 'audit', description: 'the decision log: reading, replaying, diffing (admin)' },
        { name: 'operations', description: 'health, readiness and metrics' },
      ],
      info: { title: 'Tiaoli decision API', version: '1', description: 'Decisions on platform events under Chinese internet content regulations.' },
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' } } },
    },
    // Shared schemas are components named by their $id, not def-0, def-1…
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // The document's components: shared schemas, referred to by name ("Event#") from the routes.
  app.addSchema({ ...EventBody, $id: 'Event', title: 'Event', ...(examples.length ? { examples } : {}) });
  app.addSchema({ ...DecisionBody, $id: 'Decision', title: 'Decision', ...(examples.length ? { examples: examples.map((e) => decide(options.policy, e)) } : {}) });
  for (const schema of [Problem, BatchError, LogEntry]) app.addSchema(schema);

  /** A request's error answered as problem details. */
  const problem = (req: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, extra: Partial<ProblemBody> = {}) => {
    if (status === 503) reply.header('retry-after', RETRY_AFTER_SECONDS);
    return reply.status(status).type(PROBLEM_TYPE).send(problemBody(status, code, detail, req.url.split('?')[0]!, extra));
  };
  app.setErrorHandler((error: FastifyError | HttpError, req, reply) => {
    const status = error instanceof HttpError ? error.statusCode : error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const fastify = error as FastifyError;
    const code =
      error instanceof HttpError
        ? error.code
        : status === 413
          ? 'body_too_large'
          : fastify.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
            ? 'invalid_json'
            : status === 415
              ? 'unsupported_media_type'
              : status === 500
                ? 'internal'
                : 'bad_request';
    if (status === 500) req.log.error({ err: error }, 'internal error');
    // Never a stack trace: internal errors get a fixed message.
    const detail = status === 500 ? 'internal error' : error.message;
    const errors = error instanceof HttpError ? error.details : fastify.validation ? toFieldErrors(fastify.validation).map((e) => ({ ...e, in: fastify.validationContext })) : undefined;
    // A refused body is not read to its end: the connection closes after the answer.
    if (!req.raw.complete) reply.header('connection', 'close');
    return problem(req, reply, status, code, detail, errors === undefined ? {} : { errors: errors as unknown[] });
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = methodsOf.get(path);
    if (allowed) {
      reply.header('allow', [...allowed].sort().join(', '));
      return problem(req, reply, 405, 'method_not_allowed', `${path} answers ${[...allowed].sort().join(', ')}, not ${req.method}`);
    }
    return problem(req, reply, 404, 'not_found', `no route ${req.method} ${path}`);
  });

  const requireAdmin = async (req: FastifyRequest): Promise<void> => {
    if (!options.adminToken) throw new HttpError(403, 'admin_disabled', 'admin routes are off: start the service with TIAOLI_ADMIN_TOKEN set');
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(options.adminToken);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HttpError(401, 'unauthorized', 'a valid admin bearer token is required');
  };

  /** Decides one parsed input and prepares its log entry (for valid events). */
  const decideOne = (policy: CompiledPolicy, input: unknown, decidedAt: string): { result: ReturnType<typeof decide>; entry?: NewEntry } => {
    if (input instanceof BadLine) return { result: { eventId: null, error: { code: 'invalid_json', message: input.message } } };
    const started = process.hrtime.bigint();
    const result = decide(policy, input);
    metrics.decisionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    if (isDecisionError(result)) return { result };
    const event = input as Event;
    metrics.decisions.inc({ type: event.type, outcome: result.allowed ? 'allowed' : 'denied' });
    return { result, entry: { eventId: event.id, type: event.type, occurredAt: event.occurredAt, decidedAt, digest: policy.digest, event, decision: result } };
  };

  /**
   * The log's health as the service last saw it: a failed write makes it unhealthy until a write
   * or a probe (readiness) succeeds. A request is answered only once its decisions are durably
   * logged; when the log cannot take them it is answered 503 with Retry-After, never 500.
   */
  let logHealth: { ok: true } | { ok: false; error: string; since: string } = { ok: true };
  const logFailed = (e: unknown) => {
    if (logHealth.ok) logHealth = { ok: false, error: logErrorText(e), since: now().toISOString() };
  };
  /** Entries handed to the log and not yet written or refused by it (a request that timed out still counts). */
  let awaitingLog = 0;
  /** Logs the entries; for each, the seq of the entry logged before under its idempotency key (then not logged again), or undefined. */
  const logEntries = async (entries: NewEntry[]): Promise<Appended> => {
    if (entries.length === 0) return [];
    const started = process.hrtime.bigint();
    awaitingLog += entries.length;
    const append = options.log.append(entries).finally(() => (awaitingLog -= entries.length));
    let timer: NodeJS.Timeout | undefined;
    let appended: Appended;
    try {
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from the log in ${limits.logTimeoutMs} ms`)), limits.logTimeoutMs)));
      appended = await Promise.race([append, timeout]);
      logHealth = { ok: true };
    } catch (e) {
      logFailed(e);
      metrics.errors.inc({ code: 'log_unavailable' });
      throw retryLater('log_unavailable', 'the decision log cannot take the decision now, so it was not given');
    } finally {
      clearTimeout(timer);
      // Settled later, if at all, after this request has been answered: nobody else awaits it.
      append.catch(() => undefined);
    }
    metrics.logWriteSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return appended;
  };
  /** Refuses before deciding when the log is so far behind that more waiting requests would only pile up. */
  const logHasRoom = (count: number) => {
    if (awaitingLog + count > limits.maxEntriesAwaitingLog) throw retryLater('log_unavailable', 'the decision log is behind');
  };

  app.post(
    '/v1/decisions',
    {
      schema: {
        summary: 'Decide one event',
        operationId: 'decide',
        tags: ['decisions'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'a repeat with the same key and event answers the decision logged the first time and logs nothing (1–255 printable ASCII characters)' })) }),
        body: EventRef,
        response: { 200: json('the decision, logged', DecisionRef), ...problems(400, 413, 415, 422, 503) },
      },
      validatorCompiler: engineValidates,
    },
    async (req, reply) => {
      const key = idempotencyKey(req);
      logHasRoom(1);
      const { policy } = active;
      const { result, entry } = decideOne(policy, req.body, now().toISOString());
      if (!entry) {
        const { eventId, error } = result as DecisionError;
        return problem(req, reply, 400, error.code, error.message, { eventId, ...(error.errors ? { errors: [...error.errors] } : {}) });
      }
      const [repeats] = await logEntries([{ ...entry, ...(key === undefined ? {} : { idempotencyKey: key }) }]);
      if (repeats === undefined) return result;
      // A repeat: the decision logged under this key, if it was for this event; nothing new is logged.
      const [logged] = await options.log.query({ after: repeats - 1, limit: 1 });
      if (!logged || !isDeepStrictEqual(logged.event, req.body))
        throw new HttpError(422, 'idempotency_key_reused', `Idempotency-Key ${key} was used for another event (seq ${repeats}); use a new key for a new event`);
      reply.header('idempotent-replayed', 'true');
      return logged.decision;
    },
  );

  // The batch route in a context of its own: only here are JSON Lines read, as a stream that
  // stops at the batch's count limit, so no other route reads a 32 MiB body it never wanted.
  await app.register(async (batch) => {
    batch.addContentTypeParser(NDJSON_TYPES, async (_req: FastifyRequest, payload: Readable) => {
      const items: unknown[] = [];
      for await (const item of readEvents(payload)) {
        if (items.length === limits.maxBatch) throw batchTooLarge(limits.maxBatch);
        items.push(item.ok ? item.value : new BadLine(item.message));
      }
      return items;
    });
    batch.post(
      '/v1/decisions/batch',
      {
        bodyLimit: BATCH_LIMIT,
        onRequest: async (_req, reply) => {
          if (!take(reply, 'batches', limits.maxBatchesInFlight)) throw retryLater('overloaded', 'too many batches at once');
        },
        schema: {
          summary: 'Decide many events: a JSON array, or JSON Lines (application/x-ndjson)',
          description: 'One result per event, in order: a decision, or an error entry for an invalid event.',
          operationId: 'decideBatch',
          tags: ['decisions'],
          body: { content: { 'application/json': { schema: Type.Array(EventRef) }, [NDJSON]: { schema: EventRef, description: 'one event per line' } } },
          response: { 200: json('one result per event, in order', Type.Array(Type.Union([DecisionRef, ref('BatchError')]))), ...problems(400, 413, 415, 503) },
        },
        validatorCompiler: engineValidates,
      },
      async (req) => {
        if (!Array.isArray(req.body)) throw new HttpError(400, 'invalid_batch', 'the body must be a JSON array of events, or JSON Lines');
        if (req.body.length > limits.maxBatch) throw batchTooLarge(limits.maxBatch);
        logHasRoom(req.body.length);
        const { policy } = active;
        const decidedAt = now().toISOString();
        const outcomes = req.body.map((input) => decideOne(policy, input, decidedAt));
        await logEntries(outcomes.flatMap((o) => (o.entry ? [o.entry] : [])));
        return outcomes.map((o) => o.result);
      },
    );
  });

  app.get('/v1/policies', { schema: { summary: 'The policy revision in force: digest, files and versions', operationId: 'getPolicies', tags: ['policies'], response: { 200: PolicyInfo, ...problems(503) } } }, async () => {
    const { policy, sources } = active;
    return {
      digest: policy.digest,
      files: sources.map((s) => s.path).sort(),
      regulations: policy.checked.regulations.map((r) => ({ id: r.id, titleZh: r.titleZh, titleEn: r.titleEn, articles: r.articleCount })),
      vocabulary: policy.checked.vocabulary,
      articles: policy.checked.articles.map((a) => ({ file: a.file, regulation: a.regulation, article: a.article, version: a.version })),
    };
  });

  // The revision's own schemas: its vocabulary says what an event may carry and a decision may hold.
  app.get('/v1/schema/event.json', { schema: { summary: 'The JSON Schema of events in the vocabulary of the revision in force', operationId: 'getEventSchema', tags: ['policies'], response: { 200: JsonSchemaDocument, ...problems(503) } } }, async () => eventSchema(active.policy.checked.vocabulary));
  app.get('/v1/schema/decision.json', { schema: { summary: 'The JSON Schema of decisions under the revision in force', operationId: 'getDecisionSchema', tags: ['policies'], response: { 200: JsonSchemaDocument, ...problems(503) } } }, async () => decisionSchema(active.policy.checked.vocabulary));

  app.get('/v1/articles', { schema: { summary: 'Every article of every regulation and how it is encoded', operationId: 'listArticles', tags: ['policies'], response: { 200: Articles, ...problems(503) } } }, async () => articleTable(active.policy.checked));

  app.get(
    '/v1/sources',
    {
      schema: {
        summary: 'The source files of the revision in force: its policies, policy tests and fixtures (the playground loads them)',
        operationId: 'getSources',
        tags: ['policies'],
        response: { 200: Sources, ...problems(503) },
      },
    },
    async () => {
      const { policy, sources, tests } = active;
      return { digest: policy.digest, files: [...sources].sort((a, b) => (a.path < b.path ? -1 : 1)), tests: tests.tests, fixtures: tests.fixtures };
    },
  );

  /** The signature a revision is put in force with: required and checked with a policy key, refused without one. */
  const signatureFor = (digest: string, sent: unknown): RevisionSignature | undefined => {
    const key = options.policyKey;
    if (!key) {
      // Logging a signature nothing checked would let it vouch for what no one verified.
      if (sent !== undefined) throw new HttpError(422, 'revision_signature_unchecked', 'this service has no policy key (TIAOLI_POLICY_PUBLIC_KEY) to check the signature with; send the revision without it; nothing was changed');
      return undefined;
    }
    if (sent === undefined) throw new HttpError(403, 'revision_not_signed', `revisions must be signed by key ${keyId(key)}: send "signature", what tiaoli sign DIR --key PRIV printed; nothing was changed`);
    const s = revisionSignatureFrom(sent);
    const problem = typeof s === 'string' ? `signature: ${s}` : revisionSignatureProblem(s, digest, key);
    if (problem) throw new HttpError(403, 'revision_signature_refused', `${problem}; nothing was changed`);
    return s as RevisionSignature;
  };

  /** One activation at a time: two uploads racing could otherwise log one revision and run the other. */
  let activating: Promise<unknown> = Promise.resolve();
  /** The revision last activated in the log that this node did not put in force, and why (see `follow`). */
  let notFollowed: { readonly digest: string; readonly reason: string } | undefined;
  app.post(
    '/v1/admin/policies',
    {
      bodyLimit: UPLOAD_LIMIT,
      onRequest: requireAdmin,
      schema: {
        summary: 'Check a new policy revision and put it in force (admin)',
        operationId: 'activatePolicies',
        tags: ['admin'],
        security: [{ admin: [] }],
        body: PolicyUpload,
        response: { 200: Activation, ...problems(400, 401, 403, 413, 415, 422, 503) },
      },
    },
    async (req) => {
      const body = req.body ?? {};
      const run = activating.then(async () => {
        // Everything that can fail comes first; the log then records the activation, and only
        // once it has is the new revision swapped in (an assignment, which cannot fail). So the
        // log never names a revision that did not decide, nor does one decide unrecorded.
        // A directory is read once, its policy tests along with it; files sent in the body are policies only.
        const { sources, tests } = revisionFrom(body);
        const built = await buildBundleIsolated(sources, UPLOAD_BUILD);
        if (!built.ok && built.reason === 'invalid') throw new HttpError(422, 'policies_do_not_compile', 'the policies have errors; nothing was changed', built.diagnostics);
        if (!built.ok) throw new HttpError(422, `policies_${built.reason}`, `${built.message}; nothing was changed`);
        const signature = signatureFor(built.policy.digest, body.signature);
        // Fail closed: a revision that drops a regulation in force is refused unless that is what was meant.
        const dropped = droppedRegulations(active.policy.checked, built.policy.checked);
        if (dropped.length > 0 && body.allowDroppedRegulations !== true)
          throw new HttpError(422, 'regulations_dropped', 'the new revision drops regulations the running one applies; send "allowDroppedRegulations": true if that is meant; nothing was changed', dropped);
        const activatedAt = now().toISOString();
        try {
          await options.log.activate(built.policy.digest, sources, activatedAt, signature);
        } catch (e) {
          logFailed(e);
          throw retryLater('log_unavailable', 'the decision log cannot record the activation, so nothing was changed');
        }
        active = { policy: built.policy, sources, tests };
        notFollowed = undefined;
        return { digest: built.policy.digest, activatedAt, files: sources.length, warnings: [...built.diagnostics, ...dropped] };
      });
      activating = run.catch(() => undefined);
      return run;
    },
  );

  // Nodes sharing one log follow each other: a revision activated through any of them is put in force
  // on all, read back from the log (its stored sources, compiled here to the same digest, and with a
  // policy key its signature checked), at most followSeconds later. Polling rather than LISTEN/NOTIFY:
  // one query a period, the same on both backends, and a node that missed a notice while restarting
  // or cut off needs no catching up. One at a time with uploads, through `activating`.
  const follow = async () => {
    const last = (await options.log.revisions()).at(-1);
    if (!last || last.digest === active.policy.digest || last.digest === notFollowed?.digest) return;
    const refuse = (reason: string) => {
      // Fail closed: the node keeps deciding under the revision it has, and says why in /healthz.
      notFollowed = { digest: last.digest, reason };
      metrics.errors.inc({ code: 'revision_not_followed' });
    };
    const sources = await options.log.sources(last.digest);
    if (!sources) return refuse('its sources are not in the log');
    const problem = options.policyKey && (last.signature ? revisionSignatureProblem(last.signature, last.digest, options.policyKey) : 'it was activated unsigned');
    if (problem) return refuse(problem);
    const built = await buildBundleIsolated(sources, UPLOAD_BUILD);
    if (!built.ok) return refuse(`its stored sources do not build: ${built.reason === 'invalid' ? 'they have errors' : built.message}`);
    if (built.policy.digest !== last.digest) return refuse(`its stored sources now compile to ${built.policy.digest}`);
    active = { policy: built.policy, sources, tests: NO_TESTS };
    notFollowed = undefined;
  };
  if (options.followSeconds) {
    const timer = setInterval(() => {
      // A log that cannot answer now is asked again next time; /readyz and /healthz report the log.
      activating = activating.then(follow).catch(() => metrics.errors.inc({ code: 'revision_not_followed' }));
    }, options.followSeconds * 1000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  app.get(
    '/v1/log',
    {
      onRequest: requireAdmin,
      schema: {
        summary: 'Logged decisions by event time, type or event id (admin), a page at a time',
        operationId: 'queryLog',
        tags: ['audit'],
        security: [{ admin: [] }],
        querystring: LogQuery,
        response: { 200: LogPage, ...problems(400, 401, 403, 503) },
      },
    },
    async (req) => {
      const q = req.query;
      const limit = q.limit ?? 100;
      const entries = await options.log.query({ from: timeParam('from', q.from, 'start'), to: timeParam('to', q.to, 'end'), type: eventType(q.type), eventId: q.eventId, after: q.after, limit });
      return { entries, next: entries.length === limit ? entries.at(-1)!.seq : null };
    },
  );

  /** A type to select by: one of the vocabulary in force (a misspelt one would select nothing, answering an empty page). */
  const eventType = (type: string | undefined): string | undefined => {
    const types = active.policy.checked.vocabulary.events.map((e) => e.type);
    if (type === undefined || types.includes(type)) return type;
    throw new HttpError(400, 'bad_request', `type: ${type} is not an event type of the vocabulary: ${suggest(type, types, 'the event types').suggestion}`);
  };

  // Replay and diff answer the JSON Lines `tiaoli replay` and `tiaoli diff` print, streamed as found.
  const auditRun = async (req: FastifyRequest, reply: FastifyReply, body: ReplayRequest | DiffRequest, start: (selection: Selection, trust: Trust) => Promise<Run>) => {
    const selection = { from: timeParam('from', body.from, 'start'), to: timeParam('to', body.to, 'end'), type: body.type, eventIds: body.eventIds };
    const trust: Trust = { key: options.logPublicKey, unverified: body.flagUnverified ? 'flag' : 'refuse' };
    let run: Run;
    try {
      run = await start(selection, trust);
    } catch (e) {
      if (e instanceof SelectionError) throw new HttpError(400, 'bad_request', e.message);
      if (e instanceof RevisionError) throw new HttpError(422, 'revision_unavailable', e.message);
      if (e instanceof UnverifiedLogError) throw new HttpError(409, 'log_unverified', `${e.message} (send "flagUnverified": true to audit it anyway)`);
      throw e;
    }
    return reply.type('application/x-ndjson').send(Readable.from(auditLines(run.outcomes, new Tally())));
  };

  app.post(
    '/v1/replay',
    {
      onRequest: requireAdmin,
      schema: {
        summary: 'Re-decide logged events against the revision that decided each, or another (admin); JSON Lines of changes, then a summary',
        operationId: 'replayLog',
        tags: ['audit'],
        security: [{ admin: [] }],
        body: ReplayBody,
        response: { 200: { description: 'the changes, then a summary', content: { [NDJSON]: { schema: AuditLine } } }, ...problems(400, 401, 403, 409, 413, 415, 422, 503) },
      },
    },
    (req, reply) => {
      const body = req.body ?? {};
      if (body.revision !== undefined && body.policies !== undefined) throw new HttpError(400, 'bad_request', 'give revision or policies, not both');
      return auditRun(req, reply, body, (selection, trust) => replayLog(options.log, selection, body.revision ?? body.policies, trust));
    },
  );

  app.post(
    '/v1/diff',
    {
      onRequest: requireAdmin,
      schema: {
        summary: 'The logged decisions that differ between two revisions (admin); JSON Lines of changes, then a summary',
        operationId: 'diffLog',
        tags: ['audit'],
        security: [{ admin: [] }],
        body: DiffBody,
        response: { 200: { description: 'the changes, then a summary', content: { [NDJSON]: { schema: AuditLine } } }, ...problems(400, 401, 403, 409, 413, 415, 422, 503) },
      },
    },
    (req, reply) => auditRun(req, reply, req.body, (selection, trust) => diffLog(options.log, selection, req.body.base, req.body.head, trust)),
  );

  const health = () => ({ status: logHealth.ok ? ('ok' as const) : ('degraded' as const), digest: active.policy.digest, log: logHealth, ...(notFollowed ? { notFollowed } : {}) });
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers; the digest in force and the log as last seen', operationId: 'health', tags: ['operations'], response: { 200: Health, ...problems() } } }, async () => health());
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: 200 when the log takes writes and the service is not under pressure, else 503',
        operationId: 'ready',
        tags: ['operations'],
        response: { 200: json('ready', Readiness), 503: json('not ready: the log does not take writes, or the service is under pressure (with Retry-After)', Readiness), 500: problems()[500] },
      },
    }, async (_req, reply) => {
    try {
      await options.log.ping();
      logHealth = { ok: true };
    } catch (e) {
      logFailed(e);
    }
    const pressed = pressure.reason();
    const ready = logHealth.ok && pressed === undefined;
    if (!ready) reply.status(503).header('retry-after', RETRY_AFTER_SECONDS);
    return { ...health(), ready, ...(pressed === undefined ? {} : { pressure: pressed }) };
  });
  let scrape: { at: number; text: Promise<string> } | undefined;
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics (rendered at most once a second)',
        operationId: 'metrics',
        tags: ['operations'],
        response: { 200: { description: 'the Prometheus text format', content: { 'text/plain': { schema: Type.String() } } }, ...problems(503) },
      },
    }, async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    const at = now().getTime();
    if (!scrape || at - scrape.at >= METRICS_CACHE_MS) scrape = { at, text: metrics.registry.metrics() };
    return scrape.text;
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The playground. A path that is no file falls through to the JSON 404. Vite names assets by
  // content hash, so they may be cached for good; index.html never is. The build wrote each file
  // compressed beside itself (.br, .gz), which is sent to a browser that accepts it.
  await app.register(fastifyStatic, {
    root: PLAYGROUND,
    preCompressed: true,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.startsWith(join(PLAYGROUND, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
      const name = basename(path);
      const extra = WORKER_SCRIPT_SOURCES.find(([prefix]) => name.startsWith(prefix))?.[1];
      if (extra !== undefined) reply.header('content-security-policy', `default-src 'self'; script-src 'self' ${extra}`);
    },
  });

  return app;
}

/** The Idempotency-Key of a decision request, if it has one. */
function idempotencyKey(req: FastifyRequest): string | undefined {
  const sent = req.headers['idempotency-key'];
  if (sent === undefined) return undefined;
  if (typeof sent === 'string' && IDEMPOTENCY_KEY.test(sent)) return sent;
  throw new HttpError(400, 'bad_request', 'Idempotency-Key: give it once, 1 to 255 printable ASCII characters');
}

/** The sources (and, for a directory, the policy tests) of an uploaded revision. */
function revisionFrom(body: PolicyUploadBody): { sources: SourceFile[]; tests: TestFiles } {
  if (typeof body.directory === 'string') {
    try {
      const { sources, tests, fixtures } = readPolicyTree(body.directory);
      return { sources, tests: { tests, fixtures } };
    } catch (e) {
      if (e instanceof PolicyLoadError) throw new HttpError(BAD_REQUEST_LOADS.has(e.code) ? 400 : 422, `policies_refused`, e.message, [{ code: e.code, path: e.path }]);
      throw e;
    }
  }
  if (Array.isArray(body.files) && body.files.every((f) => f && typeof f.path === 'string' && typeof f.text === 'string'))
    return { sources: (body.files as SourceFile[]).map(({ path, text }) => ({ path, text })), tests: NO_TESTS };
  throw new HttpError(400, 'bad_request', 'send {"directory": "…"} or {"files": [{"path": "…", "text": "…"}]}');
}

/** Refusals that say the request named no policy tree; the rest say the tree is not fit to be law. */
const BAD_REQUEST_LOADS = new Set<PolicyLoadError['code']>(['not_found', 'not_a_directory', 'outside_root']);

/** A log failure in words for /healthz: the driver's code and message, never a stack. */
const logErrorText = (e: unknown): string => {
  const err = e as { code?: unknown; message?: unknown };
  return [typeof err.code === 'string' ? err.code : undefined, typeof err.message === 'string' ? err.message : 'unknown error'].filter(Boolean).join(': ');
};

/**
 * JSON.parse's complaint, with where the text goes wrong. V8 names a position for most mistakes
 * (Node 24 adds the line and column itself) but not for an unexpected token; then the shortest
 * prefix that fails other than by ending early is found by bisection, for bodies small enough.
 */
function jsonErrorAt(text: string, message: string): string {
  if (/\(line \d+ column \d+\)/.test(message)) return message;
  let at = Number(/ at position (\d+)/.exec(message)?.[1] ?? NaN);
  if (Number.isNaN(at) && /^Unexpected token/.test(message) && text.length <= SINGLE_LIMIT) {
    const failsWithin = (n: number): boolean => {
      try {
        JSON.parse(text.slice(0, n));
        return false;
      } catch (e) {
        const m = (e as Error).message;
        const p = / at position (\d+)/.exec(m);
        return !m.startsWith('Unexpected end') && !(p && Number(p[1]) >= n);
      }
    };
    let [lo, hi] = [0, text.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (failsWithin(mid)) hi = mid;
      else lo = mid + 1;
    }
    at = lo - 1;
  }
  if (message.startsWith('Unexpected end')) at = text.length;
  if (Number.isNaN(at)) return message;
  const { line, column } = positionAt(text, at);
  return `${message} (line ${line} column ${column})`;
}

/** A query time: RFC 3339, or a CST date meaning that day's start (`from`) or end (`to`). */
function timeParam(name: string, value: string | undefined, edge: 'start' | 'end'): string | undefined {
  if (value === undefined) return undefined;
  const bound = parseTimeBound(value, edge);
  if (!bound.ok) throw new HttpError(400, 'bad_request', `${name}: ${bound.problem}`, [{ path: `/${name}`, message: bound.problem }]);
  return bound.time;
}
