// The kinds of completion and of outline symbol the services answer with. Nothing is imported here,
// so a page can map them to its editor's kinds without loading the parser.
export type CompletionKind = 'keyword' | 'field' | 'value' | 'event-type' | 'code' | 'regulation' | 'article' | 'paragraph' | 'definition';

/** Each kind by the name editors give their own kinds (the protocol's and Monaco's alike), so each client maps it by name. */
export const COMPLETION_KIND_NAMES = {
  keyword: 'Keyword',
  field: 'Field',
  value: 'EnumMember',
  'event-type': 'Event',
  code: 'Constant',
  regulation: 'Module',
  article: 'Reference',
  paragraph: 'Reference',
  definition: 'Function',
} as const satisfies Record<CompletionKind, string>;

export type OutlineKind = 'regulation' | 'article' | 'paragraph' | 'definition' | 'rule' | 'vocabulary' | 'enumeration' | 'value' | 'object' | 'field' | 'event-type' | 'conflict' | 'calendar' | 'year';

/** Each kind by the name editors give their symbol kinds (the protocol's and Monaco's alike). */
export const OUTLINE_KIND_NAMES = {
  regulation: 'Module',
  article: 'Namespace',
  paragraph: 'String',
  definition: 'Function',
  rule: 'Method',
  vocabulary: 'Package',
  enumeration: 'Enum',
  value: 'EnumMember',
  object: 'Struct',
  field: 'Field',
  'event-type': 'Event',
  conflict: 'Constant',
  calendar: 'Package',
  year: 'Number',
} as const satisfies Record<OutlineKind, string>;

