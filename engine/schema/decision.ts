// The Decision JSON Schema (TypeBox): the engine's output type is derived from it. Its codes are
// the vocabulary's: `decisionSchema` gives the schema of one vocabulary, each code list enumerated.
import { Type, type Static } from '@sinclair/typebox';
import type { CodeKind, Vocabulary } from '../../language/checked.js';
import { indexOf } from '../../language/vocabulary.js';

const CstDate = Type.String({ format: 'date', description: 'a calendar date in China Standard Time' });
const Code = (kind: CodeKind) => Type.String({ description: `a ${kind} code of the vocabulary` });
const SortedSet = (kind: CodeKind, description: string) => Type.Array(Code(kind), { uniqueItems: true, description: `${description} (sorted)` });

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
    record: Code('record'),
    period: Type.String({ description: 'ISO 8601 duration' }),
    until: CstDate,
    binding: Type.Optional(
      Type.Boolean({
        description:
          'said only when the decision keeps this record kind under more than one period: true on the entry (or entries, tied) with the latest until, which binds; false on the others, met by it',
      }),
    ),
  },
  { additionalProperties: false },
);

export const Obligation = Type.Object(
  { code: Code('obligation'), due: Type.Optional(CstDate) },
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
    verification: SortedSet('verification', 'identity checks still missing'),
    labeling: SortedSet('label', 'labels the content must carry'),
    disposal: SortedSet('disposal', 'measures to take'),
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

// The generated schema is navigated by property names: its shape is Decision's, above.
type Json = Record<string, any>;

/** The Decision schema of vocabulary `v`: every code a decision may hold is one the vocabulary declares. */
export function decisionSchema(v: Vocabulary): Json {
  const { codes } = indexOf(v);
  const d = JSON.parse(JSON.stringify(Decision)) as Json;
  const p = d['properties'];
  p.verification.items.enum = [...codes.verification];
  p.labeling.items.enum = [...codes.label];
  p.disposal.items.enum = [...codes.disposal];
  p.retention.items.properties.record.enum = [...codes.record];
  p.obligations.items.properties.code.enum = [...codes.obligation];
  return d;
}
