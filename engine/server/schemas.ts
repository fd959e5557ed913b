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
    instance: Type.String({ description: 'the path of the request' }),
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
