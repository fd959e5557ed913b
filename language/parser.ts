// The grammar of the Tiaoli policy language, and nothing else: a Chevrotain CstParser with error
// recovery, so one run reports every syntax error of a file. Meaning is given in lower.ts.
import { CstParser, EOF, type CstNode, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.js';

type Lang = 'en' | 'zh';
const END = { en: 'the end of the file', zh: '文件结尾' };
const label = (t: TokenType, lang: Lang): string => (t === EOF ? END[lang] : ((lang === 'zh' ? T.LABELS_ZH.get(t) : undefined) ?? t.LABEL ?? t.name));
const found = (t: IToken, lang: Lang): string => (t.tokenType === EOF ? END[lang] : `'${t.image}'`);
const alternatives = (paths: TokenType[][][], lang: Lang): string => {
  const firsts = [...new Set(paths.flat().map((p) => (p[0] ? label(p[0], lang) : '')).filter(Boolean))];
  if (lang === 'zh') return firsts.length > 1 ? `以下之一：${firsts.join('、')}` : (firsts[0] ?? '其他内容');
  return firsts.length > 1 ? `one of ${firsts.join(', ')}` : (firsts[0] ?? 'something else');
};
const expectedFound = (expected: (lang: Lang) => string, actual: IToken): string =>
  bilingual(`expected ${expected('en')} but found ${found(actual, 'en')}`, `此处应为${expected('zh')}，却是 ${found(actual, 'zh')}`);

/** Chevrotain carries one string per error: both languages travel in it, and `syntaxMessage` takes them apart. */
const bilingual = (en: string, zh: string): string => JSON.stringify({ en, zh });

/** The English and Chinese of a syntax error's message. */
export const syntaxMessage = (e: IRecognitionException): { en: string; zh: string } => JSON.parse(e.message) as { en: string; zh: string };

/** Messages in the author's terms: what was expected and what was found, never token class names. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => expectedFound((lang) => label(expected, lang), actual),
  buildNotAllInputParsedMessage: ({ firstRedundant }) => bilingual(`${found(firstRedundant, 'en')} does not belong here`, `${found(firstRedundant, 'zh')} 不应出现在此处`),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual }) => expectedFound((lang) => alternatives(expectedPathsPerAlt, lang), actual[0]!),
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) => expectedFound((lang) => alternatives([expectedIterationPaths], lang), actual[0]!),
};

/**
 * Chevrotain's checks of the grammar itself (ambiguities, left recursion) cost a good part of the
 * parser's construction at every start, and can only fail when the grammar changes: they run when
 * asked (`checkGrammar`), as test/language/grammar.test.ts asks.
 */
export class PolicyParser extends CstParser {
  constructor({ checkGrammar = false } = {}) {
    super(T.allTokens, { skipValidations: !checkGrammar, recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'full', errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.regulationHeader) }, { ALT: () => this.SUBRULE(this.articleHeader) }, { ALT: () => this.SUBRULE(this.vocabularyHeader) }, { ALT: () => this.SUBRULE(this.calendarHeader) }]);
    this.MANY(() => this.SUBRULE(this.item));
  });

  // regulation live-2016 title zh "…" title en "…" in force from 2016-12-01 [repealed on D] articles 20
  regulationHeader = this.RULE('regulationHeader', () => {
    this.CONSUME(T.Regulation);
    this.CONSUME(T.Identifier);
    this.MANY(() => this.SUBRULE(this.title));
    this.CONSUME(T.In);
    this.CONSUME(T.Force);
    this.CONSUME(T.From);
    this.CONSUME(T.DateLiteral, { LABEL: 'inForce' });
    this.OPTION(() => {
      this.CONSUME(T.Repealed);
      this.CONSUME(T.On);
      this.CONSUME2(T.DateLiteral, { LABEL: 'repealed' });
    });
    this.CONSUME(T.Articles);
    this.CONSUME(T.Integer);
  });

  title = this.RULE('title', () => {
    this.CONSUME(T.Title);
    this.OR([{ ALT: () => this.CONSUME(T.Zh) }, { ALT: () => this.CONSUME(T.En) }]);
    this.CONSUME(T.StringLiteral);
  });

  // article 12 of live-2016 version 1 in effect from 2016-12-01 [until D]
  articleHeader = this.RULE('articleHeader', () => {
    this.CONSUME(T.Article);
    this.CONSUME(T.Integer, { LABEL: 'article' });
    this.CONSUME(T.Of);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Version);
    this.CONSUME2(T.Integer, { LABEL: 'version' });
    this.CONSUME(T.In);
    this.CONSUME(T.Effect);
    this.CONSUME(T.From);
    this.CONSUME(T.DateLiteral, { LABEL: 'from' });
    this.OPTION(() => {
      this.CONSUME(T.Until);
      this.CONSUME2(T.DateLiteral, { LABEL: 'until' });
    });
  });

  item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.paragraph) },
      { ALT: () => this.SUBRULE(this.nonOperative) },
      { ALT: () => this.SUBRULE(this.definition) },
      { ALT: () => this.SUBRULE(this.rule) },
      { ALT: () => this.SUBRULE(this.fieldDecl) },
      { ALT: () => this.SUBRULE(this.enumerationDecl) },
      { ALT: () => this.SUBRULE(this.objectDecl) },
      { ALT: () => this.SUBRULE(this.extendDecl) },
      { ALT: () => this.SUBRULE(this.eventDecl) },
      { ALT: () => this.SUBRULE(this.conflictDecl) },
      { ALT: () => this.SUBRULE(this.yearDecl) },
    ]);
  });

  // ------------------------------------------------------------------ the holiday calendar

  // calendar china title zh "…" title en "…"
  calendarHeader = this.RULE('calendarHeader', () => {
    this.CONSUME(T.CalendarKw);
    this.CONSUME(T.Identifier);
    this.MANY(() => this.SUBRULE(this.title));
  });

  // year 2018 source "…" holiday … holiday …: one year's arrangement, as its notice gives it.
  yearDecl = this.RULE('yearDecl', () => {
    this.CONSUME(T.Year);
    this.CONSUME(T.Integer);
    this.MANY(() => {
      this.CONSUME(T.Source);
      this.CONSUME(T.StringLiteral, { LABEL: 'source' });
    });
    this.MANY2(() => this.SUBRULE(this.holidayDecl));
  });

  // holiday zh "春节" en "Spring Festival" (on D | from D to D) [worked D, D]
  holidayDecl = this.RULE('holidayDecl', () => {
    this.CONSUME(T.Holiday);
    this.SUBRULE(this.names);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.On);
          this.CONSUME(T.DateLiteral, { LABEL: 'on' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.From);
          this.CONSUME2(T.DateLiteral, { LABEL: 'from' });
          this.CONSUME(T.To);
          this.CONSUME3(T.DateLiteral, { LABEL: 'to' });
        },
      },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.Worked);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME4(T.DateLiteral, { LABEL: 'worked' }) });
    });
  });

  // ------------------------------------------------------------------ vocabulary files

  // vocabulary contract [extends BASE] title zh "…" title en "…"
  vocabularyHeader = this.RULE('vocabularyHeader', () => {
    this.CONSUME(T.VocabularyKw);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Extends);
      this.CONSUME2(T.Identifier, { LABEL: 'base' });
    });
    this.MANY(() => this.SUBRULE(this.title));
  });

  // zh "…" en "…" [about zh "…" en "…"]: what a declared thing is called, and what it means.
  names = this.RULE('names', () => {
    this.OPTION(() => {
      this.CONSUME(T.Zh);
      this.CONSUME(T.StringLiteral, { LABEL: 'zh' });
    });
    this.OPTION2(() => {
      this.CONSUME(T.En);
      this.CONSUME2(T.StringLiteral, { LABEL: 'en' });
    });
    this.OPTION3(() => {
      this.CONSUME(T.About);
      this.OPTION4(() => {
        this.CONSUME2(T.Zh);
        this.CONSUME3(T.StringLiteral, { LABEL: 'aboutZh' });
      });
      this.OPTION5(() => {
        this.CONSUME2(T.En);
        this.CONSUME4(T.StringLiteral, { LABEL: 'aboutEn' });
      });
    });
  });

  // field launchedAt date [required] [absent means false|[] because "…"] zh "…" en "…"
  fieldDecl = this.RULE('fieldDecl', () => {
    this.CONSUME(T.FieldKw);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.typeExpr);
    this.OPTION(() => this.CONSUME(T.Required));
    this.OPTION2(() => {
      this.CONSUME(T.Absent);
      this.CONSUME(T.Means);
      this.OR([
        { ALT: () => this.CONSUME(T.False) },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.CONSUME(T.RBracket);
          },
        },
      ]);
      this.CONSUME(T.Because);
      this.CONSUME(T.StringLiteral, { LABEL: 'absentWhy' });
    });
    this.SUBRULE(this.names);
  });

  // flag | integer [from N] [to M] | date [or null] | timestamp | text | one of E | set of E | OBJECT
  typeExpr = this.RULE('typeExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.One);
          this.CONSUME(T.Of);
          this.CONSUME(T.Identifier, { LABEL: 'enumeration' });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.Identifier, { LABEL: 'word' });
          this.OPTION(() => {
            this.CONSUME2(T.Of);
            this.CONSUME3(T.Identifier, { LABEL: 'of' });
          });
        },
      },
    ]);
    this.OPTION2(() => {
      this.CONSUME(T.From);
      this.CONSUME(T.Integer, { LABEL: 'min' });
    });
    this.OPTION3(() => {
      this.CONSUME(T.To);
      this.CONSUME2(T.Integer, { LABEL: 'max' });
    });
    this.OPTION4(() => {
      this.CONSUME(T.Or);
      this.CONSUME4(T.Identifier, { LABEL: 'or' });
    });
  });

  // enumeration verification_code [for verification] zh "…" en "…" value … value …
  enumerationDecl = this.RULE('enumerationDecl', () => {
    this.CONSUME(T.Enumeration);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.For);
      this.OR([{ ALT: () => this.CONSUME(T.Verification) }, { ALT: () => this.CONSUME(T.Label) }, { ALT: () => this.CONSUME2(T.Identifier, { LABEL: 'outcome' }) }]);
    });
    this.SUBRULE(this.names);
    this.MANY(() => this.SUBRULE(this.valueDecl));
  });

  // value real_identity zh "…" en "…" [met by phone_number, identity_document]
  valueDecl = this.RULE('valueDecl', () => {
    this.CONSUME(T.ValueKw);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.names);
    this.OPTION(() => {
      this.CONSUME(T.Met);
      this.CONSUME(T.By);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.Identifier, { LABEL: 'metBy' }) });
    });
  });

  // object provider zh "…" en "…" field … field …
  objectDecl = this.RULE('objectDecl', () => {
    this.CONSUME(T.ObjectKw);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.names);
    this.MANY(() => this.SUBRULE(this.fieldDecl));
  });

  // extend object content field … | extend enumeration service value …: another file's declaration, added to.
  extendDecl = this.RULE('extendDecl', () => {
    this.CONSUME(T.Extend);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.ObjectKw);
          this.CONSUME(T.Identifier);
          this.MANY(() => this.SUBRULE(this.fieldDecl));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Enumeration);
          this.CONSUME2(T.Identifier);
          this.MANY2(() => this.SUBRULE(this.valueDecl));
        },
      },
    ]);
  });

  // event record.delete zh "…" en "…" [requires record] [deletes record.kind from record.createdAt]
  eventDecl = this.RULE('eventDecl', () => {
    this.CONSUME(T.EventKw);
    this.SUBRULE(this.dottedName);
    this.SUBRULE(this.names);
    this.OPTION(() => {
      this.CONSUME(T.Requires);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier, { LABEL: 'requires' }) });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Deletes);
      this.SUBRULE2(this.dottedName, { LABEL: 'kind' });
      this.CONSUME(T.From);
      this.SUBRULE3(this.dottedName, { LABEL: 'created' });
    });
  });

  // conflict take warn and take close_account [on TYPE] because "…"
  conflictDecl = this.RULE('conflictDecl', () => {
    this.CONSUME(T.Conflict);
    this.SUBRULE(this.outcomePattern, { LABEL: 'first' });
    this.CONSUME(T.And);
    this.SUBRULE2(this.outcomePattern, { LABEL: 'second' });
    this.OPTION(() => {
      this.CONSUME(T.On);
      this.SUBRULE(this.dottedName);
    });
    this.CONSUME(T.Because);
    this.CONSUME(T.StringLiteral);
  });

  // An outcome as a conflict names it: its kind and code, no period or date.
  outcomePattern = this.RULE('outcomePattern', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Deny) },
      {
        ALT: () => {
          this.CONSUME(T.Require);
          this.OR2([{ ALT: () => this.CONSUME(T.Verification) }, { ALT: () => this.CONSUME(T.Label) }]);
          this.CONSUME(T.Identifier);
        },
      },
      {
        ALT: () => {
          this.OR3([{ ALT: () => this.CONSUME(T.Take) }, { ALT: () => this.CONSUME(T.Retain) }, { ALT: () => this.CONSUME(T.Oblige) }]);
          this.CONSUME2(T.Identifier);
        },
      },
    ]);
  });

  // paragraph 1 zh "…" [en "…"]
  paragraph = this.RULE('paragraph', () => {
    this.CONSUME(T.Paragraph);
    this.CONSUME(T.Integer);
    this.CONSUME(T.Zh);
    this.CONSUME(T.StringLiteral, { LABEL: 'zh' });
    this.OPTION(() => {
      this.CONSUME(T.En);
      this.CONSUME2(T.StringLiteral, { LABEL: 'en' });
    });
  });

  nonOperative = this.RULE('nonOperative', () => {
    this.CONSUME(T.NonOperative);
    this.CONSUME(T.Because);
    this.CONSUME(T.StringLiteral);
  });

  definition = this.RULE('definition', () => {
    this.CONSUME(T.Define);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.As);
    this.SUBRULE(this.condition);
  });

  rule = this.RULE('rule', () => {
    this.CONSUME(T.Rule);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.citation));
    this.CONSUME(T.On);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.dottedName) });
    this.OPTION2(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.condition);
    });
    this.CONSUME(T.Then);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.outcome));
  });

  // cites live-2016 article 12 [paragraph 1]
  citation = this.RULE('citation', () => {
    this.CONSUME(T.Cites);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Article);
    this.CONSUME(T.Integer, { LABEL: 'article' });
    this.OPTION(() => {
      this.CONSUME(T.Paragraph);
      this.CONSUME2(T.Integer, { LABEL: 'paragraph' });
    });
  });

  dottedName = this.RULE('dottedName', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Identifier);
    });
  });

  condition = this.RULE('condition', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Or, DEF: () => this.SUBRULE(this.conjunction) });
  });

  conjunction = this.RULE('conjunction', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.And, DEF: () => this.SUBRULE(this.negation) });
  });

  negation = this.RULE('negation', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.negation);
        },
      },
      { ALT: () => this.SUBRULE(this.atom) },
    ]);
  });

  atom = this.RULE('atom', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.condition);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.test) },
    ]);
  });

  test = this.RULE('test', () => {
    this.SUBRULE(this.operand);
    this.OPTION(() => this.SUBRULE(this.predicate));
  });

  predicate = this.RULE('predicate', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.isPredicate) },
      { ALT: () => this.SUBRULE(this.orderPredicate) },
      { ALT: () => this.SUBRULE(this.hasPredicate) },
      {
        ALT: () => {
          this.CONSUME(T.Meets);
          this.CONSUME(T.Identifier);
        },
      },
    ]);
  });

  // is [not] present | absent | one of [..] | VALUE
  isPredicate = this.RULE('isPredicate', () => {
    this.CONSUME(T.Is);
    this.OPTION(() => this.CONSUME(T.Not));
    this.OR([
      { ALT: () => this.CONSUME(T.Present) },
      { ALT: () => this.CONSUME(T.Absent) },
      {
        ALT: () => {
          this.CONSUME(T.One);
          this.CONSUME(T.Of);
          this.SUBRULE(this.list);
        },
      },
      { ALT: () => this.SUBRULE(this.operand) },
    ]);
  });

  // < <= > >= before after | on or before | on or after
  orderPredicate = this.RULE('orderPredicate', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.LessEq) },
      { ALT: () => this.CONSUME(T.Greater) },
      { ALT: () => this.CONSUME(T.GreaterEq) },
      { ALT: () => this.CONSUME(T.Before) },
      { ALT: () => this.CONSUME(T.After) },
      {
        ALT: () => {
          this.CONSUME(T.On);
          this.CONSUME(T.Or);
          this.OR2([{ ALT: () => this.CONSUME2(T.Before, { LABEL: 'onOrBefore' }) }, { ALT: () => this.CONSUME2(T.After, { LABEL: 'onOrAfter' }) }]);
        },
      },
    ]);
    this.SUBRULE(this.operand);
  });

  // has X | has any of [..] | has all of [..]
  hasPredicate = this.RULE('hasPredicate', () => {
    this.CONSUME(T.Has);
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Any) }, { ALT: () => this.CONSUME(T.All) }]);
          this.CONSUME(T.Of);
          this.SUBRULE(this.list);
        },
      },
      { ALT: () => this.SUBRULE(this.value) },
    ]);
  });

  // VALUE (plus|minus PERIOD)* [moved past rest days]
  operand = this.RULE('operand', () => {
    this.SUBRULE(this.value);
    this.MANY(() => this.SUBRULE(this.shift));
    this.OPTION(() => {
      this.CONSUME(T.Moved);
      this.CONSUME(T.Past);
      this.CONSUME(T.Rest);
      this.CONSUME(T.Days);
    });
  });

  shift = this.RULE('shift', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
    this.CONSUME(T.Duration);
  });

  value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.dottedName) },
      { ALT: () => this.CONSUME(T.DateLiteral) },
      { ALT: () => this.CONSUME(T.Integer) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
    ]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.value) });
    this.CONSUME(T.RBracket);
  });

  outcome = this.RULE('outcome', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Deny) },
      {
        ALT: () => {
          this.CONSUME(T.Require);
          this.OR2([{ ALT: () => this.CONSUME(T.Verification) }, { ALT: () => this.CONSUME(T.Label) }]);
          this.CONSUME(T.Identifier);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Take);
          this.CONSUME2(T.Identifier);
        },
      },
      {
        // retain content_and_logs for P60D from occurredAt
        ALT: () => {
          this.CONSUME(T.Retain);
          this.CONSUME3(T.Identifier);
          this.CONSUME(T.For);
          this.CONSUME(T.Duration);
          this.CONSUME(T.From);
          this.SUBRULE(this.operand, { LABEL: 'from' });
        },
      },
      {
        // oblige public_security_filing [due provider.launchedAt plus P30D]
        ALT: () => {
          this.CONSUME(T.Oblige);
          this.CONSUME4(T.Identifier);
          this.OPTION(() => {
            this.CONSUME(T.Due);
            this.SUBRULE2(this.operand, { LABEL: 'due' });
          });
        },
      },
    ]);
  });
}

let shared: PolicyParser | undefined;
/** One parser instance, made when first asked for and reused: Chevrotain's self-analysis is done once, and not by a start that parses nothing. */
export const policyParser = (): PolicyParser => (shared ??= new PolicyParser());

export interface ParseOutput {
  readonly cst: CstNode;
  readonly errors: readonly IRecognitionException[];
}

export function parseTokens(tokens: IToken[]): ParseOutput {
  const parser = policyParser();
  parser.input = tokens;
  const cst = parser.file();
  return { cst, errors: parser.errors };
}
