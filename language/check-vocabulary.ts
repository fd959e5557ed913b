// Vocabulary files → the bundle's checked vocabulary: the base vocabulary and those extending it,
// merged, every name resolved, every type known. The first stage of checking: everything after it
// reads what this declares, and nothing else declares a field, a code or an event type.
import type * as A from './ast.js';
import type * as K from './checked.js';
import { suggest, type DiagnosticArgs, type DiagnosticKind } from './diagnostics.js';
import { BUNDLE_FILE, fileStart, type Span } from './source.js';
import { CODE_KIND_OF, CODE_KIND_ZH, CODE_KINDS, EVENT_TYPE, missingNames } from './vocabulary.js';

type Report = (kind: DiagnosticKind, span: Span, args?: DiagnosticArgs) => void;

/** The fields every event has, whatever its vocabulary: the engine dates, names and routes it by them. */
export const ENVELOPE = [
  { path: 'id', word: 'text' },
  { path: 'type', word: EVENT_TYPE },
  { path: 'occurredAt', word: 'timestamp' },
] as const;

const SCALARS: Readonly<Record<string, K.FieldType['t']>> = { flag: 'bool', integer: 'int', text: 'string', date: 'date', timestamp: 'timestamp' };
const TYPE_WORDS = ['flag', 'integer', 'text', 'date', 'timestamp', 'one of ENUMERATION', 'set of ENUMERATION'];
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Declared<T> {
  readonly decl: T;
  readonly file: string;
}

/** The merged vocabulary, or undefined when the bundle has none to merge (reported). */
export function checkVocabulary(files: readonly A.PolicyFile[], report: Report): K.Vocabulary | undefined {
  const ordered = order(files.filter((f): f is A.VocabularyFile => f.kind === 'vocabulary'), files, report);
  if (!ordered) return undefined;

  const enumerations = new Map<string, { decl: A.EnumerationDecl; file: string; values: Declared<A.ValueDecl>[] }>();
  const objects = new Map<string, { decl: A.ObjectDecl; file: string; fields: Declared<A.FieldDecl>[] }>();
  const events = new Map<string, Declared<A.EventDecl>>();
  const conflicts: A.ConflictDecl[] = [];
  const extensions: Declared<A.EnumerationDecl | A.ObjectDecl>[] = [];
  const root: Declared<A.FieldDecl>[] = [];
  const twice = (what: string, name: A.Name, file: string) => report('declaredTwice', name.span, { what, name: name.text, file });

  for (const f of ordered) {
    root.push(...f.fields.map((decl) => ({ decl, file: f.path })));
    for (const item of f.items) {
      if (item.kind === 'conflict') conflicts.push(item);
      else if (item.kind === 'event') {
        const seen = events.get(item.name.text);
        if (seen) twice('event type', item.name, seen.file);
        else events.set(item.name.text, { decl: item, file: f.path });
      } else if (item.extend) extensions.push({ decl: item, file: f.path });
      else if (item.kind === 'enumeration') {
        const seen = enumerations.get(item.name.text);
        if (seen) twice('enumeration', item.name, seen.file);
        else enumerations.set(item.name.text, { decl: item, file: f.path, values: item.values.map((decl) => ({ decl, file: f.path })) });
      } else {
        const seen = objects.get(item.name.text);
        if (seen) twice('object', item.name, seen.file);
        else objects.set(item.name.text, { decl: item, file: f.path, fields: item.fields.map((decl) => ({ decl, file: f.path })) });
      }
    }
  }
  // An extension adds to a declaration, wherever that is: the files are merged before anything is resolved.
  for (const { decl, file } of extensions) {
    const target = decl.kind === 'enumeration' ? enumerations.get(decl.name.text) : objects.get(decl.name.text);
    if (!target) {
      const known = [...(decl.kind === 'enumeration' ? enumerations : objects).keys()];
      report('undeclared', decl.name.span, { what: decl.kind, name: decl.name.text, ...suggest(decl.name.text, known, `declared ${decl.kind}s`) });
    } else if ('values' in target && decl.kind === 'enumeration') target.values.push(...decl.values.map((d) => ({ decl: d, file })));
    else if ('fields' in target && decl.kind === 'object') target.fields.push(...decl.fields.map((d) => ({ decl: d, file })));
  }

  /** The names as given; a name not given is the declared word itself. */
  const optionalNames = (name: A.Name, n: A.Names): K.Named => ({ zh: n.zh?.value ?? name.text, en: n.en?.value ?? name.text, ...(n.aboutZh && { aboutZh: n.aboutZh.value }), ...(n.aboutEn && { aboutEn: n.aboutEn.value }) });
  const named = (what: string, name: A.Name, n: A.Names): K.Named => {
    if (!n.zh || !n.en) report('missingNames', name.span, { what, name: name.text, ...missingNames(n) });
    return optionalNames(name, n);
  };

  // ------------------------------------------------------------ enumerations and codes
  const checkedEnums: K.VocabularyEnumeration[] = [];
  const codeOwners = new Map<K.CodeKind, string>();
  for (const [name, { decl, file, values }] of enumerations) {
    let codes: K.CodeKind | undefined;
    if (decl.outcome) {
      const kind = decl.outcome.text as K.CodeKind;
      if (!CODE_KINDS.includes(kind)) report('undeclared', decl.outcome.span, { what: 'outcome kind', name: kind, ...suggest(kind, CODE_KINDS, 'outcome kinds') });
      else if (codeOwners.has(kind)) report('declaredTwice', decl.outcome.span, { what: `enumeration for ${kind}`, name, file: codeOwners.get(kind)! });
      else {
        codeOwners.set(kind, file);
        codes = kind;
      }
    }
    const seen = new Map<string, string>();
    const checkedValues: K.VocabularyValue[] = [];
    for (const { decl: v, file: vf } of values) {
      if (seen.has(v.name.text)) {
        twice(`value of ${name}`, v.name, seen.get(v.name.text)!);
        continue;
      }
      seen.set(v.name.text, vf);
      if (v.metBy.length > 0 && codes !== 'verification') {
        shape(report, v.metBy[0]!.span, `only a verification code is met by identities, and ${name} holds ${codes ? `${codes} codes` : 'no codes'}`, 'Put `met by` on the values of the enumeration declared `for verification`.', '`met by` 只用于 `for verification` 枚举的值。');
      }
      checkedValues.push({ name: v.name.text, ...named('value', v.name, v.names), ...(codes === 'verification' && { metBy: v.metBy.map((m) => m.text) }) });
    }
    checkedEnums.push({ name, file, ...optionalNames(decl.name, decl.names), ...(codes && { codes }), values: checkedValues });
  }
  checkedEnums.sort((a, b) => cmp(a.name, b.name));
  const enumByName = new Map(checkedEnums.map((e) => [e.name, e]));
  const eventTypes = [...events.keys()].sort(cmp);

  // ------------------------------------------------------------ fields
  const fields: K.VocabularyField[] = [];
  const checkedObjects: K.VocabularyObject[] = [];
  const fieldType = (d: A.FieldDecl, atRoot: boolean): K.FieldType | 'object' | undefined => {
    const t = d.type;
    const word = t.word.text;
    const bounds = t.min ?? t.max;
    if (bounds && word !== 'integer') shape(report, bounds.span, `only an integer has bounds, and ${d.name.text} is ${word}`, 'Remove `from`/`to`, or make the field `integer`.', '请删除 `from`/`to`，或将字段设为 `integer`。');
    if (t.min && t.max && t.min.value > t.max.value) shape(report, t.max.span, `${d.name.text} can hold no number from ${t.min.value} to ${t.max.value}`, 'Give the lower bound first: `integer from 0 to 100`.', '请先写下限：`integer from 0 to 100`。');
    if (t.or && t.or.text !== 'null') shape(report, t.or.span, `a field may be \`or null\`, not \`or ${t.or.text}\``, 'Write `or null`, or declare an enumeration with both values.', '请写作 `or null`，或声明含两者的枚举。');
    if (t.of && word !== 'set' && word !== 'one') shape(report, t.of.span, `only \`set of\` and \`one of\` name an enumeration, not \`${word} of\``, 'Write `set of ENUMERATION` or `one of ENUMERATION`.', '请写作 `set of 枚举` 或 `one of 枚举`。');
    if (word === 'one' || word === 'set') {
      const e = t.of && enumByName.get(t.of.text);
      if (!t.of) shape(report, t.word.span, '`set` needs the enumeration of its values', 'Write `set of ENUMERATION`.', '请写作 `set of 枚举`。');
      else if (!e) report('undeclared', t.of.span, { what: 'enumeration', name: t.of.text, ...suggest(t.of.text, [...enumByName.keys()], 'declared enumerations') });
      return e && { t: word === 'one' ? 'enum' : 'set', values: e.values.map((v) => v.name), enumeration: e.name };
    }
    if (word === EVENT_TYPE && atRoot) return { t: 'enum', values: eventTypes, enumeration: EVENT_TYPE };
    const scalar = SCALARS[word];
    if (scalar) return { t: scalar } as K.FieldType;
    if (objects.has(word)) {
      if (atRoot) return 'object';
      shape(report, t.word.span, `${word} is an object, and objects are carried by the event itself, not by another object`, `Declare the field \`${d.name.text}\` in the vocabulary's header, or give it a type of values.`, `请在词汇文件头部声明字段 \`${d.name.text}\`，或使用值类型。`);
      return undefined;
    }
    const candidates = [...TYPE_WORDS, ...(atRoot ? [EVENT_TYPE, ...objects.keys()] : [])];
    report('undeclared', t.word.span, { what: 'type', name: word, ...suggest(word, candidates, 'types') });
    return undefined;
  };
  const addField = (prefix: string, d: A.FieldDecl, type: K.FieldType): void => {
    const t = d.type;
    const a = d.absent;
    const says = a && (a.means === 'false' ? type.t === 'bool' : type.t === 'set');
    if (a && !says) shape(report, a.span, `\`absent means ${a.means}\` says what a ${a.means === 'false' ? 'yes/no field' : 'set'} is when left out, and ${d.name.text} is ${t.word.text}`, 'Write `absent means false` for a flag, `absent means []` for a set; a field of any other type has no value when left out.', '`absent means false` 用于是否字段，`absent means []` 用于集合；其他类型的字段缺失时没有值。');
    if (a && d.required) shape(report, a.span, `${d.name.text} is required, so no event leaves it out`, 'Keep `required` or `absent means …`, not both.', '`required` 与 `absent means …` 只保留其一。');
    fields.push({
      path: prefix + d.name.text,
      type,
      required: d.required,
      ...named('field', d.name, d.names),
      ...(t.or?.text === 'null' && { nullable: true as const }),
      ...(a && says && !d.required && { absentMeans: a.why.value }),
      ...(type.t === 'int' && t.min && { minimum: t.min.value }),
      ...(type.t === 'int' && t.max && { maximum: t.max.value }),
    });
  };

  const rootSeen = new Map<string, string>();
  for (const { decl: d, file } of root) {
    if (rootSeen.has(d.name.text)) {
      twice('field of the event', d.name, rootSeen.get(d.name.text)!);
      continue;
    }
    rootSeen.set(d.name.text, file);
    const type = fieldType(d, true);
    if (type === 'object') {
      const o = objects.get(d.type.word.text)!;
      const path = d.name.text;
      checkedObjects.push({ path, required: d.required, ...named('field', d.name, d.names), kind: { name: o.decl.name.text, ...optionalNames(o.decl.name, o.decl.names) } });
      const seen = new Map<string, string>();
      for (const { decl: f, file: ff } of o.fields) {
        if (seen.has(f.name.text)) {
          twice(`field of ${o.decl.name.text}`, f.name, seen.get(f.name.text)!);
          continue;
        }
        seen.set(f.name.text, ff);
        const ft = fieldType(f, false);
        if (ft && ft !== 'object') addField(`${path}.`, f, ft);
      }
    } else if (type) addField('', d, type);
  }
  const header = ordered[0]!;
  for (const e of ENVELOPE) {
    const f = fields.find((x) => x.path === e.path);
    const decl = root.find((r) => r.decl.name.text === e.path)?.decl;
    if (!f || !f.required || decl?.type.word.text !== e.word) {
      shape(report, header.id.span, `every event has \`${e.path}\`, and this vocabulary does not declare it as \`field ${e.path} ${e.word} required\``, `Declare \`field ${e.path} ${e.word} required zh "…" en "…"\` in the header of vocabulary ${header.id.text}.`, `请在词汇 ${header.id.text} 的头部声明 \`field ${e.path} ${e.word} required zh "…" en "…"\`。`);
    }
  }
  fields.sort((a, b) => cmp(a.path, b.path));
  checkedObjects.sort((a, b) => cmp(a.path, b.path));
  const fieldByPath = new Map(fields.map((f) => [f.path, f]));
  const objectPaths = checkedObjects.map((o) => o.path);

  // ------------------------------------------------------------ event types
  const recordKinds = checkedEnums.find((e) => e.codes === 'record');
  const checkedEvents: K.VocabularyEvent[] = [];
  for (const type of eventTypes) {
    const { decl } = events.get(type)!;
    const requires: string[] = [];
    for (const r of decl.requires) {
      if (!objectPaths.includes(r.text)) report('undeclared', r.span, { what: 'object of the event', name: r.text, ...suggest(r.text, objectPaths, 'objects an event carries') });
      else if (!requires.includes(r.text)) requires.push(r.text);
    }
    let deletes: K.VocabularyEvent['deletes'];
    if (decl.deletes) {
      const kind = fieldByPath.get(decl.deletes.kind.path.join('.'));
      const created = fieldByPath.get(decl.deletes.created.path.join('.'));
      if (kind?.type.t !== 'enum' || !recordKinds || kind.type.enumeration !== recordKinds.name) {
        shape(report, decl.deletes.kind.span, `a deletion names the field holding the record's kind, one of the record kinds${recordKinds ? ` (${recordKinds.name})` : ''}`, 'Write e.g. `deletes record.kind from record.createdAt`, with `record.kind` of the enumeration declared `for record`.', '例如 `deletes record.kind from record.createdAt`，其中 `record.kind` 取自 `for record` 的枚举。');
      } else if (created?.type.t !== 'timestamp' && created?.type.t !== 'date') {
        shape(report, decl.deletes.created.span, 'a deletion names the date or time the record is kept from', 'Name a date or timestamp field, e.g. `record.createdAt`.', '请指明日期或时间字段，例如 `record.createdAt`。');
      } else deletes = { kind: kind.path, created: created.path };
    }
    checkedEvents.push({ type, ...named('event type', decl.name, decl.names), requires, ...(deletes && { deletes }) });
  }

  // ------------------------------------------------------------ conflicts
  const codesOf = (k: K.CodeKind) => checkedEnums.find((e) => e.codes === k)?.values.map((v) => v.name) ?? [];
  const pattern = (p: A.OutcomePattern): K.OutcomePattern | undefined => {
    if (p.kind === 'deny' || !p.code) return { k: 'deny' };
    const kind = CODE_KIND_OF[p.kind];
    if (codesOf(kind).includes(p.code.text)) return { k: p.kind, code: p.code.text };
    report('unknownCode', p.code.span, { value: p.code.text, kind, kindZh: CODE_KIND_ZH[kind], ...suggest(p.code.text, codesOf(kind), `${kind} codes`) });
    return undefined;
  };
  const checkedConflicts: K.Conflict[] = [];
  for (const c of conflicts) {
    const first = pattern(c.first);
    const second = pattern(c.second);
    if (c.on && !events.has(c.on.text)) report('unknownEventType', c.on.span, { name: c.on.text, ...suggest(c.on.text, eventTypes, 'event types') });
    if (first && second) checkedConflicts.push({ first, second, ...(c.on && { on: c.on.text }), why: c.because.value });
  }

  return { names: ordered.map((f) => f.id.text), enumerations: checkedEnums, objects: checkedObjects, fields, events: checkedEvents, conflicts: checkedConflicts };
}

function shape(report: Report, span: Span, detail: string, help: string, helpZh: string): void {
  report('vocabularyShape', span, { detail, help, helpZh });
}

/** The vocabulary files base first, each after the one it extends; undefined when there is no base. */
function order(vocabularies: A.VocabularyFile[], files: readonly A.PolicyFile[], report: Report): A.VocabularyFile[] | undefined {
  const byId = new Map<string, A.VocabularyFile>();
  for (const v of vocabularies) {
    const seen = byId.get(v.id.text);
    if (seen) report('declaredTwice', v.id.span, { what: 'vocabulary', name: v.id.text, file: seen.path });
    else byId.set(v.id.text, v);
  }
  const unique = [...byId.values()];
  const bases = unique.filter((v) => !v.base);
  if (bases.length === 0) {
    const at = unique[0]?.id.span ?? fileStart(files[0]?.path ?? BUNDLE_FILE);
    report('noVocabulary', at, unique.length === 0 ? { detail: 'no file of the bundle is a vocabulary', detailZh: '规则包中没有词汇文件' } : { detail: 'every vocabulary extends another, so none is the base', detailZh: '每个词汇表都扩展另一个，没有基础词汇表' });
    return undefined;
  }
  // Two bases leave it unknown which the others extend: each is reported, and none is used.
  if (bases.length > 1) {
    bases.forEach((v, i) => report('declaredTwice', v.id.span, { what: 'base vocabulary (one without `extends`)', name: v.id.text, file: bases[i === 0 ? 1 : 0]!.path }));
    return undefined;
  }
  const ordered = [bases[0]!];
  for (let grew = true; grew; ) {
    grew = false;
    for (const v of unique) {
      if (ordered.includes(v) || !v.base || !ordered.some((o) => o.id.text === v.base!.text)) continue;
      ordered.push(v);
      grew = true;
    }
  }
  for (const v of unique) {
    if (ordered.includes(v) || bases.includes(v)) continue;
    report('undeclared', v.base!.span, { what: 'vocabulary', name: v.base!.text, ...suggest(v.base!.text, ordered.map((o) => o.id.text), 'vocabularies it may extend') });
  }
  return ordered;
}
