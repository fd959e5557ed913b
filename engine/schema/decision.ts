// The Decision JSON Schema (TypeBox, like event.ts): the engine's output type is derived from it.
import { Type, type Static } from '@sinclair/typebox';
import * as V from './vocabulary-lists.js';
import { StringEnum } from './event.js';

const CstDate = Type.String({ format: 'date', description: 'a calendar date in China Standard Time' });
const SortedSet = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Array(StringEnum(values), { uniqueItems: true, description: `${description} (sorted)` });

export const Citation = Type.Object(
  {
    regulation: Type.String(),
    article: Type.Integer({ minimum: 1 }),
    paragraph: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const Retention = Type.Object(
  {
    record: StringEnum(V.RECORD_KINDS),
    period: Type.String({ description: 'ISO 8601 duration' }),
    until: CstDate,
  },
  { additionalProperties: false },
);

export const Obligation = Type.Object(
  { code: StringEnum(V.OBLIGATION_CODES), due: Type.Optional(CstDate) },
  { additionalProperties: false },
);

export const PolicyRef = Type.Object(
  {
    digest: Type.String({ pattern: '^sha256:[0-9a-f]{64}$', description: 'sha256 of the canonical bundle' }),
    articles: Type.Array(
      Type.Object(
        {
          file: Type.String(),
          regulation: Type.String(),
          article: Type.Integer(),
          version: Type.Integer(),
        },
        { additionalProperties: false },
      ),
      { description: 'the article versions in effect that were consulted for this event' },
    ),
  },
  { additionalProperties: false },
);

export const TraceEntry = Type.Object(
  {
    rule: Type.String({ description: 'regulation/article/rule name' }),
    file: Type.String(),
    line: Type.Integer(),
    citation: Citation,
    facts: Type.Record(Type.String(), Type.Unknown(), { description: 'event fields the rule read, by path' }),
  },
  { additionalProperties: false },
);

export const Decision = Type.Object(
  {
    eventId: Type.String(),
    allowed: Type.Boolean(),
    verification: SortedSet(V.VERIFICATION_CODES, 'identity checks still missing'),
    labeling: SortedSet(V.LABEL_CODES, 'labels the content must carry'),
    disposal: SortedSet(V.DISPOSAL_CODES, 'measures to take'),
    retention: Type.Array(Retention),
    obligations: Type.Array(Obligation),
    citations: Type.Array(Citation),
    policy: PolicyRef,
    trace: Type.Array(TraceEntry),
  },
  {
    $id: 'https://tiaoli.dev/schema/decision.json',
    title: 'Decision',
    additionalProperties: false,
  },
);

export type Decision = Static<typeof Decision>;
export type Citation = Static<typeof Citation>;
export type Retention = Static<typeof Retention>;
export type Obligation = Static<typeof Obligation>;
export type TraceEntry = Static<typeof TraceEntry>;
