// Soundness of the checker's types: a value that a field can never take is an error at that value,
// with help naming what the field takes, in every operator and list position, over every field
// type of the vocabulary; a well-typed condition yields no diagnostic and never a constant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import type { PolicyFile } from '../../language/ast.js';
import { check } from '../../language/check.js';
import type { Cond, CheckedBundle } from '../../language/checked.js';
import { HEADER, type Diagnostic } from '../../language/diagnostics.js';
import { parseFile } from '../../language/parse.js';
import { KEYWORDS } from '../../language/tokens.js';
import type { FieldType, VocabularyField as FieldInfo } from '../../language/checked.js';
import { shippedVocabulary } from '../helpers.js';
import { DATES } from '../policy-arbitraries.js';

const { fields: FIELDS, codes: CODES, metBy: VERIFICATION_MET_BY } = shippedVocabulary();

const FILE = 'live-2016/article-12.tiaoli';
const shipped: (PolicyFile | undefined)[] = readPolicyDir(SHIPPED_POLICIES)
  .filter((s) => s.path !== FILE)
  .map((s) => parseFile(s).ast);
const RULE = 'rule r cites live-2016 article 12 on content.publish ';

/** Article 12 of the shipped bundle holding only `body` (a rule's clauses after `on …`): its diagnostics and the checked bundle. */
function checkRule(body: string): { diagnostics: Diagnostic[]; bundle: CheckedBundle; offset: number } {
  const text = `${HEADER}${RULE}${body}\n`;
  const parsed = parseFile({ path: FILE, text });
  const checked = check({ files: [...shipped, parsed.ast] });
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics].filter((d) => d.span.file === FILE);
  return { diagnostics, bundle: checked.bundle, offset: HEADER.length + RULE.length };
}

const where = (d: Diagnostic) => `${d.span.start.line}:${d.span.start.column}-${d.span.end.column}`;
/** Line and columns of `part` in the condition of checkRule(`when ${condition} then deny`), on the rule's line. */
function spanOf(condition: string, part: string): string {
  const column = RULE.length + 'when '.length + condition.indexOf(part) + 1;
  return `${HEADER.split('\n').length}:${column}-${column + part.length}`;
}

describe('the review’s examples are errors at the value, with help that names what the field takes', () => {
  const errors = (condition: string) => checkRule(`when ${condition} then deny`).diagnostics.map((d) => ({ code: d.code, severity: d.severity, at: where(d), message: d.message, help: d.help, helpZh: d.helpZh }));
  const FORMS = 'live_stream, video, audio, image, text, comment, barrage';
  const IDENTITIES = 'phone_number, identity_document, business_license, organization_code';

  it('a field in an enum list: content.form is one of [live_stream, occurredAt]', () => {
    const c = 'content.form is one of [live_stream, occurredAt]';
    expect(errors(c)).toEqual([
      { code: 'TL053', severity: 'error', at: spanOf(c, 'occurredAt'), message: `occurredAt is a field (a point in time); content.form takes one of: ${FORMS}`, help: `Write one of: ${FORMS}.`, helpZh: `请写其中之一：${FORMS.split(', ').join('、')}。` },
    ]);
  });

  it('a date in a set list: actor.verified has any of [2016-12-01]', () => {
    const c = 'actor.verified has any of [2016-12-01]';
    expect(errors(c).map((e) => [e.code, e.severity, e.at, e.message, e.help])).toEqual([['TL053', 'error', spanOf(c, '2016-12-01'), `2016-12-01 is a date; actor.verified holds values from: ${IDENTITIES}`, `Write one of: ${IDENTITIES}.`]]);
  });

  it('a number as the value a set has: actor.verified has 3', () => {
    const c = 'actor.verified has 3';
    expect(errors(c).map((e) => [e.code, e.severity, e.at, e.message, e.help])).toEqual([['TL053', 'error', spanOf(c, '3'), `3 is a number; actor.verified holds values from: ${IDENTITIES}`, `Write one of: ${IDENTITIES}.`]]);
  });

  it('text and a yes/no value in a number list: actor.priorViolations is one of ["a", true], one error at each', () => {
    const c = 'actor.priorViolations is one of ["a", true]';
    expect(errors(c).map((e) => [e.code, e.severity, e.at, e.message, e.help])).toEqual([
      ['TL053', 'error', spanOf(c, '"a"'), '"a" is text; actor.priorViolations takes a whole number', 'Write a whole number, e.g. 3.'],
      ['TL053', 'error', spanOf(c, 'true'), 'true is a yes/no value; actor.priorViolations takes a whole number', 'Write a whole number, e.g. 3.'],
    ]);
  });

  it('quoted text is read as the field’s value, and checked as one: content.form is "livestream"', () => {
    const c = 'content.form is "livestream"';
    expect(errors(c).map((e) => [e.code, e.at, e.help])).toEqual([['TL051', spanOf(c, '"livestream"'), 'did you mean `live_stream`?']]);
  });

  it('`is` on a set, which would compare the whole set with one value, points to `has`', () => {
    const c = 'actor.verified is not phone_number';
    expect(errors(c).map((e) => [e.code, e.at, e.help])).toEqual([['TL053', spanOf(c, c), 'Ask what it holds: `actor.verified has …`.']]);
  });

  it('`is one of` on a set points to `has any of`; on a date field it is refused at the field', () => {
    expect(errors('actor.verified is one of [phone_number]').map((e) => e.help)).toEqual(['Ask what the set holds: `actor.verified has any of […]`.']);
    const c = 'occurredAt is one of [1, 2]';
    expect(errors(c).map((e) => [e.code, e.at])).toEqual([['TL053', spanOf(c, 'occurredAt')]]);
  });

  it('an empty list is an error (TL056) that says what the condition would always do', () => {
    expect(errors('content.form is one of []').map((e) => [e.code, e.message])).toEqual([['TL056', '`is one of []` never holds: the list is empty']]);
    expect(errors('content.form is not one of []').map((e) => e.message)).toEqual(['`is not one of []` holds whenever content.form is known: the list is empty']);
    expect(errors('actor.verified has any of []').map((e) => e.message)).toEqual(['`has any of []` never holds: the list is empty']);
    expect(errors('actor.verified has all of []').map((e) => e.message)).toEqual(['`has all of []` always holds: the list is empty']);
  });

  it('a comparison whose value is wrong is reported once, at the value, whichever side it is on', () => {
    expect(errors('occurredAt before 2016-02-30').map((e) => e.code)).toEqual(['TL003']);
    const c = '"2016-12-01" is occurredAt';
    expect(errors(c).map((e) => [e.code, e.at, e.message])).toEqual([['TL053', spanOf(c, '"2016-12-01"'), '"2016-12-01" is text; occurredAt takes a date']]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over the vocabulary: every field type, every operator, every list position.

/** A piece of generated source; `wrong` marks a value its field cannot take. */
interface Piece {
  readonly text: string;
  readonly wrong?: true;
}

const keywords = new Set(KEYWORDS);
const paths = (t: FieldType['t']) => [...FIELDS.values()].filter((f) => f.type.t === t).map((f) => f.path);
const valuesOf = (f: FieldInfo): readonly string[] => ('values' in f.type ? f.type.values : []);
const ALL_VALUES = [...new Set([...FIELDS.values()].flatMap(valuesOf))];
const TEMPORAL = [...paths('date'), ...paths('timestamp')];
const isTemporal = (f: FieldInfo) => f.type.t === 'date' || f.type.t === 'timestamp';

const piece = (text: string): Piece => ({ text });
const wrong = (text: string): Piece => ({ text, wrong: true });
/** An enum or set value: bare where it lexes as a name, quoted either way. */
const member = (v: string): fc.Arbitrary<Piece> => (/^[a-z][a-z_]*$/.test(v) && !keywords.has(v) ? fc.constantFrom(piece(v), piece(`"${v}"`)) : fc.constant(piece(`"${v}"`)));
const date = fc.constantFrom(...DATES);
const shifted = (base: fc.Arbitrary<string>) => fc.tuple(base, fc.constantFrom('', ' plus P30D', ' minus P1M')).map(([b, s]) => b + s);

/** A value `f` takes (a date field's only in a comparison: there are no lists of dates). */
function right(f: FieldInfo): fc.Arbitrary<Piece> {
  switch (f.type.t) {
    case 'enum':
    case 'set':
      return fc.constantFrom(...f.type.values).chain(member);
    case 'int':
      return fc.nat({ max: 1000 }).map((n) => piece(String(n)));
    case 'string':
      return fc.stringMatching(/^[a-z0-9-]{0,8}$/).map((s) => piece(`"${s}"`));
    case 'bool':
      return fc.boolean().map((b) => piece(String(b)));
    case 'date':
    case 'timestamp':
      return shifted(fc.oneof(date, fc.constantFrom(...TEMPORAL))).map(piece);
  }
}

/**
 * A value `f` can never take. In a comparison (`list` false) a field on the other side is a
 * comparison of two fields, refused at the comparison; in a list a field is never a value.
 */
function bad(f: FieldInfo, list: boolean): fc.Arbitrary<Piece> {
  const t = f.type.t;
  const words = ALL_VALUES.filter((v) => /^[a-z][a-z_]*$/.test(v) && !keywords.has(v) && !valuesOf(f).includes(v) && !FIELDS.has(v));
  const kinds: fc.Arbitrary<string>[] = [
    fc.constantFrom(...words),
    ...(t === 'int' ? [] : [fc.nat({ max: 1000 }).map(String)]),
    ...(t === 'bool' ? [] : [fc.constantFrom('true', 'false')]),
    ...(t === 'string' ? [] : [fc.constantFrom('"x"', '"2016-12-01"', ...words.map((w) => `"${w}"`))]),
    ...(isTemporal(f) ? [] : [date]),
    ...(list ? [fc.constantFrom(...FIELDS.keys())] : isTemporal(f) ? [] : [shifted(fc.constantFrom(...TEMPORAL)).filter((s) => s.includes(' '))]),
  ];
  return fc.oneof(...kinds).map(wrong);
}

const EQ = ['is', 'is not'];
const ORDER = ['<', '<=', '>', '>=', 'before', 'after', 'on or before', 'on or after'];
const ordered = (f: FieldInfo) => f.type.t === 'int' || isTemporal(f);

/** `values` with one to three of `wrongs` put in at random places (or none when `wrongs` is undefined). */
const mixed = (values: fc.Arbitrary<Piece>, wrongs: fc.Arbitrary<Piece> | undefined): fc.Arbitrary<Piece[]> =>
  fc
    .tuple(fc.array(values, { minLength: wrongs ? 0 : 1, maxLength: 3 }), wrongs ? fc.array(wrongs, { minLength: 1, maxLength: 3 }) : fc.constant([]))
    .chain(([ok, ko]) => fc.shuffledSubarray([...ok, ...ko], { minLength: ok.length + ko.length }));
const list = (items: Piece[]): Piece[] => [piece('['), ...items.flatMap((p, i) => (i === 0 ? [p] : [piece(', '), p])), piece(']')];

/**
 * Conditions over field `f` in every form it can take a value in; with `ill`, each holds one or more
 * values `f` can never take (marked), else none. A set is asked only with `has` (`is` on a set is
 * refused at the comparison, above), and only enum, number and text fields with `is one of`.
 */
function conditions(f: FieldInfo, ill: boolean): fc.Arbitrary<Piece[]> {
  const value = (inList: boolean) => (ill ? bad(f, inList) : right(f));
  const items = mixed(right(f), ill ? bad(f, true) : undefined);
  const forms: fc.Arbitrary<Piece[]>[] = [];
  if (f.type.t === 'set') {
    forms.push(value(true).map((v) => [piece(`${f.path} has `), v]));
    forms.push(fc.tuple(fc.constantFrom('any', 'all'), items).map(([mode, xs]) => [piece(`${f.path} has ${mode} of `), ...list(xs)]));
  } else {
    // A wrong value is refused before the operator is looked at: any operator will do for it.
    const ops = ill || ordered(f) ? [...EQ, ...ORDER] : EQ;
    forms.push(fc.tuple(fc.constantFrom(...ops), value(false), fc.boolean()).map(([op, v, swap]) => (swap ? [v, piece(` ${op} ${f.path}`)] : [piece(`${f.path} ${op} `), v])));
  }
  if (['enum', 'int', 'string'].includes(f.type.t)) {
    forms.push(fc.tuple(fc.constantFrom('is one of', 'is not one of'), items).map(([words, xs]) => [piece(`${f.path} ${words} `), ...list(xs)]));
  }
  return fc.oneof(...forms);
}

/** The outcome clauses that take a date, with the value `ill` draws in their date's place. */
const nonTemporal = [...FIELDS.values()].filter((f) => !isTemporal(f));
const temporalOperand = (ill: boolean): fc.Arbitrary<Piece[]> =>
  fc
    .tuple(fc.constantFrom('retain content_and_logs for P60D from ', `oblige ${CODES.obligation[0]} due `), ill ? fc.oneof(bad(FIELDS.get('occurredAt')!, false), fc.constantFrom(...nonTemporal).map((f) => wrong(f.path))) : right(FIELDS.get('occurredAt')!))
    .map(([clause, v]) => [piece(clause), v]);

/** Source text of the pieces, and the spans (as `line:col-col` on the rule's line) of the wrong ones. */
function assemble(pieces: Piece[], start: number): { text: string; wrongAt: string[] } {
  let text = '';
  const wrongAt: string[] = [];
  for (const p of pieces) {
    const column = start + text.length + 1;
    if (p.wrong) wrongAt.push(`${HEADER.split('\n').length}:${column}-${column + p.text.length}`);
    text += p.text;
  }
  return { text, wrongAt };
}

/** A rule whose condition (or, with `outcome`, whose date) is the pieces. */
function ruleOf(pieces: Piece[], outcome: boolean): { body: string; wrongAt: string[] } {
  const lead = outcome ? 'then ' : 'when ';
  const { text, wrongAt } = assemble(pieces, RULE.length + lead.length);
  return { body: outcome ? `then ${text}` : `when ${text} then deny`, wrongAt };
}

/** The errors a diagnostic at a wrong value may be: no such field or value, a wrong kind, no such code. */
const AT_A_VALUE = new Set(['TL050', 'TL051', 'TL053', 'TL054']);

function expectErrorAtEachWrongValue(pieces: Piece[], outcome = false): void {
  const { body, wrongAt } = ruleOf(pieces, outcome);
  const { diagnostics } = checkRule(body);
  expect(diagnostics.filter((d) => d.code === 'TL001' || d.code === 'TL002'), body).toEqual([]);
  for (const at of wrongAt) {
    const d = diagnostics.find((x) => where(x) === at);
    expect(d, `${body}\nno diagnostic at ${at}; got ${diagnostics.map((x) => `${where(x)} ${x.code} ${x.message}`).join('; ')}`).toBeDefined();
    expect(AT_A_VALUE.has(d!.code), `${d!.code} ${d!.message}`).toBe(true);
    expect(d!.severity).toBe('error');
    expect(d!.help).toMatch(/\S/);
  }
  expect(wrongAt.length).toBeGreaterThan(0);
}

const constants = (c: Cond): Cond[] => (c.k === 'all' || c.k === 'any' ? c.items.flatMap(constants) : c.k === 'not' ? constants(c.item) : c.k === 'const' ? [c] : []);

function expectCleanAndNotConstant(pieces: Piece[], outcome = false): void {
  const { body } = ruleOf(pieces, outcome);
  const { diagnostics, bundle } = checkRule(body);
  expect(diagnostics.map((d) => `${where(d)} ${d.code} ${d.message}`), body).toEqual([]);
  const rule = bundle.articles.find((a) => a.file === FILE)!.rules[0]!;
  expect(constants(rule.when)).toEqual([]);
  expect(rule.outcomes).toHaveLength(1);
}

const TYPES: FieldType['t'][] = ['enum', 'set', 'int', 'string', 'bool', 'date', 'timestamp'];
const fieldsOf = (t: FieldType['t']) => fc.constantFrom(...[...FIELDS.values()].filter((f) => f.type.t === t));

describe.each(TYPES)('a %s field', (t) => {
  it('an ill-typed value in any operator or list position is an error at that value', () => {
    fc.assert(fc.property(fieldsOf(t).chain((f) => conditions(f, true)), (pieces) => expectErrorAtEachWrongValue(pieces)), { numRuns: 150 });
  });

  it('a well-typed condition yields no diagnostic, and no constant', () => {
    fc.assert(fc.property(fieldsOf(t).chain((f) => conditions(f, false)), (pieces) => expectCleanAndNotConstant(pieces)), { numRuns: 100 });
  });
});

describe('dates of outcomes, and codes', () => {
  it('`from` and `due` refuse anything but a date, at that value', () => {
    fc.assert(fc.property(temporalOperand(true), (pieces) => expectErrorAtEachWrongValue(pieces, true)), { numRuns: 150 });
  });

  it('`from` and `due` take a date, a date field, either moved by a period', () => {
    fc.assert(fc.property(temporalOperand(false), (pieces) => expectCleanAndNotConstant(pieces, true)), { numRuns: 50 });
  });

  it('`meets` takes a verification code, and any other code is an error at it', () => {
    const others = [...new Set(Object.values(CODES).flat())].filter((c) => !(c in VERIFICATION_MET_BY) && /^[a-z][a-z_]*$/.test(c) && !keywords.has(c));
    fc.assert(fc.property(fc.constantFrom(...others), (code) => expectErrorAtEachWrongValue([piece('actor.verified meets '), wrong(code)])));
    for (const code of Object.keys(VERIFICATION_MET_BY)) expectCleanAndNotConstant([piece(`actor.verified meets ${code}`)]);
  });
});
