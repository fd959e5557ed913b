// The operator table against the grammar: every way the grammar can end a test (language/parser.ts's
// `predicate`, lowered by language/lower.ts) is one operator's declared spelling, and every declared
// spelling reads back as its operator.
import { describe, expect, it } from 'vitest';
import type * as A from '../../language/ast.js';
import { OPERATORS, spellings, writtenOperator, type Operator } from '../../language/operators.js';
import { parseFile } from '../../language/parse.js';
import { policyParser } from '../../language/parser.js';

const parser = policyParser();

type Gast = { type: string; name?: string; pattern?: string; definition?: Gast[] };
const RULES = new Map((parser.getSerializedGastProductions() as Gast[]).map((r) => [r.name!, r]));
/** What stands for a sub-rule the operator does not spell: a name, a value, a list. */
const PLACEHOLDER: Record<string, string> = { operand: 'x', value: 'x', list: '[x]', Identifier: 'x' };

/** Every token path through `items`, as the words of its keywords and symbols, placeholders apart. */
function paths(items: readonly Gast[]): { words: string[]; text: string[] }[] {
  if (items.length === 0) return [{ words: [], text: [] }];
  const [first, ...rest] = items as [Gast, ...Gast[]];
  const tails = paths(rest);
  const heads = ((): { words: string[]; text: string[] }[] => {
    switch (first.type) {
      case 'Terminal':
        if (first.name! in PLACEHOLDER) return [{ words: [], text: [PLACEHOLDER[first.name!]!] }];
        // A token of more than one spelling (`≥|>=`) gives a path per spelling.
        return first.pattern!.split('|').map((w) => ({ words: [w], text: [w] }));
      case 'NonTerminal':
        if (first.name! in PLACEHOLDER) return [{ words: [], text: [PLACEHOLDER[first.name!]!] }];
        return paths(RULES.get(first.name!)!.definition!);
      case 'Alternation':
        return first.definition!.flatMap((alt) => paths(alt.definition!));
      case 'Option':
        return [{ words: [], text: [] }, ...paths(first.definition!)];
      default:
        throw new Error(`a predicate with a ${first.type}: extend this walk`);
    }
  })();
  return heads.flatMap((h) => tails.map((t) => ({ words: [...h.words, ...t.words], text: [...h.text, ...t.text] })));
}

const lowered = (predicate: string): A.Condition => {
  const { ast, diagnostics } = parseFile({ path: 'r.tiaoli', text: `regulation r in force from 2016-12-01 articles 1\ndefine d as a.b ${predicate}\n` });
  expect(diagnostics, predicate).toEqual([]);
  if (ast?.kind !== 'regulation') throw new Error('no regulation');
  return ast.definitions[0]!.body;
};

describe('the operator table and the grammar', () => {
  const predicates = paths(RULES.get('predicate')!.definition!);

  it.each(predicates.map((p) => [p.text.join(' '), p.words.join(' ')]))('`a.b %s` lowers to an operator that declares `%s`', (text, words) => {
    const op = writtenOperator(lowered(text));
    expect(op, text).toBeDefined();
    expect(spellings(op!)).toContain(words);
  });

  it('a test without a predicate is a bare yes/no field (or a defined term): the flag operator, with no words', () => {
    expect(lowered('').kind).toBe('truth');
    expect(spellings(OPERATORS.find((o) => o.name === 'flag')!)).toEqual([]);
  });

  it('every spelling the table declares is one the grammar reads, as that operator', () => {
    const read = new Set(predicates.map((p) => p.words.join(' ')));
    for (const op of OPERATORS) {
      for (const s of spellings(op)) {
        expect(read, `${op.name}: ${s}`).toContain(s);
        const p = predicates.find((x) => x.words.join(' ') === s)!;
        expect(writtenOperator(lowered(p.text.join(' ')))?.name, s).toBe(op.name);
      }
    }
  });

  it('what each operator is asked of is as the README says (a change here is a change of the language)', () => {
    const takes = Object.fromEntries(OPERATORS.map((o) => [o.name, o.cond === 'cmp' ? o.domains : o.fields]));
    const every = ['bool', 'int', 'string', 'date', 'timestamp', 'enum', 'set'];
    const ordered = ['temporal', 'int'];
    const equal = ['temporal', 'int', 'string', 'enum', 'bool'];
    expect(takes).toEqual({ '=': equal, '!=': equal, '<': ordered, '<=': ordered, '>': ordered, '>=': ordered, oneOf: ['enum', 'int', 'string'], notOneOf: ['enum', 'int', 'string'], has: ['set'], hasAny: ['set'], hasAll: ['set'], meets: ['set'], present: every, absent: every, flag: ['bool'] });
  });

  it('names are unique, and each kind of condition has its operators', () => {
    expect(new Set(OPERATORS.map((o) => o.name)).size).toBe(OPERATORS.length);
    const byCond = (c: Operator['cond']) => OPERATORS.filter((o) => o.cond === c).map((o) => o.name);
    expect(byCond('cmp')).toEqual(['=', '!=', '<', '<=', '>', '>=']);
    expect(byCond('oneOf')).toEqual(['oneOf', 'notOneOf']);
    expect(byCond('has')).toEqual(['has', 'hasAny', 'hasAll']);
  });
});
