// source → tokens → CST → AST for one file, with every lexical and syntax error as a diagnostic.
import type { IRecognitionException, IToken } from 'chevrotain';
import type { PolicyFile } from './ast.js';
import type { FileCstNode } from './cst.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { LIMITS } from './limits.js';
import { lowerFile } from './lower.js';
import { parseTokens, syntaxMessage } from './parser.js';
import { spanAt, tokenSpan, type SourceFile } from './source.js';
import { And, Define, LParen, Minus, Not, Or, Plus, RParen, Rule, Then, policyLexer } from './tokens.js';

export interface ParsedFile {
  readonly source: SourceFile;
  readonly ast: PolicyFile | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** `#` comments, in order, for the formatter. */
  readonly comments: readonly IToken[];
}

export function lex(source: SourceFile): { tokens: IToken[]; comments: IToken[]; diagnostics: Diagnostic[] } {
  const out = policyLexer().tokenize(source.text);
  const diagnostics = out.errors.map((e) =>
    // The help says to remove it: its quick fix replaces it with nothing.
    diagnostic('unexpectedCharacter', spanAt(source, e.offset, e.offset + e.length), { char: JSON.stringify(source.text.slice(e.offset, e.offset + e.length)), replacements: [''] }),
  );
  for (const t of (out.groups['unterminated'] as IToken[] | undefined) ?? []) {
    diagnostics.push(diagnostic('unterminatedString', spanAt(source, t.startOffset, t.startOffset + 1)));
  }
  return { tokens: out.tokens, comments: (out.groups['comments'] as IToken[] | undefined) ?? [], diagnostics };
}


/**
 * The deepest nesting of a condition: brackets, `not`s and date shifts each add a level until the
 * `and`/`or` (or bracket) that ends them. Counted on tokens, without recursion, so that no input
 * can exhaust the stack of the parser, the checker or the evaluator.
 */
function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  const levels = [0];
  let depth = 0;
  for (const t of tokens) {
    switch (t.tokenType) {
      case LParen:
        levels.push(0);
        depth++;
        break;
      case RParen:
        if (levels.length > 1) depth -= 1 + levels.pop()!;
        break;
      case Not:
      case Plus:
      case Minus:
        levels[levels.length - 1]!++;
        depth++;
        break;
      case And:
      case Or:
        depth -= levels[levels.length - 1]!;
        levels[levels.length - 1] = 0;
        break;
      default:
        // Anything else outside brackets ends a condition (a new clause or item begins).
        if (levels.length === 1 && (t.tokenType === Then || t.tokenType === Rule || t.tokenType === Define)) {
          depth = 0;
          levels[0] = 0;
        }
    }
    if (depth > LIMITS.nesting) return t;
  }
  return undefined;
}

export function parseFile(source: SourceFile): ParsedFile {
  if (source.text.length > LIMITS.fileChars) {
    const d = diagnostic('fileTooLarge', spanAt(source, 0, 0), { chars: source.text.length, max: LIMITS.fileChars });
    return { source, ast: undefined, diagnostics: [d], comments: [] };
  }
  const { tokens, comments, diagnostics } = lex(source);
  const deep = tooDeep(tokens);
  if (deep) {
    diagnostics.push(diagnostic('nestedTooDeeply', tokenSpan(source.path, deep), { max: LIMITS.nesting }));
    return { source, ast: undefined, diagnostics, comments };
  }
  const { cst, errors } = parseTokens(tokens);
  for (const e of errors) diagnostics.push(syntaxDiagnostic(source, e));
  const ast = lowerFile(source.path, cst as FileCstNode, diagnostics);
  return { source, ast, diagnostics, comments };
}

// What each grammar rule looks like, shown as help under a syntax error inside it.
const SHAPES: Record<string, [string, string]> = {
  file: ['A policy file starts with `regulation ID …`, `article N of REGULATION version V in effect from YYYY-MM-DD`, `vocabulary ID` or `calendar ID`.', '政策文件以 `regulation …`、`article N of 法规 version V in effect from YYYY-MM-DD`、`vocabulary 名称` 或 `calendar 名称` 开头。'],
  regulationHeader: ['regulation live-2016 title zh "…" title en "…" in force from 2016-12-01 articles 20', '写法：regulation live-2016 title zh "…" title en "…" in force from 2016-12-01 articles 20'],
  articleHeader: ['article 12 of live-2016 version 1 in effect from 2016-12-01 [until YYYY-MM-DD]', '写法：article 12 of live-2016 version 1 in effect from 2016-12-01'],
  paragraph: ['paragraph 1 zh "…" en "…"', '写法：paragraph 1 zh "…" en "…"'],
  nonOperative: ['non-operative because "the reason"', '写法：non-operative because "理由"'],
  definition: ['define NAME as CONDITION', '写法：define 名称 as 条件'],
  rule: ['rule NAME cites REGULATION article N paragraph P on EVENT-TYPE, … when CONDITION then OUTCOME …', '写法：rule 名称 cites 法规 article N paragraph P on 事件类型 when 条件 then 结果'],
  citation: ['cites live-2016 article 12 paragraph 1', '写法：cites live-2016 article 12 paragraph 1'],
  outcome: [
    'An outcome is one of: deny | require verification CODE | require label CODE | take MEASURE | retain RECORD for PERIOD from DATE | oblige CODE [due DATE]',
    '结果可为：deny | require verification 代码 | require label 代码 | take 措施 | retain 记录 for 期间 from 日期 | oblige 代码 [due 日期]',
  ],
  condition: [
    'A condition is e.g. `FIELD is VALUE`, `FIELD has VALUE`, `FIELD has any of [A, B]`, `FIELD is present`, `not …`, `(… or …) and …`',
    '条件例如：`字段 is 值`、`字段 has 值`、`字段 has any of [A, B]`、`字段 is present`、`not …`',
  ],
};
const CONDITION_RULES = new Set(['condition', 'conjunction', 'negation', 'atom', 'test', 'predicate', 'isPredicate', 'orderPredicate', 'hasPredicate', 'operand', 'shift', 'value', 'list']);

function shapeFor(ruleStack: readonly string[]): [string, string] {
  for (let i = ruleStack.length - 1; i >= 0; i--) {
    const r = ruleStack[i]!;
    if (CONDITION_RULES.has(r)) return SHAPES['condition']!;
    if (SHAPES[r]) return SHAPES[r];
  }
  return SHAPES['file']!;
}

function syntaxDiagnostic(source: SourceFile, e: IRecognitionException): Diagnostic {
  // Chevrotain's EOF token has no position; point at the last character instead.
  const atEnd = Number.isNaN(e.token.startOffset);
  const span = atEnd ? spanAt(source, Math.max(0, source.text.trimEnd().length - 1), source.text.trimEnd().length) : tokenSpan(source.path, e.token);
  const [help, helpZh] = shapeFor(e.context.ruleStack);
  const { en, zh } = syntaxMessage(e);
  return diagnostic('syntax', span, { message: en, messageZh: zh, help, helpZh });
}
