// AST → checked bundle. The checker is a named list of stages run in order over one shared context;
// each stage reports diagnostics and never throws. The result is always a bundle (best effort) plus
// diagnostics; the engine refuses to compile a bundle whose diagnostics hold an error.
import type * as A from './ast.js';
import { addPeriod, formatDate, parseDate, parsePeriod, yearOf, type DayNumber, type Period } from './calendar.js';
import { checkCalendar, EMPTY_CALENDAR } from './check-calendar.js';
import type * as K from './checked.js';
import { diagnostic, suggest, type Diagnostic, type DiagnosticArgs, type DiagnosticKind } from './diagnostics.js';
import { byChineseName, isChinese, type Term } from './glossary.js';
import { LIMITS } from './limits.js';
import { comparisonsOf, operator, writtenOperator } from './operators.js';
import { BUNDLE_FILE, fileStart, type Span } from './source.js';
import { checkVocabulary } from './check-vocabulary.js';
import { MOVED_PAST_REST_DAYS } from './tokens.js';
import { CODE_KIND_OF, CODE_KIND_ZH, describeType, indexOf, type FieldType, type VocabularyIndex } from './vocabulary.js';

export interface CheckInput {
  readonly files: readonly (A.PolicyFile | undefined)[];
}

export interface CheckResult {
  readonly bundle: K.CheckedBundle;
  readonly diagnostics: readonly Diagnostic[];
}

interface Ctx {
  readonly files: readonly A.PolicyFile[];
  /** What rules may name: the bundle's vocabulary files, merged. */
  readonly vocab: VocabularyIndex;
  /** The holiday calendar, whose years a constant `moved past rest days` must fall in. */
  readonly calendar: K.HolidayCalendar;
  /** Some file could not be read into an AST: whole-bundle completeness checks would only add noise. */
  readonly incomplete: boolean;
  readonly diagnostics: Diagnostic[];
  readonly regulations: Map<string, K.CheckedRegulation>;
  readonly articleFiles: A.ArticleFile[];
  readonly definitionAsts: Map<string, { def: A.Definition; file: string }>;
  readonly definitions: Map<string, K.CheckedDefinition>;
  readonly articles: K.CheckedArticle[];
}

export interface Stage {
  readonly name: string;
  readonly run: (cx: Ctx) => void;
}

/** The checker's stages, in order. */
export const STAGES: readonly Stage[] = [
  { name: 'regulations', run: checkRegulations },
  { name: 'definitions', run: checkDefinitions },
  { name: 'articles', run: checkArticles },
  { name: 'limits', run: checkLimits },
  { name: 'versions', run: checkVersions },
  { name: 'coverage', run: checkCoverage },
];

/** The vocabulary of a bundle that has none: it names nothing, so nothing is decided with it. */
export const EMPTY_VOCABULARY: K.Vocabulary = { names: [], enumerations: [], objects: [], fields: [], events: [], conflicts: [] };

export function check(input: CheckInput): CheckResult {
  const files = input.files.filter((f): f is A.PolicyFile => f !== undefined);
  const diagnostics: Diagnostic[] = [];
  const add = (kind: DiagnosticKind, span: Span, args?: DiagnosticArgs) => diagnostics.push(diagnostic(kind, span, args));
  const vocabulary = checkVocabulary(files, add);
  // Without a vocabulary every name a rule uses would be reported unknown: say the one thing that matters.
  if (!vocabulary) return { bundle: { vocabulary: EMPTY_VOCABULARY, calendar: EMPTY_CALENDAR, regulations: [], articles: [], definitions: [] }, diagnostics };
  const calendar = checkCalendar(files, add);
  const cx: Ctx = {
    files,
    vocab: indexOf(vocabulary),
    calendar,
    incomplete: files.length !== input.files.length,
    diagnostics,
    regulations: new Map(),
    articleFiles: files.filter((f): f is A.ArticleFile => f.kind === 'article'),
    definitionAsts: new Map(),
    definitions: new Map(),
    articles: [],
  };
  for (const stage of STAGES) stage.run(cx);
  const bundle: K.CheckedBundle = {
    vocabulary,
    calendar,
    regulations: [...cx.regulations.values()].sort((a, b) => cmp(a.id, b.id)),
    articles: cx.articles.sort((a, b) => cmp(a.regulation, b.regulation) || a.article - b.article || a.version - b.version),
    definitions: [...cx.definitions.values()].sort((a, b) => cmp(a.name, b.name)),
  };
  return { bundle, diagnostics: cx.diagnostics };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function report(cx: Ctx, kind: DiagnosticKind, span: Span, args: DiagnosticArgs = {}): void {
  cx.diagnostics.push(diagnostic(kind, span, args));
}

function date(cx: Ctx, d: A.DateNode): DayNumber | undefined {
  const day = parseDate(d.text);
  if (day === undefined) report(cx, 'invalidDate', d.span, { text: d.text });
  return day;
}

function period(cx: Ctx, p: A.PeriodNode): Period | undefined {
  const parsed = parsePeriod(p.text);
  if (!parsed) report(cx, 'invalidPeriod', p.span, { text: p.text });
  return parsed;
}

// ---------------------------------------------------------------- regulations

function checkRegulations(cx: Ctx): void {
  for (const f of cx.files) {
    if (f.kind !== 'regulation') continue;
    const existing = cx.regulations.get(f.id.text);
    if (existing) {
      report(cx, 'duplicateRegulation', f.id.span, { name: f.id.text, file: existing.file });
      continue;
    }
    const inForce = date(cx, f.inForce);
    const repealed = f.repealed && date(cx, f.repealed);
    if (inForce === undefined) continue;
    cx.regulations.set(f.id.text, {
      file: f.path,
      id: f.id.text,
      titleZh: f.titleZh?.value,
      titleEn: f.titleEn?.value,
      inForce,
      repealed,
      articleCount: f.articleCount.value,
    });
  }
}

// ---------------------------------------------------------------- definitions

function checkDefinitions(cx: Ctx): void {
  for (const f of cx.files) {
    if (f.kind === 'vocabulary' || f.kind === 'calendar') continue;
    for (const def of f.definitions) {
      const existing = cx.definitionAsts.get(def.name.text);
      if (isChinese(def.name.text)) report(cx, 'chineseText', def.name.span, { word: def.name.text, what: 'the name of a defined term', whatZh: '定义名称' });
      if (existing) report(cx, 'duplicateDefinition', def.name.span, { name: def.name.text, file: existing.file });
      else cx.definitionAsts.set(def.name.text, { def, file: f.path });
    }
  }
  for (const [name, { def, file }] of cx.definitionAsts) {
    cx.definitions.set(name, { name, file, span: def.span, body: condition(cx, def.body) });
  }
  // A definition that reaches itself would make evaluation loop: report each cycle once.
  const state = new Map<string, 'active' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'active') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      const d = cx.definitions.get(name)!;
      report(cx, 'definitionCycle', cx.definitionAsts.get(name)!.def.name.span, { name, cycle: cycle.join(' → ') });
      cx.definitions.set(name, { ...d, body: { k: 'const', value: false } });
      return;
    }
    if (trail.length >= LIMITS.definitionDepth) {
      // Compiling and evaluating follow definitions by recursion: bound how deep they go.
      report(cx, 'definitionsTooDeep', cx.definitionAsts.get(trail[0]!)!.def.name.span, { name: trail[0]!, max: LIMITS.definitionDepth, chain: trail.slice(0, 4).join(' → ') });
      cx.definitions.set(name, { ...cx.definitions.get(name)!, body: { k: 'const', value: false } });
      state.set(name, 'done');
      return;
    }
    state.set(name, 'active');
    for (const r of refsOf(cx.definitions.get(name)!.body)) if (cx.definitions.has(r)) visit(r, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of cx.definitions.keys()) visit(name, []);
}

function refsOf(c: K.Cond): string[] {
  switch (c.k) {
    case 'ref':
      return [c.name];
    case 'all':
    case 'any':
      return c.items.flatMap(refsOf);
    case 'not':
      return refsOf(c.item);
    default:
      return [];
  }
}

// ---------------------------------------------------------------- articles and rules

function checkArticles(cx: Ctx): void {
  for (const f of cx.articleFiles) {
    const reg = cx.regulations.get(f.regulation.text);
    if (!reg) report(cx, 'unknownRegulation', f.regulation.span, { name: f.regulation.text, known: [...cx.regulations.keys()].join(', ') || '(none)', knownZh: [...cx.regulations.keys()].join('、') || '（无）' });
    else if (f.article.value < 1 || f.article.value > reg.articleCount)
      report(cx, 'articleOutOfRange', f.article.span, { regulation: reg.id, count: reg.articleCount, article: f.article.value });

    const from = date(cx, f.from);
    const until = f.until && date(cx, f.until);
    if (from !== undefined && until !== undefined && until <= from) report(cx, 'emptyPeriod', f.until!.span, { from: f.from.text, until: f.until!.text });
    if (reg && from !== undefined && from < reg.inForce)
      report(cx, 'versionBeforeRegulation', f.from.span, { from: f.from.text, regulation: reg.id, inForce: formatDate(reg.inForce), replacements: [formatDate(reg.inForce)] });

    const seen = new Set<number>();
    for (const p of f.paragraphs) {
      if (seen.has(p.number.value)) report(cx, 'duplicateParagraph', p.number.span, { number: p.number.value });
      seen.add(p.number.value);
    }
    if (f.paragraphs.length === 0) report(cx, 'noParagraphs', f.article.span, { article: f.article.value });
    if (f.nonOperative && f.rules.length > 0) report(cx, 'nonOperativeWithRules', f.nonOperative.span);
    if (!f.nonOperative && f.rules.length === 0) report(cx, 'articleUnaccounted', f.article.span, { regulation: f.regulation.text, article: f.article.value });

    const names = new Set<string>();
    const rules: K.CheckedRule[] = [];
    for (const r of f.rules) {
      if (isChinese(r.name.text)) report(cx, 'chineseText', r.name.span, { word: r.name.text, what: 'the name of a rule', whatZh: '规则名称' });
      if (names.has(r.name.text)) report(cx, 'duplicateRule', r.name.span, { name: r.name.text });
      names.add(r.name.text);
      const checked = rule(cx, f, r);
      if (checked) rules.push(checked);
    }
    if (from === undefined) continue;
    cx.articles.push({
      file: f.path,
      regulation: f.regulation.text,
      article: f.article.value,
      version: f.version.value,
      from,
      until,
      paragraphs: [...f.paragraphs].sort((a, b) => a.number.value - b.number.value).map((p) => ({ number: p.number.value, zh: p.zh.value, en: p.en?.value })),
      nonOperative: f.nonOperative?.value,
      rules: rules.sort((a, b) => cmp(a.id, b.id)),
    });
  }
}

function rule(cx: Ctx, f: A.ArticleFile, r: A.Rule): K.CheckedRule | undefined {
  const citation = citationOf(cx, f, r);
  const on: string[] = [];
  for (const t of r.on) {
    if (!cx.vocab.events.has(t.text) && chinese(cx, t.text, t.span, { en: 'event type', zh: '事件类型' }, cx.vocab.eventTypes.map((e) => ({ name: e, zh: cx.vocab.events.get(e)!.zh })))) continue;
    if (!cx.vocab.events.has(t.text)) report(cx, 'unknownEventType', t.span, { name: t.text, ...suggest(t.text, cx.vocab.eventTypes, 'event types') });
    else if (on.includes(t.text)) report(cx, 'duplicateEventType', t.span, { name: t.text });
    else on.push(t.text);
  }
  const when: K.Cond = r.when ? condition(cx, r.when) : { k: 'always' };
  const outcomes = r.outcomes.map((o) => outcome(cx, o)).filter((o): o is K.CheckedOutcome => o !== undefined);
  if (!citation) return undefined;
  return {
    id: `${f.regulation.text}/${f.article.value}/${r.name.text}`,
    name: r.name.text,
    regulation: f.regulation.text,
    article: f.article.value,
    file: f.path,
    span: r.span,
    citation,
    on: on.sort(cmp),
    when,
    outcomes,
  };
}

function citationOf(cx: Ctx, f: A.ArticleFile, r: A.Rule): K.CheckedCitation | undefined {
  const c = r.citation;
  if (!c && r.unfinished) return undefined;
  if (!c) {
    // The fix the help names: the rule's name followed by a citation of its own article.
    const cites = `cites ${f.regulation.text} article ${f.article.value} paragraph 1`;
    report(cx, 'missingCitation', r.name.span, { name: r.name.text, regulation: f.regulation.text, article: f.article.value, replacements: [`${r.name.text} ${cites}`] });
    return undefined;
  }
  const reg = cx.regulations.get(c.regulation.text);
  if (!reg) {
    report(cx, 'unknownRegulation', c.regulation.span, { name: c.regulation.text, known: [...cx.regulations.keys()].join(', ') || '(none)', knownZh: [...cx.regulations.keys()].join('、') || '（无）' });
    return undefined;
  }
  if (c.article.value < 1 || c.article.value > reg.articleCount) {
    report(cx, 'citedArticleMissing', c.article.span, { regulation: reg.id, article: c.article.value, count: reg.articleCount });
    return undefined;
  }
  if (c.paragraph) {
    const quoted = new Set(
      cx.articleFiles.filter((a) => a.regulation.text === reg.id && a.article.value === c.article.value).flatMap((a) => a.paragraphs.map((p) => p.number.value)),
    );
    if (quoted.size > 0 && !quoted.has(c.paragraph.value)) {
      report(cx, 'citedParagraphMissing', c.paragraph.span, { regulation: reg.id, article: c.article.value, paragraph: c.paragraph.value, count: quoted.size });
      return undefined;
    }
  }
  return { regulation: reg.id, article: c.article.value, ...(c.paragraph ? { paragraph: c.paragraph.value } : {}) };
}

function outcome(cx: Ctx, o: A.Outcome): K.CheckedOutcome | undefined {
  const code = (kind: K.CodeKind, name: A.Name): string | undefined => {
    const list = cx.vocab.codes[kind];
    if (list.includes(name.text)) return name.text;
    if (chinese(cx, name.text, name.span, { en: `${kind} code`, zh: `${CODE_KIND_ZH[kind]}代码` }, valueTerms(cx, list, cx.vocab.vocabulary.enumerations.find((e) => e.codes === kind)?.name))) return undefined;
    report(cx, 'unknownCode', name.span, { value: name.text, kind, kindZh: CODE_KIND_ZH[kind], ...suggest(name.text, list, `${kind} codes`) });
    return undefined;
  };
  switch (o.kind) {
    case 'deny':
      return { k: 'deny' };
    case 'verification':
    case 'label':
    case 'disposal': {
      const c = code(CODE_KIND_OF[o.kind], o.code);
      return c === undefined ? undefined : { k: o.kind, code: c };
    }
    case 'retain': {
      const record = code(CODE_KIND_OF.retain, o.record);
      const p = period(cx, o.period);
      const from = temporal(cx, o.from);
      return record && p && from ? { k: 'retain', record, period: p, periodText: o.period.text, from } : undefined;
    }
    case 'oblige': {
      const c = code(CODE_KIND_OF.oblige, o.code);
      const due = o.due && temporal(cx, o.due);
      if (c === undefined || (o.due && !due)) return undefined;
      return { k: 'oblige', code: c, ...(due ? { due } : {}) };
    }
  }
}

/** A value that must be a date or a point in time (a `from` or `due`). */
function temporal(cx: Ctx, o: A.Operand): K.Value | undefined {
  const v = value(cx, o, undefined);
  if (v && domainOf(v) !== 'temporal') {
    report(cx, 'typeMismatch', o.span, { detail: `expected a date here, found ${describeValue(v)}`, help: 'Use a date field (occurredAt, provider.launchedAt …) or a date, optionally plus a period.', helpZh: '此处需要日期字段或日期，可加减期间。' });
    return undefined;
  }
  return v;
}

// ---------------------------------------------------------------- conditions

const FALSE: K.Cond = { k: 'const', value: false };

function condition(cx: Ctx, c: A.Condition): K.Cond {
  switch (c.kind) {
    case 'all':
      return { k: 'all', items: c.items.map((i) => condition(cx, i)) };
    case 'any':
      return { k: 'any', items: c.items.map((i) => condition(cx, i)) };
    case 'not':
      return { k: 'not', item: condition(cx, c.item) };
    case 'truth':
      return truth(cx, c.operand);
    case 'present': {
      // An object (`actor is present`) may be asked after as well as a field.
      if (c.operand.kind === 'ref' && cx.vocab.objects.has(c.operand.path.join('.'))) return { k: 'present', path: c.operand.path.join('.'), present: c.present };
      const f = fieldRef(cx, c.operand);
      return f ? { k: 'present', path: f.path, present: c.present } : FALSE;
    }
    case 'compare':
      return comparison(cx, c);
    case 'oneOf': {
      const left = value(cx, c.operand, undefined);
      if (!left) return FALSE;
      if (left.k !== 'field' || !writtenOperator(c).fields.includes(left.type.t)) {
        const [help, helpZh] = left.k === 'field' && left.type.t === 'set' ? [`Ask what the set holds: \`${left.path} has any of […]\`.`, `请询问集合所含的值：\`${left.path} has any of […]\`。`] : [];
        mismatch(cx, c.operand.span, `\`is one of\` needs a field with a few possible values, found ${describeValue(left)}`, help, helpZh);
        return FALSE;
      }
      const values = listOf(cx, c, left);
      return values ? { k: 'oneOf', left, values, negated: c.negated } : FALSE;
    }
    case 'has': {
      const f = fieldRef(cx, c.operand);
      if (!f) return FALSE;
      if (!writtenOperator(c).fields.includes(f.type.t)) {
        mismatch(cx, c.operand.span, `\`has\` needs a set field, and ${f.path} is ${describeType(f.type)}`, `Use \`${f.path} is …\` instead.`, `请改用 \`${f.path} is …\`。`);
        return FALSE;
      }
      // Each of them passed fits as a word of the set: String only narrows the type.
      const values = listOf(cx, c, f);
      return values ? { k: 'has', mode: c.mode, path: f.path, values: values.map(String) } : FALSE;
    }
    case 'meets': {
      const f = fieldRef(cx, c.operand);
      if (!f) return FALSE;
      const accepted = cx.vocab.metBy[c.code.text];
      if (!writtenOperator(c).fields.includes(f.type.t) || !Object.values(cx.vocab.metBy).flat().every((v) => (f.type as { values?: readonly string[] }).values?.includes(v))) {
        mismatch(cx, c.operand.span, `\`meets\` reads the verified identities, and ${f.path} is ${describeType(f.type)}`, 'Write `actor.verified meets CODE`.', '请写作 `actor.verified meets 代码`。');
        return FALSE;
      }
      if (!accepted) {
        report(cx, 'unknownCode', c.code.span, { value: c.code.text, kind: 'verification', kindZh: CODE_KIND_ZH.verification, ...suggest(c.code.text, cx.vocab.codes.verification, 'verification codes') });
        return FALSE;
      }
      return { k: 'meets', path: f.path, code: c.code.text, accepted };
    }
  }
}

function truth(cx: Ctx, o: A.Operand): K.Cond {
  if (o.kind === 'literal' && o.type === 'bool') return { k: 'const', value: o.value };
  if (o.kind === 'ref') {
    const path = o.path.join('.');
    if (o.path.length === 1 && cx.definitionAsts.has(path)) return { k: 'ref', name: path };
    const f = cx.vocab.fields.get(path);
    if (f && yesNo(f.type)) return { k: 'flag', path };
    if (f) {
      report(cx, 'notACondition', o.span, { path, type: describeType(f.type) });
      return FALSE;
    }
    if (cx.vocab.objects.has(path)) {
      objectNotValue(cx, o.span, path);
      return FALSE;
    }
    const candidates = [...cx.definitionAsts.keys(), ...cx.vocab.fieldPaths.filter((p) => yesNo(cx.vocab.fields.get(p)!.type))];
    if (chinese(cx, path, o.span, FIELD, fieldTerms(cx))) return FALSE;
    if (o.path.length === 1) report(cx, 'unknownName', o.span, { name: path, ...suggestPair(path, candidates, 'defined terms and yes/no fields') });
    else report(cx, 'unknownField', o.span, { path, ...suggestPair(path, cx.vocab.fieldPaths, 'fields') });
    return FALSE;
  }
  const v = value(cx, o, undefined);
  if (v) mismatch(cx, o.span, `${describeValue(v)} is not a yes/no fact`, 'Compare it, e.g. `provider.launchedAt before 2018-08-01`.', '请进行比较。');
  return FALSE;
}

/**
 * Reports a name written in Chinese where the language reads a `what` (in English and Chinese): TL150
 * with those of `terms` whose Chinese name it is or is part of, their names as the quick fixes; TL151
 * if none has. False, reporting nothing, for a name that is not Chinese.
 */
function chinese(cx: Ctx, word: string, span: Span, what: Term, terms: readonly { readonly name: string; readonly zh: string }[]): boolean {
  if (!isChinese(word)) return false;
  const meant = byChineseName(word, terms);
  if (meant.length === 0) report(cx, 'chineseText', span, { word, what: `a ${what.en}`, whatZh: what.zh });
  else {
    const list = (or: string) => meant.map((t) => `\`${t.name}\` (${t.zh})`).join(or);
    report(cx, 'chineseName', span, { word, meant: list(' or '), meantZh: list(' 或 '), what: what.en, whatZh: what.zh, replacements: meant.map((t) => t.name) });
  }
  return true;
}

/** The fields as `chinese` matches them. */
const fieldTerms = (cx: Ctx) => cx.vocab.vocabulary.fields.map((f) => ({ name: f.path, zh: f.zh }));
/** Codes or values by their Chinese names, in `enumeration`. */
const valueTerms = (cx: Ctx, values: readonly string[], enumeration?: string) => values.flatMap((v) => { const n = cx.vocab.valueNames(v, enumeration); return n ? [{ name: v, zh: n.zh }] : []; });
const FIELD: Term = { en: 'field', zh: '字段' };

function suggestPair(word: string, candidates: readonly string[], what: string): ReturnType<typeof suggest> {
  return suggest(word, candidates, `known ${what}`);
}

function comparison(cx: Ctx, c: A.Comparison): K.Cond {
  // A field on either side tells what a word or quoted text on the other side means (an enum value, say).
  const lf = fieldAt(cx, c.left);
  const rf = fieldAt(cx, c.right);
  const left = lf ?? value(cx, c.left, rf);
  const right = rf ?? value(cx, c.right, lf);
  if (!left || !right) return FALSE;
  // A set holds values: `is` would compare the whole set with one of them, and never hold.
  const set = [lf, rf].find((f) => f?.type.t === 'set');
  if (set) {
    mismatch(cx, c.span, `${set.path} is ${describeType(set.type)}, and \`is\` compares one value with another`, `Ask what it holds: \`${set.path} has …\`.`, `请询问集合所含的值：\`${set.path} has …\`。`);
    return FALSE;
  }
  // Against one field, the other side must be of a kind that field takes: said at that side.
  const single = lf && !rf ? { field: lf, other: right, at: c.right } : rf && !lf ? { field: rf, other: left, at: c.left } : undefined;
  if (single && !fits(single.other, single.field)) {
    wrongKind(cx, single.at.span, single.other, single.field);
    return FALSE;
  }
  const dl = domainOf(left);
  if (!single && dl !== domainOf(right)) {
    mismatch(cx, c.span, `cannot compare ${describeValue(left)} with ${describeValue(right)}`);
    return FALSE;
  }
  if (!writtenOperator(c).domains.includes(dl)) {
    mismatch(cx, c.span, `${describeValue(left)} has no order; only ${comparisonsOf(dl)} compare it`);
    return FALSE;
  }
  if (dl === 'enum' && left.k === 'field' && right.k === 'field') {
    mismatch(cx, c.span, `compare ${describeValue(left)} with one of its values, not with another field`);
    return FALSE;
  }
  return { k: 'cmp', op: c.op, domain: dl, left, right };
}

type FieldValue = Extract<K.Value, { k: 'field' }>;

/** The field an operand names, if it names one; anything else is for value() to read and judge. */
function fieldAt(cx: Ctx, o: A.Operand): FieldValue | undefined {
  const f = o.kind === 'ref' ? cx.vocab.fields.get(o.path.join('.')) : undefined;
  return f && { k: 'field', path: f.path, type: f.type };
}

function domainOf(v: K.Value): K.Domain {
  switch (v.k) {
    case 'date':
    case 'shift':
    case 'moved':
      return 'temporal';
    case 'const':
      return typeof v.value === 'boolean' ? 'bool' : typeof v.value === 'number' ? 'int' : 'enum';
    case 'field':
      switch (v.type.t) {
        case 'date':
        case 'timestamp':
          return 'temporal';
        case 'set':
        case 'enum':
          return 'enum';
        default:
          return v.type.t;
      }
  }
}

function describeValue(v: K.Value): string {
  switch (v.k) {
    case 'field':
      return `${v.path} (${describeType(v.type)})`;
    case 'const':
      return JSON.stringify(v.value);
    case 'date':
      return `the date ${formatDate(v.day)}`;
    case 'shift':
    case 'moved':
      return `a date`;
  }
}

function mismatch(cx: Ctx, span: Span, detail: string, help = 'Compare values of the same kind: a field with a value it can take.', helpZh = '请比较同类的值：字段与其可取的值。'): void {
  report(cx, 'typeMismatch', span, { detail, help, helpZh });
}

function objectNotValue(cx: Ctx, span: Span, path: string): void {
  const inside = cx.vocab.fieldPaths.filter((p) => p.startsWith(`${path}.`));
  mismatch(cx, span, `${path} is an object, not a value`, `Name one of its fields: ${inside.join(', ')}`, `请指明其字段：${inside.join('、')}`);
}

function fieldRef(cx: Ctx, o: A.Operand): FieldValue | undefined {
  const v = value(cx, o, undefined);
  if (v && v.k !== 'field') {
    mismatch(cx, o.span, `expected an event field here, found ${describeValue(v)}`);
    return undefined;
  }
  return v;
}

/**
 * An operand's value. `expected` is the field it is compared with: it lets a bare word or quoted text
 * be read as one of that field's values. Undefined only once a diagnostic says why.
 */
function value(cx: Ctx, o: A.Operand, expected: FieldValue | undefined): K.Value | undefined {
  switch (o.kind) {
    case 'literal':
      if (o.type === 'date') {
        const day = parseDate(o.value);
        if (day === undefined) report(cx, 'invalidDate', o.span, { text: o.value });
        return day === undefined ? undefined : { k: 'date', day };
      }
      if (o.type === 'string' && expected && hasValues(expected.type)) return enumValue(cx, o.value, o.span, expected);
      return { k: 'const', value: o.value };
    case 'shift': {
      const base = value(cx, o.base, undefined);
      const p = period(cx, o.period);
      if (!base || !p) return undefined;
      if (domainOf(base) !== 'temporal') {
        mismatch(cx, o.base.span, `only dates move by a period, and this is ${describeValue(base)}`, 'Put a date field or a date before `plus`.', '`plus` 前应为日期。');
        return undefined;
      }
      return { k: 'shift', base, period: p, sign: o.sign, text: o.period.text };
    }
    case 'moved': {
      const base = value(cx, o.base, undefined);
      if (!base) return undefined;
      if (domainOf(base) !== 'temporal') {
        mismatch(cx, o.base.span, `only a date is ${MOVED_PAST_REST_DAYS}, and this is ${describeValue(base)}`, `Put a date field or a date before \`${MOVED_PAST_REST_DAYS}\`.`, `\`${MOVED_PAST_REST_DAYS}\` 前应为日期。`);
        return undefined;
      }
      if (cx.calendar.years.length === 0) {
        report(cx, 'noCalendar', o.span);
        return undefined;
      }
      // A day the policy names must lie in the declared years: outside them, its holidays are not known.
      const day = constantDay(base);
      const years = cx.calendar.years.map((y) => y.year);
      if (day !== undefined && !years.includes(yearOf(day))) {
        report(cx, 'restDaysUncovered', o.span, { date: formatDate(day), years: `${years[0]} to ${years[years.length - 1]}`, yearsZh: `${years[0]} 至 ${years[years.length - 1]} 年`, year: yearOf(day) });
        return undefined;
      }
      return { k: 'moved', base };
    }
    case 'ref': {
      const f = fieldAt(cx, o);
      if (f) return f;
      const path = o.path.join('.');
      if (expected && hasValues(expected.type) && o.path.length === 1) return enumValue(cx, path, o.span, expected);
      if (cx.vocab.objects.has(path)) objectNotValue(cx, o.span, path);
      else if (o.path.length === 1 && cx.definitionAsts.has(path)) mismatch(cx, o.span, `${path} is a defined condition, not a value`, `Use it on its own: \`… and ${path}\`.`, `请单独使用：\`… and ${path}\`。`);
      else if (!chinese(cx, path, o.span, FIELD, fieldTerms(cx))) report(cx, 'unknownField', o.span, { path, ...suggestPair(path, cx.vocab.fieldPaths, 'fields') });
      return undefined;
    }
  }
}

/** The day of a value that reads no event field (a date, however shifted); undefined for one that does. */
function constantDay(v: K.Value): DayNumber | undefined {
  if (v.k === 'date') return v.day;
  const base = v.k === 'shift' ? constantDay(v.base) : undefined;
  return base === undefined || v.k !== 'shift' ? undefined : addPeriod(base, v.period, v.sign);
}

/** A field a bare name makes a condition of. */
const yesNo = (t: FieldType): boolean => operator('flag').fields.includes(t.t);

const hasValues = (t: FieldType): t is Extract<FieldType, { values: readonly string[] }> => t.t === 'enum' || t.t === 'set';

function enumValue(cx: Ctx, word: string, span: Span, field: FieldValue): K.Value | undefined {
  const values = hasValues(field.type) ? field.type.values : [];
  if (values.includes(word)) return { k: 'const', value: word };
  if (chinese(cx, word, span, { en: `value of ${field.path}`, zh: `${field.path} 的取值` }, valueTerms(cx, values, 'enumeration' in field.type ? field.type.enumeration : undefined))) return undefined;
  report(cx, 'unknownValue', span, { value: word, path: field.path, ...suggest(word, values, `values of ${field.path}`) });
  return undefined;
}

/** A list's values (or `has`'s one value), each of a kind `field` takes; undefined once a diagnostic says why. */
function listOf(cx: Ctx, c: A.OneOf | A.Has, field: FieldValue): K.Scalar[] | undefined {
  if (c.values.length === 0) {
    // What the operator's own predicate says of no values, for a fact that is there (`[]` stands for any) and for one that is not.
    const { words, holds } = writtenOperator(c);
    const meaning = holds(undefined, []) ? 'always holds' : holds([], []) ? `holds whenever ${field.path} is known` : 'never holds';
    const meaningZh = holds(undefined, []) ? '总是成立' : holds([], []) ? `只要 ${field.path} 已知即成立` : '永不成立';
    report(cx, 'emptyList', c.span, { words, meaning, meaningZh });
    return undefined;
  }
  const values = c.values.map((o) => scalar(cx, o, field));
  return values.every((v): v is K.Scalar => v !== undefined) ? values : undefined;
}

/** What one value in a list stands for; undefined once reported (a field or a date is never a list's value). */
function scalar(cx: Ctx, o: A.Operand, field: FieldValue): K.Scalar | undefined {
  const v = value(cx, o, field);
  if (v?.k === 'const' && fits(v, field)) return v.value;
  if (v) wrongKind(cx, o.span, v, field);
  return undefined;
}

/** Whether a value other than a field is of a kind `field` takes; a word's being one of its values is enumValue's to check. */
function fits(v: K.Value, field: FieldValue): boolean {
  return domainOf(v) === domainOf(field) || (field.type.t === 'string' && v.k === 'const' && typeof v.value === 'string');
}

/** TL053 at a value `field` cannot take, saying what the value is and what the field takes. */
function wrongKind(cx: Ctx, span: Span, v: K.Value, field: FieldValue): void {
  const [takes, help, helpZh] = taken(field.type);
  mismatch(cx, span, `${whatItIs(v)}; ${field.path} ${takes}`, help, helpZh);
}

/** What a field of type `t` takes, and the help that says how to write it. */
function taken(t: FieldType): [takes: string, help: string, helpZh: string] {
  switch (t.t) {
    case 'enum':
    case 'set': {
      const list = t.values.join(', ');
      return [`${t.t === 'enum' ? 'takes one of' : 'holds values from'}: ${list}`, `Write one of: ${list}.`, `请写其中之一：${t.values.join('、')}。`];
    }
    case 'int':
      return ['takes a whole number', 'Write a whole number, e.g. 3.', '请写整数，例如 3。'];
    case 'string':
      return ['takes quoted text', 'Write the text in double quotes, e.g. "p-1".', '请把文本写在英文双引号内，例如 "p-1"。'];
    case 'bool':
      return ['takes true or false', 'Write true or false, or use the fact on its own.', '请写 true 或 false，或单独使用该事实。'];
    case 'date':
    case 'timestamp':
      return ['takes a date', 'Write a date (2016-12-01) or a date field, optionally plus or minus a period.', '请写日期（如 2016-12-01）或日期字段，可加减期间。'];
  }
}

/** A value and its kind, in the author's terms: "occurredAt is a field (a point in time)", "3 is a number". */
function whatItIs(v: K.Value): string {
  switch (v.k) {
    case 'field':
      return `${v.path} is a field (${describeType(v.type)})`;
    case 'const':
      return `${JSON.stringify(v.value)} is ${typeof v.value === 'number' ? 'a number' : typeof v.value === 'boolean' ? 'a yes/no value' : 'text'}`;
    case 'date':
      return `${formatDate(v.day)} is a date`;
    case 'shift':
      return `a date ${v.sign > 0 ? 'plus' : 'minus'} ${v.text} is a date`;
    case 'moved':
      return `a date ${MOVED_PAST_REST_DAYS} is a date`;
  }
}

// ---------------------------------------------------------------- limits

/** Refuses a bundle of more rules than LIMITS.rules, and a rule whose expanded condition exceeds LIMITS.ruleWork. */
function checkLimits(cx: Ctx): void {
  const rules = cx.articles.flatMap((a) => a.rules);
  const over = rules[LIMITS.rules];
  if (over) report(cx, 'tooManyRules', over.span, { count: rules.length, max: LIMITS.rules });
  // Each definition's expanded size is counted once, so the count is linear even where the size is not.
  const sizes = new Map<string, number>();
  const size = (c: K.Cond): number => {
    switch (c.k) {
      case 'all':
      case 'any':
        return c.items.reduce((n, i) => n + size(i), 1);
      case 'not':
        return 1 + size(c.item);
      case 'ref': {
        let n = sizes.get(c.name);
        if (n === undefined) sizes.set(c.name, (n = 1 + size(cx.definitions.get(c.name)?.body ?? FALSE)));
        return n;
      }
      default:
        return 1;
    }
  };
  cx.articles.forEach((a, i) => {
    const checked = a.rules.map((r) => {
      const work = size(r.when);
      if (work <= LIMITS.ruleWork) return r;
      report(cx, 'ruleTooMuchWork', r.span, { name: r.name, work, max: LIMITS.ruleWork });
      // What is refused is never expanded by anyone reading this bundle.
      return { ...r, when: FALSE };
    });
    cx.articles[i] = { ...a, rules: checked };
  });
}

// ---------------------------------------------------------------- versions and coverage

function checkVersions(cx: Ctx): void {
  const byArticle = new Map<string, K.CheckedArticle[]>();
  for (const a of cx.articles) {
    const key = `${a.regulation}/${a.article}`;
    byArticle.set(key, [...(byArticle.get(key) ?? []), a]);
  }
  for (const versions of byArticle.values()) {
    for (let i = 0; i < versions.length; i++) {
      for (let j = 0; j < i; j++) {
        const [a, b] = [versions[i]!, versions[j]!];
        const ast = cx.articleFiles.find((f) => f.path === a.file)!;
        if (a.version === b.version) report(cx, 'duplicateVersion', ast.version.span, { regulation: a.regulation, article: a.article, version: a.version, file: b.file });
        else if (a.from < (b.until ?? Infinity) && b.from < (a.until ?? Infinity))
          report(cx, 'overlappingVersions', ast.from.span, { regulation: a.regulation, article: a.article, version: a.version, other: b.version, file: b.file });
      }
    }
  }
}

// Fail closed: a bundle with no regulation, or a regulation with no rule, would decide with less law
// than was meant (an empty or wrong directory, a truncated copy) and allow what the law denies.
function checkCoverage(cx: Ctx): void {
  if (cx.incomplete) return;
  if (!cx.files.some((f) => f.kind === 'regulation')) {
    const policies = cx.files.filter((f) => f.kind !== 'vocabulary' && f.kind !== 'calendar').length;
    const detail = policies === 0 ? 'there are no policy files' : `none of its ${policies} policy file(s) is a regulation file`;
    const detailZh = policies === 0 ? '没有政策文件' : `其 ${policies} 个政策文件中没有法规文件`;
    report(cx, 'noRegulation', fileStart(cx.files[0]?.path ?? BUNDLE_FILE), { detail, detailZh, name: cx.articleFiles[0]?.regulation.text ?? 'live-2016' });
  }
  for (const f of cx.files) {
    if (f.kind !== 'regulation' || cx.regulations.get(f.id.text)?.file !== f.path) continue;
    const present = new Set(cx.articleFiles.filter((a) => a.regulation.text === f.id.text).map((a) => a.article.value));
    for (let n = 1; n <= f.articleCount.value; n++) {
      if (!present.has(n)) report(cx, 'missingArticle', f.articleCount.span, { regulation: f.id.text, article: n });
    }
    if (!cx.articles.some((a) => a.regulation === f.id.text && a.rules.length > 0)) {
      const detail = f.articleCount.value === 0 ? 'it declares articles 0' : `none of its ${present.size} article file(s) has a rule`;
      const detailZh = f.articleCount.value === 0 ? '它声明共 0 条' : `其 ${present.size} 个条文文件都没有规则`;
      report(cx, 'regulationWithoutRules', f.id.span, { regulation: f.id.text, detail, detailZh });
    }
  }
}

/**
 * TL024 for each regulation `running` has and `next` does not: a new revision that drops one would
 * stop deciding under it. For the caller that replaces a running revision (the admin route, a CLI).
 */
export function droppedRegulations(running: K.CheckedBundle, next: K.CheckedBundle): Diagnostic[] {
  const kept = new Set(next.regulations.map((r) => r.id));
  return running.regulations.filter((r) => !kept.has(r.id)).map((r) => diagnostic('droppedRegulation', fileStart(r.file), { regulation: r.id, file: r.file }));
}

