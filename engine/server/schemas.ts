// The schemas of the HTTP routes other than the events themselves (whose validator is the engine's,
// from the vocabulary): what Fastify validates requests by, and what the OpenAPI document shows.
import { Type, type Static } from '@sinclair/typebox';

/** The most entries one page of /v1/log gives. */
export const LOG_PAGE_MAX = 1000;

/**
 * An error, as RFC 9457 problem details: `detail` says what went wrong, `code` is the stable name a
 * program branches on, `errors` the parts of the request that were wrong (a JSON path each).
 */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'about:blank: the status and `code` say what kind of problem it is' }),
    title: Type.String({ description: 'the HTTP status phrase' }),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String({ description: 'the path of the request; absent when Node refused the bytes before they were a request (408, 431, 400)' })),
    code: Type.String({ description: 'what went wrong, for programs: invalid_event, bad_request, not_found, …' }),
    errors: Type.Optional(Type.Array(Type.Unknown(), { description: 'each part of the request that is wrong, `{path, message}`, or the diagnostics of a refused revision' })),
    eventId: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'the id of an invalid event, when it has one' })),
  },
  { $id: 'Problem', title: 'Problem' },
);
export type ProblemBody = Static<typeof Problem>;

const Time = (description: string) => Type.String({ description: `${description}: a date (YYYY-MM-DD, China Standard Time) or an RFC 3339 time with its offset` });

export const LogQuery = Type.Object(
  {
    from: Type.Optional(Time('event time from')),
    to: Type.Optional(Time('event time to (inclusive)')),
    type: Type.Optional(Type.String({ description: 'an event type of the vocabulary' })),
    eventId: Type.Optional(Type.String()),
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'entries after this seq: the `next` of the page before' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LOG_PAGE_MAX, default: 100 })),
  },
  { additionalProperties: false },
);
export type LogQueryString = Static<typeof LogQuery>;

const auditSelection = {
  from: Type.Optional(Time('event time from')),
  to: Type.Optional(Time('event time to (inclusive)')),
  type: Type.Optional(Type.String({ description: 'an event type of the vocabulary' })),
  eventIds: Type.Optional(Type.Array(Type.String())),
  flagUnverified: Type.Optional(Type.Boolean({ description: 'audit a log that does not verify, its problem the first error line, instead of refusing it (409)' })),
};

export const ReplayBody = Type.Object(
  {
    ...auditSelection,
    revision: Type.Optional(Type.String({ description: 'a stored revision digest' })),
    policies: Type.Optional(Type.String({ description: 'a policy directory on the server' })),
  },
  { additionalProperties: false },
);
export type ReplayRequest = Static<typeof ReplayBody>;

export const DiffBody = Type.Object(
  {
    ...auditSelection,
    base: Type.String({ description: 'a stored revision digest or a policy directory on the server' }),
    head: Type.String({ description: 'a stored revision digest or a policy directory on the server' }),
  },
  { additionalProperties: false },
);
export type DiffRequest = Static<typeof DiffBody>;

export const SourceFiles = Type.Array(Type.Object({ path: Type.String(), text: Type.String() }, { additionalProperties: false }));

export const PolicyUpload = Type.Object(
  {
    directory: Type.Optional(Type.String({ description: 'a policy directory on the server' })),
    files: Type.Optional(SourceFiles),
    allowDroppedRegulations: Type.Optional(Type.Boolean({ description: 'put in force a revision that lacks regulations the running one has (refused otherwise)' })),
    // Checked by the service itself, which names what is wrong with it (403).
    signature: Type.Optional(
      Type.Unknown({
        description: 'what `tiaoli sign` printed for this revision ({digest, signer, keyId, signature}): required when the service has a policy key (TIAOLI_POLICY_PUBLIC_KEY), and logged with the activation',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PolicyUploadBody = Static<typeof PolicyUpload>;

/** An Idempotency-Key: printable ASCII, as a header carries it, and short enough to index. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** A client's X-Request-Id that is kept (else one is made): short, and nothing a log line could be forged with. */
export const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// What the routes answer, for the OpenAPI document. `Event` and `Decision` are the vocabulary's
// schemas (engine/schema), added to the service under these names; the rest are the service's own.
export const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `${name}#` });
export const EventRef = ref('Event');
export const DecisionRef = ref('Decision');
export const ProblemRef = ref('Problem');

/** An invalid event's entry in a batch answer (the library's DecisionError). */
export const BatchError = Type.Object(
  {
    eventId: Type.Union([Type.String(), Type.Null()]),
    error: Type.Object({ code: Type.Union([Type.Literal('invalid_event'), Type.Literal('invalid_json')]), message: Type.String(), errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))) }),
  },
  { $id: 'BatchError', title: 'BatchError' },
);

export const LogEntry = Type.Object(
  {
    seq: Type.Integer(),
    eventId: Type.String(),
    type: Type.String(),
    occurredAt: Type.String(),
    decidedAt: Type.String(),
    digest: Type.String(),
    event: EventRef,
    decision: DecisionRef,
  },
  { $id: 'LogEntry', title: 'LogEntry' },
);

export const LogPage = Type.Object({ entries: Type.Array(ref('LogEntry')), next: Type.Union([Type.Integer(), Type.Null()], { description: 'the `after` of the next page; null on the last' }) });

const LogHealth = Type.Union([Type.Object({ ok: Type.Literal(true) }), Type.Object({ ok: Type.Literal(false), error: Type.String(), since: Type.String() })]);
export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  digest: Type.String(),
  log: LogHealth,
  notFollowed: Type.Optional(Type.Object({ digest: Type.String(), reason: Type.String() })),
});
export const Readiness = Type.Intersect([Health, Type.Object({ ready: Type.Boolean(), pressure: Type.Optional(Type.String()) })]);

export const PolicyInfo = Type.Object({
  digest: Type.String(),
  files: Type.Array(Type.String()),
  regulations: Type.Array(Type.Object({ id: Type.String(), titleZh: Type.Optional(Type.String()), titleEn: Type.Optional(Type.String()), articles: Type.Integer() })),
  vocabulary: Type.Object({}, { description: 'the vocabulary of the revision: event types, objects, fields and codes' }),
  articles: Type.Array(Type.Object({ file: Type.String(), regulation: Type.String(), article: Type.Integer(), version: Type.Integer() })),
});

export const Articles = Type.Array(
  Type.Object({
    regulation: Type.String(),
    article: Type.Integer(),
    firstWords: Type.String(),
    status: Type.Union([Type.Literal('encoded'), Type.Literal('non-operative'), Type.Literal('missing')]),
    reason: Type.Optional(Type.String()),
    rules: Type.Integer(),
    versions: Type.Integer(),
    tests: Type.Optional(Type.Integer()),
  }),
);

export const Sources = Type.Object({
  digest: Type.String(),
  files: Type.Intersect([SourceFiles], { description: 'the policy files (*.tiaoli)' }),
  tests: Type.Intersect([SourceFiles], { description: 'the policy tests (*.test.yaml)' }),
  fixtures: Type.Intersect([SourceFiles], { description: 'the named fixtures every test may use (fixtures.yaml)' }),
});

export const Activation = Type.Object({ digest: Type.String(), activatedAt: Type.String(), files: Type.Integer(), warnings: Type.Array(Type.Unknown()) });

/** A line of a replay or diff: a change, an error, or the closing summary (the JSON Lines `tiaoli replay` and `tiaoli diff` print). */
export const AuditLine = Type.Object({}, { description: 'one JSON object per line: a change or an error of one entry, then a summary' });

export const JsonSchemaDocument = Type.Record(Type.String(), Type.Unknown(), { description: 'a JSON Schema (draft 2020-12)' });
