// CST → AST: the one place where syntax gets meaning. Plain functions over the generated CST types
// (cst.d.ts), so a grammar change that breaks lowering breaks the build. It never throws: a piece the
// parser had to recover from is left out, and the parse errors already say why.
import type { CstNode, IToken } from 'chevrotain';
import type * as C from './cst.js';
import type * as A from './ast.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { spanBetween, tokenSpan, type Span } from './source.js';

interface Ctx {
  readonly file: string;
  readonly diagnostics: Diagnostic[];
}

/** A token the parser really read (not one it made up while recovering). */
function real(tokens: IToken[] | undefined, i = 0): IToken | undefined {
  const t = tokens?.[i];
  return t && !t.isInsertedInRecovery && !Number.isNaN(t.startOffset) ? t : undefined;
}

function nodeSpan(cx: Ctx, node: CstNode): Span {
  const l = node.location;
  if (!l || Number.isNaN(l.startOffset)) return { file: cx.file, start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
  return spanBetween(cx.file, { startOffset: l.startOffset, startLine: l.startLine, startColumn: l.startColumn } as IToken, {
    startOffset: l.startOffset,
    endOffset: l.endOffset,
    endLine: l.endLine,
    endColumn: l.endColumn,
  } as IToken);
}

/** The kinds of file and the items misplaced in them, in Chinese, for TL026's message. */
const FILE_KINDS_ZH = { calendar: '日历', vocabulary: '词汇', policy: '政策', regulation: '法规', article: '条文' } as const;
const ITEMS_ZH: Readonly<Record<string, string>> = { paragraph: '条文原文', rule: '规则', 'non-operative declaration': '不适用声明' };

/**
 * A token's text, held one byte a character when it has no character past U+00FF. Sliced from a
 * file that holds Chinese, it would be held two bytes a character, as the file is; names and codes
 * go into every decision, where each encoding of it (JSON, UTF-8 output, the log's hash) costs
 * several times as much for the wide form. (JSON.parse gives the narrow form where it can.)
 */
const image = (t: IToken): string => JSON.parse(JSON.stringify(t.image)) as string;

const name = (cx: Ctx, t: IToken | undefined): A.Name | undefined => (t ? { text: image(t), span: tokenSpan(cx.file, t) } : undefined);
const num = (cx: Ctx, t: IToken | undefined): A.NumberNode | undefined => (t ? { value: Number(t.image), span: tokenSpan(cx.file, t) } : undefined);
const date = (cx: Ctx, t: IToken | undefined): A.DateNode | undefined => (t ? { text: image(t), span: tokenSpan(cx.file, t) } : undefined);

function text(cx: Ctx, t: IToken | undefined): A.Text | undefined {
  if (!t) return undefined;
  const span = tokenSpan(cx.file, t);
  const body = t.image.slice(1, -1);
  // Escapes come in pairs: after taking out every \" and \\, no backslash may remain.
  if (body.replace(/\\["\\]/g, '').includes('\\')) cx.diagnostics.push(diagnostic('invalidString', span));
  return { value: body.replace(/\\(["\\])/g, '$1'), span };
}

export function lowerFile(path: string, cst: C.FileCstNode, diagnostics: Diagnostic[]): A.PolicyFile | undefined {
  const cx: Ctx = { file: path, diagnostics };
  const definitions: A.Definition[] = [];
  const rules: A.Rule[] = [];
  const paragraphs: A.Paragraph[] = [];
  const fields: A.FieldDecl[] = [];
  const declarations: A.VocabularyItem[] = [];
  /** Items the file's kind has no place for: vocabulary items outside a vocabulary, rules inside one. */
  const policyItems: Span[] = [];
  const vocabularyItems: Span[] = [];
  const years: A.YearDecl[] = [];
  const calendarItems: Span[] = [];
  let nonOperative: { reason: A.Text; span: Span } | undefined;
  for (const item of cst.children.item ?? []) {
    const c = item.children;
    if (c.definition) push(definitions, lowerDefinition(cx, c.definition[0]!));
    else if (c.rule) push(rules, lowerRule(cx, c.rule[0]!));
    else if (c.paragraph) push(paragraphs, lowerParagraph(cx, c.paragraph[0]!));
    else if (c.nonOperative) {
      const reason = text(cx, real(c.nonOperative[0]!.children.StringLiteral));
      const here = nodeSpan(cx, c.nonOperative[0]!);
      if (nonOperative) repeated(cx, 'non-operative because', here, nonOperative.span);
      else if (reason) nonOperative = { reason, span: here };
    } else if (c.fieldDecl) push(fields, lowerField(cx, c.fieldDecl[0]!));
    else if (c.yearDecl) push(years, lowerYear(cx, c.yearDecl[0]!));
    else push(declarations, lowerDeclaration(cx, c));
    (c.definition || c.rule || c.paragraph || c.nonOperative ? policyItems : c.yearDecl ? calendarItems : vocabularyItems).push(nodeSpan(cx, item));
  }
  const span = nodeSpan(cx, cst);

  const cal = cst.children.calendarHeader?.[0];
  if (cal) {
    const id = name(cx, real(cal.children.Identifier));
    if (!id) return undefined;
    const help = 'Put it in its own kind of file; the calendar file declares only years of holidays.';
    const helpZh = '请放入相应类型的文件；日历文件只声明各年的节假日。';
    for (const s of [...policyItems, ...vocabularyItems].sort((a, b) => a.start.offset - b.start.offset)) cx.diagnostics.push(diagnostic('misplacedItem', s, { what: 'a policy or vocabulary item', whatZh: '政策或词汇条目', kind: 'calendar', kindZh: FILE_KINDS_ZH.calendar, help, helpZh }));
    return { kind: 'calendar', path, id, ...titles(cx, cal.children.title), years, span };
  }
  const elsewhere = cst.children.vocabularyHeader ? 'vocabulary' : cst.children.regulationHeader ? 'regulation' : 'article';
  for (const s of calendarItems) cx.diagnostics.push(diagnostic('misplacedItem', s, { what: 'a year of the holiday calendar', whatZh: '节假日日历的年份', kind: elsewhere, kindZh: FILE_KINDS_ZH[elsewhere], help: 'Declare the year in the calendar file (policies/calendar.tiaoli, which starts `calendar NAME`).', helpZh: '请在日历文件中声明该年（policies/calendar.tiaoli，以 `calendar 名称` 开头）。' }));

  const voc = cst.children.vocabularyHeader?.[0];
  if (voc) {
    const h = voc.children;
    const id = name(cx, real(h.Identifier));
    if (!id) return undefined;
    for (const s of policyItems) cx.diagnostics.push(diagnostic('misplacedItem', s, { what: 'a paragraph, definition or rule', whatZh: '条文原文、定义或规则', kind: 'vocabulary', kindZh: FILE_KINDS_ZH.vocabulary, help: 'Put it in an article file; a vocabulary file declares only what events and rules may name.', helpZh: '请放入条文文件；词汇文件只声明事件和规则可用的名称。' }));
    const { titleZh, titleEn } = titles(cx, h.title);
    return { kind: 'vocabulary', path, id, base: name(cx, real(h.base)), titleZh, titleEn, fields, items: declarations, span };
  }
  for (const s of vocabularyItems) cx.diagnostics.push(diagnostic('misplacedItem', s, { what: 'a vocabulary declaration', whatZh: '词汇声明', kind: 'policy', kindZh: FILE_KINDS_ZH.policy, help: 'Declare fields, enumerations, objects, event types and conflicts in a vocabulary file (one that starts with `vocabulary NAME`).', helpZh: '字段、枚举、对象、事件类型和冲突应在词汇文件中声明（以 `vocabulary 名称` 开头的文件）。' }));

  const reg = cst.children.regulationHeader?.[0];
  if (reg) {
    const h = reg.children;
    const id = name(cx, real(h.Identifier));
    const inForce = date(cx, real(h.inForce));
    const articleCount = num(cx, real(h.Integer));
    if (!id || !inForce || !articleCount) return undefined;
    const { titleZh, titleEn } = titles(cx, h.title);
    // A regulation file holds its header and definitions; an article's clauses there would go unread.
    const stray: { item: string; span: Span }[] = [...paragraphs, ...rules].map((x) => ({ item: x.kind, span: x.span }));
    if (nonOperative) stray.push({ item: 'non-operative declaration', span: nonOperative.span });
    const help = `Move it to its article's file, ${id.text}/article-NN.tiaoli; a regulation file holds only its header and definitions.`;
    const helpZh = `请移至相应条文的文件 ${id.text}/article-NN.tiaoli；法规文件只含文件头和定义。`;
    for (const x of stray.sort((a, b) => a.span.start.offset - b.span.start.offset)) cx.diagnostics.push(diagnostic('misplacedItem', x.span, { what: `a ${x.item}`, whatZh: ITEMS_ZH[x.item] ?? x.item, kind: 'regulation', kindZh: FILE_KINDS_ZH.regulation, help, helpZh }));
    const repealed = date(cx, real(h.repealed));
    return { kind: 'regulation', path, id, titleZh, titleEn, inForce, repealed, articleCount, definitions, span };
  }

  const art = cst.children.articleHeader?.[0];
  if (!art) return undefined;
  const h = art.children;
  const article = num(cx, real(h.article));
  const regulation = name(cx, real(h.Identifier));
  const version = num(cx, real(h.version));
  const from = date(cx, real(h.from));
  if (!article || !regulation || !version || !from) return undefined;
  return { kind: 'article', path, article, regulation, version, from, until: date(cx, real(h.until)), paragraphs, nonOperative: nonOperative?.reason, definitions, rules, span };
}

/**
 * A clause given a second time. An error, not a warning: it is law text (a title, the reason an article
 * decides nothing) that only one of the two could be, and which was meant cannot be told; the first stands.
 */
function repeated(cx: Ctx, clause: string, span: Span, first: Span): void {
  cx.diagnostics.push(diagnostic('repeatedClause', span, { clause, line: first.start.line }));
}

/** A header's titles, one per language: a second is reported, and the first stands. */
function titles(cx: Ctx, nodes: C.TitleCstNode[] | undefined): { titleZh?: A.Text; titleEn?: A.Text } {
  const found: { zh?: { value?: A.Text; span: Span }; en?: { value?: A.Text; span: Span } } = {};
  for (const t of nodes ?? []) {
    const lang = t.children.Zh ? 'zh' : 'en';
    const first = found[lang];
    if (first) repeated(cx, `title ${lang}`, nodeSpan(cx, t), first.span);
    else found[lang] = { value: text(cx, real(t.children.StringLiteral)), span: nodeSpan(cx, t) };
  }
  return { titleZh: found.zh?.value, titleEn: found.en?.value };
}

// ------------------------------------------------------------------ the holiday calendar

function lowerYear(cx: Ctx, node: C.YearDeclCstNode): A.YearDecl | undefined {
  const c = node.children;
  const year = num(cx, real(c.Integer));
  if (!year) return undefined;
  const sources = defined((c.source ?? []).map((t) => text(cx, real([t]))));
  return { kind: 'year', year, sources, holidays: defined((c.holidayDecl ?? []).map((h) => lowerHoliday(cx, h))), span: nodeSpan(cx, node) };
}

function lowerHoliday(cx: Ctx, node: C.HolidayDeclCstNode): A.HolidayDecl | undefined {
  const c = node.children;
  const from = date(cx, real(c.on) ?? real(c.from));
  const to = date(cx, real(c.to));
  if (!from || (c.To && !to)) return undefined;
  const worked = defined((c.worked ?? []).map((t) => date(cx, real([t]))));
  return { names: lowerNames(cx, c.names?.[0]), from, to, worked, span: nodeSpan(cx, node) };
}

// ------------------------------------------------------------------ vocabulary declarations

function lowerNames(cx: Ctx, node: C.NamesCstNode | undefined): A.Names {
  const c = node?.children;
  if (!c) return {};
  return { zh: text(cx, real(c.zh)), en: text(cx, real(c.en)), aboutZh: text(cx, real(c.aboutZh)), aboutEn: text(cx, real(c.aboutEn)) };
}

function lowerField(cx: Ctx, node: C.FieldDeclCstNode): A.FieldDecl | undefined {
  const c = node.children;
  const n = name(cx, real(c.Identifier));
  const t = c.typeExpr?.[0];
  if (!n || !t) return undefined;
  const tc = t.children;
  const word = name(cx, real(tc.enumeration) ? real(tc.One) : real(tc.word));
  if (!word) return undefined;
  const type: A.TypeExpr = { word, of: name(cx, real(tc.enumeration) ?? real(tc.of)), min: num(cx, real(tc.min)), max: num(cx, real(tc.max)), or: name(cx, real(tc.or)), span: nodeSpan(cx, t) };
  const why = text(cx, real(c.absentWhy));
  const clause = real(c.Absent);
  const absent = clause && why !== undefined ? { means: c.False ? ('false' as const) : ('[]' as const), why, span: tokenSpan(cx.file, clause) } : undefined;
  return { name: n, type, required: c.Required !== undefined, ...(absent && { absent }), names: lowerNames(cx, c.names?.[0]), span: nodeSpan(cx, node) };
}

function lowerValueDecl(cx: Ctx, node: C.ValueDeclCstNode): A.ValueDecl | undefined {
  const c = node.children;
  const n = name(cx, real(c.Identifier));
  if (!n) return undefined;
  const metBy = (c.metBy ?? []).map((t) => name(cx, real([t]))).filter((x): x is A.Name => x !== undefined);
  return { name: n, names: lowerNames(cx, c.names?.[0]), metBy, span: nodeSpan(cx, node) };
}

const defined = <T>(xs: readonly (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

function lowerDeclaration(cx: Ctx, c: C.ItemCstChildren): A.VocabularyItem | undefined {
  if (c.enumerationDecl) {
    const node = c.enumerationDecl[0]!;
    const e = node.children;
    const n = name(cx, real(e.Identifier));
    const outcome = name(cx, real(e.Verification) ?? real(e.Label) ?? real(e.outcome));
    if (!n) return undefined;
    return { kind: 'enumeration', extend: false, name: n, outcome, names: lowerNames(cx, e.names?.[0]), values: defined((e.valueDecl ?? []).map((v) => lowerValueDecl(cx, v))), span: nodeSpan(cx, node) };
  }
  if (c.objectDecl) {
    const node = c.objectDecl[0]!;
    const o = node.children;
    const n = name(cx, real(o.Identifier));
    if (!n) return undefined;
    return { kind: 'object', extend: false, name: n, names: lowerNames(cx, o.names?.[0]), fields: defined((o.fieldDecl ?? []).map((f) => lowerField(cx, f))), span: nodeSpan(cx, node) };
  }
  if (c.extendDecl) {
    const node = c.extendDecl[0]!;
    const x = node.children;
    const n = name(cx, real(x.Identifier));
    if (!n) return undefined;
    const span = nodeSpan(cx, node);
    if (x.ObjectKw) return { kind: 'object', extend: true, name: n, names: {}, fields: defined((x.fieldDecl ?? []).map((f) => lowerField(cx, f))), span };
    return { kind: 'enumeration', extend: true, name: n, names: {}, values: defined((x.valueDecl ?? []).map((v) => lowerValueDecl(cx, v))), span };
  }
  if (c.eventDecl) {
    const node = c.eventDecl[0]!;
    const e = node.children;
    const type = e.dottedName?.[0] && lowerDotted(cx, e.dottedName[0]);
    if (!type) return undefined;
    const kind = e.kind?.[0] && lowerDotted(cx, e.kind[0]);
    const created = e.created?.[0] && lowerDotted(cx, e.created[0]);
    if (e.Deletes && (!kind || !created)) return undefined;
    return {
      kind: 'event',
      name: { text: type.path.join('.'), span: type.span },
      names: lowerNames(cx, e.names?.[0]),
      requires: defined((e.requires ?? []).map((t) => name(cx, real([t])))),
      deletes: kind && created ? { kind, created } : undefined,
      span: nodeSpan(cx, node),
    };
  }
  if (c.conflictDecl) {
    const node = c.conflictDecl[0]!;
    const k = node.children;
    const first = k.first?.[0] && lowerPattern(cx, k.first[0]);
    const second = k.second?.[0] && lowerPattern(cx, k.second[0]);
    const because = text(cx, real(k.StringLiteral));
    const on = k.dottedName?.[0] && lowerDotted(cx, k.dottedName[0]);
    if (!first || !second || !because || (k.On && !on)) return undefined;
    return { kind: 'conflict', first, second, on: on ? { text: on.path.join('.'), span: on.span } : undefined, because, span: nodeSpan(cx, node) };
  }
  return undefined;
}

/** The kind of an outcome, or of a conflict's pattern of one, by its words: both read them alike. */
const outcomeKind = (c: { Deny?: unknown; Require?: unknown; Verification?: unknown; Take?: unknown; Retain?: unknown }): A.OutcomeKind =>
  c.Deny ? 'deny' : c.Require ? (c.Verification ? 'verification' : 'label') : c.Take ? 'disposal' : c.Retain ? 'retain' : 'oblige';

function lowerPattern(cx: Ctx, node: C.OutcomePatternCstNode): A.OutcomePattern | undefined {
  const c = node.children;
  const span = nodeSpan(cx, node);
  const kind = outcomeKind(c);
  if (kind === 'deny') return { kind, span };
  const code = name(cx, real(c.Identifier));
  return code && { kind, code, span };
}

function push<T>(list: T[], x: T | undefined): void {
  if (x !== undefined) list.push(x);
}

function lowerParagraph(cx: Ctx, node: C.ParagraphCstNode): A.Paragraph | undefined {
  const c = node.children;
  const number = num(cx, real(c.Integer));
  const zh = text(cx, real(c.zh));
  if (!number || !zh) return undefined;
  return { kind: 'paragraph', number, zh, en: text(cx, real(c.en)), span: nodeSpan(cx, node) };
}

function lowerDefinition(cx: Ctx, node: C.DefinitionCstNode): A.Definition | undefined {
  const n = name(cx, real(node.children.Identifier));
  const body = lowerCondition(cx, node.children.condition?.[0]);
  if (!n || !body) return undefined;
  return { kind: 'definition', name: n, body, span: nodeSpan(cx, node) };
}

function lowerRule(cx: Ctx, node: C.RuleCstNode): A.Rule | undefined {
  const c = node.children;
  const n = name(cx, real(c.Identifier));
  if (!n) return undefined;
  const on = (c.dottedName ?? []).map((d) => lowerDotted(cx, d)).filter((x): x is A.Ref => x !== undefined);
  const outcomes = (c.outcome ?? []).map((o) => lowerOutcome(cx, o)).filter((x): x is A.Outcome => x !== undefined);
  const when = c.condition ? lowerCondition(cx, c.condition[0]) : undefined;
  if (c.condition && !when) return undefined;
  const citation = c.citation ? lowerCitation(cx, c.citation[0]!) : undefined;
  return {
    kind: 'rule',
    name: n,
    citation,
    // A citation begun but not finished (`cites live-2016 art`), or a rule the parser had to recover in:
    // being written, and its syntax error says what is missing.
    ...((c.citation && !citation) || node.recoveredNode ? { unfinished: true as const } : {}),
    on: on.map((r) => ({ text: r.path.join('.'), span: r.span })),
    when,
    outcomes,
    span: nodeSpan(cx, node),
  };
}

function lowerCitation(cx: Ctx, node: C.CitationCstNode): A.Citation | undefined {
  const c = node.children;
  const regulation = name(cx, real(c.Identifier));
  const article = num(cx, real(c.article));
  if (!regulation || !article) return undefined;
  return { kind: 'citation', regulation, article, paragraph: num(cx, real(c.paragraph)), span: nodeSpan(cx, node) };
}

function lowerDotted(cx: Ctx, node: C.DottedNameCstNode): A.Ref | undefined {
  // Recovery can leave a node without the children its type promises.
  const parts = (node.children.Identifier ?? []).map((t) => (real([t]) ? image(t) : undefined));
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  return { kind: 'ref', path: parts as string[], span: nodeSpan(cx, node) };
}

function lowerCondition(cx: Ctx, node: C.ConditionCstNode | undefined): A.Condition | undefined {
  if (!node) return undefined;
  const items = (node.children.conjunction ?? []).map((c) => lowerConjunction(cx, c));
  if (items.length === 0 || items.some((i) => !i)) return undefined;
  return items.length === 1 ? items[0] : { kind: 'any', items: items as A.Condition[], span: nodeSpan(cx, node) };
}

function lowerConjunction(cx: Ctx, node: C.ConjunctionCstNode): A.Condition | undefined {
  const items = (node.children.negation ?? []).map((n) => lowerNegation(cx, n));
  if (items.length === 0 || items.some((i) => !i)) return undefined;
  return items.length === 1 ? items[0] : { kind: 'all', items: items as A.Condition[], span: nodeSpan(cx, node) };
}

function lowerNegation(cx: Ctx, node: C.NegationCstNode): A.Condition | undefined {
  const c = node.children;
  if (c.negation) {
    const item = lowerNegation(cx, c.negation[0]!);
    return item && { kind: 'not', item, span: nodeSpan(cx, node) };
  }
  const atom = c.atom?.[0];
  if (!atom) return undefined;
  if (atom.children.condition) return lowerCondition(cx, atom.children.condition[0]);
  const test = atom.children.test?.[0];
  return test && lowerTest(cx, test);
}

function lowerTest(cx: Ctx, node: C.TestCstNode): A.Condition | undefined {
  const operand = lowerOperand(cx, node.children.operand?.[0]);
  if (!operand) return undefined;
  const span = nodeSpan(cx, node);
  const pred = node.children.predicate?.[0]?.children;
  if (!pred) return { kind: 'truth', operand, span };

  if (pred.isPredicate) {
    const p = pred.isPredicate[0]!.children;
    const negated = p.Not !== undefined;
    if (p.Present || p.Absent) return { kind: 'present', operand, present: (p.Present !== undefined) !== negated, span };
    if (p.list) {
      const values = lowerList(cx, p.list[0]!);
      return values && { kind: 'oneOf', operand, values, negated, span };
    }
    const right = lowerOperand(cx, p.operand?.[0]);
    return right && { kind: 'compare', op: negated ? '!=' : '=', left: operand, right, span };
  }
  if (pred.orderPredicate) {
    const p = pred.orderPredicate[0]!.children;
    const op: A.CompareOp =
      p.Less || p.Before ? '<' : p.LessEq || p.onOrBefore ? '<=' : p.Greater || p.After ? '>' : '>=';
    const right = lowerOperand(cx, p.operand?.[0]);
    return right && { kind: 'compare', op, left: operand, right, span };
  }
  if (pred.hasPredicate) {
    const p = pred.hasPredicate[0]!.children;
    if (p.list) {
      const values = lowerList(cx, p.list[0]!);
      return values && { kind: 'has', mode: p.Any ? 'any' : 'all', operand, values, span };
    }
    const v = p.value ? lowerValue(cx, p.value[0]!) : undefined;
    return v && { kind: 'has', mode: 'one', operand, values: [v], span };
  }
  const code = name(cx, real(pred.Identifier));
  return code && { kind: 'meets', operand, code, span };
}

function lowerList(cx: Ctx, node: C.ListCstNode): A.Operand[] | undefined {
  const values = (node.children.value ?? []).map((v) => lowerValue(cx, v));
  return values.some((v) => !v) ? undefined : (values as A.Operand[]);
}

function lowerOperand(cx: Ctx, node: C.OperandCstNode | undefined): A.Operand | undefined {
  if (!node) return undefined;
  const shifted = lowerShifted(cx, node);
  const days = real(node.children.Days);
  if (!node.children.Moved) return shifted;
  return shifted && days ? { kind: 'moved', base: shifted, span: { ...shifted.span, end: tokenSpan(cx.file, days).end } } : undefined;
}

function lowerShifted(cx: Ctx, node: C.OperandCstNode): A.Operand | undefined {
  let operand: A.Operand | undefined = node.children.value?.[0] && lowerValue(cx, node.children.value[0]);
  for (const s of node.children.shift ?? []) {
    const period = real(s.children.Duration);
    if (!operand || !period) return undefined;
    operand = {
      kind: 'shift',
      base: operand,
      sign: s.children.Minus ? -1 : 1,
      period: { text: image(period), span: tokenSpan(cx.file, period) },
      span: { ...operand.span, end: tokenSpan(cx.file, period).end },
    };
  }
  return operand;
}

function lowerValue(cx: Ctx, node: C.ValueCstNode): A.Operand | undefined {
  const c = node.children;
  if (c.dottedName) return lowerDotted(cx, c.dottedName[0]!);
  const span = nodeSpan(cx, node);
  const d = real(c.DateLiteral);
  if (d) return { kind: 'literal', type: 'date', value: image(d), span };
  const i = real(c.Integer);
  if (i) return { kind: 'literal', type: 'int', value: Number(i.image), span };
  const s = text(cx, real(c.StringLiteral));
  if (s) return { kind: 'literal', type: 'string', value: s.value, span };
  if (c.True || c.False) return { kind: 'literal', type: 'bool', value: c.True !== undefined, span };
  return undefined;
}

function lowerOutcome(cx: Ctx, node: C.OutcomeCstNode): A.Outcome | undefined {
  const c = node.children;
  const span = nodeSpan(cx, node);
  const kind = outcomeKind(c);
  if (kind === 'deny') return { kind, span };
  const code = name(cx, real(c.Identifier));
  if (!code) return undefined;
  if (kind === 'verification' || kind === 'label' || kind === 'disposal') return { kind, code, span };
  if (kind === 'retain') {
    const period = real(c.Duration);
    const from = lowerOperand(cx, c.from?.[0]);
    return period && from ? { kind: 'retain', record: code, period: { text: image(period), span: tokenSpan(cx.file, period) }, from, span } : undefined;
  }
  const due = c.due ? lowerOperand(cx, c.due[0]) : undefined;
  if (c.due && !due) return undefined;
  return { kind: 'oblige', code, due, span };
}
