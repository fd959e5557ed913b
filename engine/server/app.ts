// The HTTP service: decisions, policies, the article table, the log, health and metrics, on Fastify.
// Everything it needs comes in through ServiceOptions; process concerns (env, signals) live in serve.ts.
import { timingSafeEqual } from 'node:crypto';
import { basename, join } from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { SourceFile } from '../../language/source.js';
import { articleTable } from '../articles.js';
import { buildBundle } from '../bundle.js';
import type { CompiledPolicy } from '../compile.js';
import { decide, isDecisionError, type DecisionError } from '../index.js';
import { PACKAGE_ROOT, readPolicyDir, readTestFiles, type TestFiles } from '../load.js';
import type { DecisionLog, NewEntry } from '../log/log.js';
import { Decision } from '../schema/decision.js';
import { Event } from '../schema/event.js';
import { createMetrics } from './metrics.js';
import { auditLines, Tally } from '../audit/findings.js';
import { diffLog, replayLog, RevisionError, type Run, type Selection } from '../audit/run.js';
import { timeBound } from '../log/log.js';
import { Readable } from 'node:stream';

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
}

/** Where the service starts shedding load (503 with Retry-After) rather than queue without bound. */
export interface Limits {
  /** Requests being handled at once; past this, new ones are turned away at once. */
  readonly maxInFlight: number;
  /** Events in one batch request. */
  readonly maxBatch: number;
  /** Event-loop delay (ms) and heap use (bytes) past which the service reports itself under pressure. */
  readonly maxEventLoopDelay: number;
  readonly maxHeapUsedBytes: number;
}

export const DEFAULT_LIMITS: Limits = { maxInFlight: 256, maxBatch: 10_000, maxEventLoopDelay: 200, maxHeapUsedBytes: 2 * 1024 ** 3 };
/** Routes that answer even under load, so that orchestrators can still see the service. */
const ALWAYS_ANSWERED = new Set(['/healthz', '/metrics']);
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

const stripId = <T extends { $id?: string }>({ $id: _, ...rest }: T) => rest;
const EventBody = stripId(Event);
const DecisionBody = stripId(Decision);
const SourceFiles = { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, text: { type: 'string' } }, required: ['path', 'text'] } } as const;
const ErrorBody = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, errors: { type: 'array' } }, required: ['code', 'message'] } },
  required: ['error'],
} as const;

export async function buildService(options: ServiceOptions): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date());
  const metrics = createMetrics();
  let active: Active = { policy: options.policy, sources: options.sources, tests: options.tests ?? NO_TESTS };

  // Reserved keys (`__proto__`, `constructor`) reach the engine's validator, which names their path,
  // as it does for the CLI and the library; nothing merges request bodies into objects.
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = Fastify({
    logger: false,
    bodyLimit: SINGLE_LIMIT,
    return503OnClosing: true,
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // A client that trickles its request in is cut off rather than holding a connection forever.
    requestTimeout: 30_000,
  });
  // Requests are validated by the engine's own validator (one schema, one set of messages); the
  // schemas on routes document them in OpenAPI. Responses are plain JSON.stringify, as the CLI writes.
  app.setValidatorCompiler(() => (value) => ({ value }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const overloaded = (reply: FastifyReply) => {
    metrics.errors.inc({ code: 'overloaded' });
    return reply.status(503).header('retry-after', RETRY_AFTER_SECONDS).send({ error: { code: 'overloaded', message: 'the service is at capacity; retry after the time in Retry-After' } });
  };
  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (req, reply) => {
    if (ALWAYS_ANSWERED.has(req.url)) return;
    if (inFlight >= limits.maxInFlight) return overloaded(reply);
    inFlight++;
    counted.add(req);
  });
  app.addHook('onResponse', async (req) => {
    if (counted.delete(req)) inFlight--;
  });
  await app.register(underPressure, {
    maxEventLoopDelay: limits.maxEventLoopDelay,
    maxHeapUsedBytes: limits.maxHeapUsedBytes,
    pressureHandler: (req, reply) => {
      // Not answering here lets the request through: health and metrics stay visible under load.
      if (!ALWAYS_ANSWERED.has(req.url)) void overloaded(reply);
    },
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

  app.addContentTypeParser(['application/x-ndjson', 'application/jsonl', 'application/jsonlines'], { parseAs: 'string', bodyLimit: BATCH_LIMIT }, (_req, body, done) => {
    const items: unknown[] = [];
    (body as string).split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        items.push(JSON.parse(line));
      } catch (e) {
        items.push(new BadLine(`line ${i + 1}: ${(e as Error).message}`));
      }
    });
    done(null, items);
  });

  await app.register(swagger, {
    openapi: {
      // 3.1: the Event schema's per-type requirements (if/then) are JSON Schema that 3.0 cannot carry.
      openapi: '3.1.0',
      info: { title: 'Tiaoli decision API', version: '1', description: 'Decisions on platform events under Chinese internet content regulations.' },
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = error instanceof HttpError ? error.statusCode : error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const code =
      error instanceof HttpError ? error.code : status === 413 ? 'body_too_large' : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'invalid_json' : status === 415 ? 'unsupported_media_type' : status === 500 ? 'internal' : 'bad_request';
    metrics.errors.inc({ code });
    // Never a stack trace: internal errors get a fixed message.
    const message = status === 500 ? 'internal error' : error.message;
    const details = error instanceof HttpError && error.details !== undefined ? { errors: error.details } : {};
    return reply.status(status).send({ error: { code, message, ...details } });
  });
  app.setNotFoundHandler((req, reply) => {
    metrics.errors.inc({ code: 'not_found' });
    return reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
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

  const logEntries = async (entries: NewEntry[]): Promise<void> => {
    const started = process.hrtime.bigint();
    await options.log.append(entries);
    metrics.logWriteSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };

  app.post(
    '/v1/decisions',
    {
      schema: {
        summary: 'Decide one event',
        body: EventBody,
        response: { 200: DecisionBody, 400: { description: 'The event is invalid: each bad JSON path and what is wrong', ...ErrorBody } },
      },
    },
    async (req, reply) => {
      const { policy } = active;
      const { result, entry } = decideOne(policy, req.body, now().toISOString());
      if (!entry) {
        metrics.errors.inc({ code: 'invalid_event' });
        return reply.status(400).send(result as DecisionError);
      }
      await logEntries([entry]);
      return result;
    },
  );

  app.post(
    '/v1/decisions/batch',
    {
      bodyLimit: BATCH_LIMIT,
      schema: {
        summary: 'Decide many events: a JSON array, or JSON Lines (application/x-ndjson)',
        description: 'One result per event, in order: a decision, or an error entry for an invalid event.',
        body: { type: 'array', items: EventBody },
        response: { 200: { type: 'array', items: { anyOf: [DecisionBody, ErrorBody] } } },
      },
    },
    async (req) => {
      if (!Array.isArray(req.body)) throw new HttpError(400, 'invalid_batch', 'the body must be a JSON array of events, or JSON Lines');
      if (req.body.length > limits.maxBatch) throw new HttpError(413, 'batch_too_large', `a batch holds at most ${limits.maxBatch} events; split it`);
      const { policy } = active;
      const decidedAt = now().toISOString();
      const outcomes = req.body.map((input) => decideOne(policy, input, decidedAt));
      await logEntries(outcomes.flatMap((o) => (o.entry ? [o.entry] : [])));
      return outcomes.map((o) => o.result);
    },
  );

  app.get('/v1/policies', { schema: { summary: 'The policy revision in force: digest, files and versions' } }, async () => {
    const { policy, sources } = active;
    return {
      digest: policy.digest,
      files: sources.map((s) => s.path).sort(),
      regulations: policy.checked.regulations.map((r) => ({ id: r.id, titleZh: r.titleZh, titleEn: r.titleEn, articles: r.articleCount })),
      articles: policy.checked.articles.map((a) => ({ file: a.file, regulation: a.regulation, article: a.article, version: a.version })),
    };
  });

  app.get('/v1/articles', { schema: { summary: 'Every article of every regulation and how it is encoded' } }, async () => articleTable(active.policy.checked));

  app.get(
    '/v1/sources',
    {
      schema: {
        summary: 'The source files of the revision in force: its policies, policy tests and fixtures (the playground loads them)',
        response: {
          200: {
            type: 'object',
            properties: {
              digest: { type: 'string' },
              files: { description: 'the policy files (*.tiaoli)', ...SourceFiles },
              tests: { description: 'the policy tests (*.test.yaml)', ...SourceFiles },
              fixtures: { description: 'the named fixtures every test may use (fixtures.yaml)', ...SourceFiles },
            },
            required: ['digest', 'files', 'tests', 'fixtures'],
          },
        },
      },
    },
    async () => {
      const { policy, sources, tests } = active;
      return { digest: policy.digest, files: [...sources].sort((a, b) => (a.path < b.path ? -1 : 1)), tests: tests.tests, fixtures: tests.fixtures };
    },
  );

  app.post(
    '/v1/admin/policies',
    {
      bodyLimit: BATCH_LIMIT,
      schema: {
        summary: 'Check a new policy revision and put it in force (admin)',
        security: [{ admin: [] }],
        body: {
          type: 'object',
          properties: {
            directory: { type: 'string', description: 'a policy directory on the server' },
            files: SourceFiles,
          },
        },
      },
    },
    async (req) => {
      await requireAdmin(req);
      const body = (req.body ?? {}) as { directory?: unknown; files?: unknown };
      const sources = sourcesFrom(body);
      const built = buildBundle(sources);
      if (!built.policy) throw new HttpError(422, 'policies_do_not_compile', 'the policies have errors; nothing was changed', built.diagnostics);
      const activatedAt = now().toISOString();
      await options.log.activate(built.policy.digest, sources, activatedAt);
      // A directory brings its policy tests along; files sent in the body are policies only.
      active = { policy: built.policy, sources, tests: typeof body.directory === 'string' ? readTestFiles(body.directory) : NO_TESTS };
      return { digest: built.policy.digest, activatedAt, files: sources.length, warnings: built.diagnostics };
    },
  );

  app.get(
    '/v1/log',
    {
      schema: {
        summary: 'Logged decisions by event time, type or event id (admin)',
        security: [{ admin: [] }],
        querystring: {
          type: 'object',
          properties: { from: { type: 'string' }, to: { type: 'string' }, type: { type: 'string' }, eventId: { type: 'string' }, after: { type: 'integer' }, limit: { type: 'integer' } },
        },
      },
    },
    async (req) => {
      await requireAdmin(req);
      const q = req.query as Record<string, string | undefined>;
      const limit = Math.min(Number(q['limit'] ?? 100) || 100, 1000);
      const entries = await options.log.query({
        from: timeParam('from', q['from'], 'start'),
        to: timeParam('to', q['to'], 'end'),
        type: q['type'],
        eventId: q['eventId'],
        after: q['after'] === undefined ? undefined : Number(q['after']),
        limit,
      });
      return { entries, next: entries.length === limit ? entries.at(-1)!.seq : null };
    },
  );

  // Replay and diff answer the JSON Lines `tiaoli replay` and `tiaoli diff` print, streamed as found.
  const auditSelection = {
    from: { type: 'string', description: 'event time from: a CST date or RFC 3339' },
    to: { type: 'string', description: 'event time to (inclusive)' },
    type: { type: 'string' },
    eventIds: { type: 'array', items: { type: 'string' } },
  } as const;
  const auditRun = async (req: FastifyRequest, reply: FastifyReply, start: (selection: Selection, body: Record<string, unknown>) => Promise<Run>) => {
    await requireAdmin(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (name: string): string | undefined => {
      const v = body[name];
      if (v === undefined || typeof v === 'string') return v;
      throw new HttpError(400, 'bad_request', `${name}: expected a string`);
    };
    const ids = body['eventIds'];
    if (ids !== undefined && !(Array.isArray(ids) && ids.every((x) => typeof x === 'string'))) throw new HttpError(400, 'bad_request', 'eventIds: expected an array of strings');
    const selection = { from: timeParam('from', text('from'), 'start'), to: timeParam('to', text('to'), 'end'), type: text('type'), eventIds: ids as string[] | undefined };
    let run: Run;
    try {
      run = await start(selection, body);
    } catch (e) {
      if (e instanceof RevisionError) throw new HttpError(422, 'revision_unavailable', e.message);
      throw e;
    }
    return reply.type('application/x-ndjson').send(Readable.from(auditLines(run.outcomes, new Tally())));
  };

  app.post(
    '/v1/replay',
    {
      schema: {
        summary: 'Re-decide logged events against the revision that decided each, or another (admin); JSON Lines of changes, then a summary',
        security: [{ admin: [] }],
        body: { type: 'object', properties: { ...auditSelection, revision: { type: 'string', description: 'a stored revision digest' }, policies: { type: 'string', description: 'a policy directory on the server' } } },
      },
    },
    (req, reply) =>
      auditRun(req, reply, (selection, b) => {
        if (b['revision'] !== undefined && b['policies'] !== undefined) throw new HttpError(400, 'bad_request', 'give revision or policies, not both');
        const against = b['revision'] ?? b['policies'];
        if (against !== undefined && typeof against !== 'string') throw new HttpError(400, 'bad_request', 'revision, policies: expected a string');
        return replayLog(options.log, selection, against);
      }),
  );

  app.post(
    '/v1/diff',
    {
      schema: {
        summary: 'The logged decisions that differ between two revisions (admin); JSON Lines of changes, then a summary',
        security: [{ admin: [] }],
        body: {
          type: 'object',
          properties: { ...auditSelection, base: { type: 'string', description: 'a stored revision digest or a policy directory on the server' }, head: { type: 'string' } },
          required: ['base', 'head'],
        },
      },
    },
    (req, reply) =>
      auditRun(req, reply, (selection, b) => {
        if (typeof b['base'] !== 'string' || typeof b['head'] !== 'string') throw new HttpError(400, 'bad_request', 'name both revisions: base and head');
        return diffLog(options.log, selection, b['base'], b['head']);
      }),
  );

  app.get('/healthz', { schema: { summary: 'Liveness, and the digest in force' } }, async () => ({ status: 'ok', digest: active.policy.digest }));
  app.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The playground. A path that is no file falls through to the JSON 404. Vite names assets by
  // content hash, so they may be cached for good; index.html never is.
  await app.register(fastifyStatic, {
    root: PLAYGROUND,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.startsWith(join(PLAYGROUND, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
      const name = basename(path);
      const extra = WORKER_SCRIPT_SOURCES.find(([prefix]) => name.startsWith(prefix))?.[1];
      if (extra !== undefined) reply.header('content-security-policy', `default-src 'self'; script-src 'self' ${extra}`);
    },
  });

  return app;
}

function sourcesFrom(body: { directory?: unknown; files?: unknown }): SourceFile[] {
  if (typeof body.directory === 'string') {
    try {
      return readPolicyDir(body.directory);
    } catch (e) {
      throw new HttpError(400, 'bad_directory', `cannot read ${body.directory}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  if (Array.isArray(body.files) && body.files.every((f) => f && typeof f.path === 'string' && typeof f.text === 'string')) return body.files as SourceFile[];
  throw new HttpError(400, 'bad_request', 'send {"directory": "…"} or {"files": [{"path": "…", "text": "…"}]}');
}

/** A query time: RFC 3339, or a CST date meaning that day's start (`from`) or end (`to`). */
function timeParam(name: string, value: string | undefined, edge: 'start' | 'end'): string | undefined {
  if (value === undefined) return undefined;
  const bound = timeBound(value, edge);
  if (bound === undefined) throw new HttpError(400, 'bad_request', `${name}: expected an RFC 3339 time or a date (YYYY-MM-DD, China Standard Time)`);
  return bound;
}
