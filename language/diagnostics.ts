// The one table of diagnostic codes. Every diagnostic any pass reports is made here, from its entry:
// a stable code, a severity, a message template and help in English and Chinese.
import { LIMITS } from './limits.js';
import type { Lang } from './glossary.js';
import type { Span } from './source.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** The message in Chinese, from the same arguments (an argument `x` in Chinese is given as `xZh`). */
  readonly messageZh: string;
  readonly span: Span;
  readonly help: string;
  readonly helpZh: string;
  /** What the help proposes writing instead of the span's text ("did you mean …?"): an editor's quick fixes. */
  readonly replacements?: readonly string[];
}

/** A diagnostic's arguments: the template's placeholders, and `replacements` for a help that proposes some. */
export type DiagnosticArgs = Readonly<Record<string, string | number | readonly string[]>>;

/**
 * A policy file that triggers the diagnostic when it stands in the shipped bundle at `file`
 * (replacing the file there, if any; an empty `text` removes it), or with `alone` in a bundle of its
 * own (none at all if `text` is empty). `via: 'format'` when the formatter reports it, `via: 'analyze'`
 * when the semantic analysis (engine/analysis/analyze.ts) does, `via: 'revision'` when
 * droppedRegulations (language/check.ts) does with the shipped bundle as the running revision,
 * `via: 'rename'` when an editor's rename (language/services/edit.ts) refuses `rename`, `via: 'tests'`
 * when the policy tests (engine/policy-tests.ts) report the file, a test file beside the shipped bundle;
 * not the checker.
 */
export interface Example {
  readonly file: string;
  readonly text: string;
  readonly via?: 'format' | 'analyze' | 'revision' | 'rename' | 'tests';
  /** The name renamed (the one ending the first `at` of `text`) and the new name asked for. */
  readonly rename?: { readonly at: string; readonly to: string };
  readonly alone?: true;
  /** What the catalogue shows for a text too long to print. */
  readonly shown?: string;
}

interface Entry {
  readonly code: string;
  readonly severity: Severity;
  /** `{name}` placeholders are filled from the arguments. */
  readonly message: string;
  /** The same in Chinese: its `{name}` takes the argument `nameZh` where one is given, else `name`. */
  readonly messageZh: string;
  readonly help: string;
  readonly helpZh: string;
  readonly example: Example;
}

const entry = (code: string, severity: Severity, message: string, messageZh: string, help: string, helpZh: string, example: Example): Entry => ({ code, severity, message, messageZh, help, helpZh, example });

/** The article header every article-12 example starts from; the catalogue shows what differs. */
export const HEADER = 'article 12 of live-2016\nversion 1 in effect from 2016-12-01\nparagraph 1 zh "……"\nparagraph 2 zh "……"\n';
export const NON_OPERATIVE = 'non-operative because "example"\n';
const inArticle12 = (body: string, header = HEADER): Example => ({ file: 'live-2016/article-12.tiaoli', text: header + body });
const inCalendar = (body: string): Example => ({ file: 'calendar.tiaoli', text: `calendar china\n${body}` });
const analysed = (body: string): Example => ({ ...inArticle12(body), via: 'analyze' });
/** Definitions each using the one before twice: `depth` lines standing for 2^depth conditions. */
const doubling = (depth: number) => `define w0 as actor.blacklisted\n${Array.from({ length: depth }, (_, i) => `define w${i + 1} as w${i} and w${i}\n`).join('')}`;
const WORK_DEPTH = Math.ceil(Math.log2(LIMITS.ruleWork));

export const DIAGNOSTICS = {
  unexpectedCharacter: entry('TL001', 'error', 'unexpected character {char}', '意外的字符 {char}', 'Remove it; names are lower-case words joined by - or _, text goes in "double quotes".', '删除该字符；名称为以 - 或 _ 连接的小写单词，文本放在英文双引号内。', inArticle12('rule r cites live-2016 article 12 on content.publish when actor.blacklisted @ then deny\n')),
  syntax: entry('TL002', 'error', '{message}', '语法错误：{message}', '{help}', '{helpZh}', inArticle12('rule r cites live-2016 article 12 on content.publish when then deny\n')),
  invalidDate: entry('TL003', 'error', '{text} is not a calendar date', '{text} 不是有效的日历日期', 'Write an existing date as YYYY-MM-DD, e.g. 2016-12-01.', '请写成存在的日期 YYYY-MM-DD，例如 2016-12-01。', inArticle12(NON_OPERATIVE, HEADER.replace('2016-12-01', '2016-02-30'))),
  invalidPeriod: entry('TL004', 'error', '{text} is not a period of whole days, weeks, months or years (at most 1000 years)', '{text} 不是以整日、周、月或年计的期间（不超过1000年）', 'Write an ISO 8601 period of dates only, e.g. P60D, P2M, P6M, P1Y.', '请使用只含年月周日的 ISO 8601 期间（不超过1000年），例如 P60D、P2M、P6M、P1Y。', inArticle12('rule r cites live-2016 article 12 on content.publish then retain content_and_logs for PT1H from occurredAt\n')),
  invalidString: entry('TL005', 'error', 'bad escape in quoted text', '引号内的文本有错误的转义', 'Inside quotes only \\" and \\\\ are escapes.', '引号内只能使用 \\" 和 \\\\ 转义。', inArticle12(NON_OPERATIVE, HEADER.replace('"……"', '"C:\\dir"'))),

  unterminatedString: entry('TL006', 'error', 'quoted text is not closed', '引号内的文本未闭合', 'End the text with a double quote ("); inside it, write \\" for a quote.', '请用英文双引号（"）结束文本；文本内的引号写作 \\"。', inArticle12('rule r cites live-2016 article 12 on content.publish when actor.id is "open then deny\n')),
  nestedTooDeeply: entry('TL007', 'error', 'this condition is nested more than {max} levels deep', '该条件的嵌套超过 {max} 层', 'Flatten it: name inner parts with `define`, or drop double negations.', '请简化：用 `define` 为内层条件命名，或去掉双重否定。', inArticle12(`rule r cites live-2016 article 12 on content.publish when ${'('.repeat(49)}actor.blacklisted${')'.repeat(49)} then deny\n`)),
  fileTooLarge: entry('TL008', 'error', 'this file has {chars} characters, more than the {max} a policy file may have', '该文件有 {chars} 个字符，超过政策文件的上限 {max}', 'Split it: one file per article, its rules beside its text.', '请拆分：每条一个文件，规则与条文原文放在一起。', { ...inArticle12(`${NON_OPERATIVE}#${'…'.repeat(LIMITS.fileChars)}\n`), shown: `a comment of ${LIMITS.fileChars} characters` }),
  tooManyRules: entry('TL009', 'error', 'the bundle has {count} rules, more than {max}', '规则包有 {count} 条规则，超过上限 {max}', 'A bundle holds the regulations one service applies: put unrelated regulations in bundles of their own.', '一个规则包只收录一项服务适用的法规：无关的法规请分别成包。', { ...inArticle12(Array.from({ length: LIMITS.rules }, (_, i) => `rule r${i} cites live-2016 article 12 on content.publish then deny\n`).join('')), shown: `${LIMITS.rules} rules in one article` }),

  unknownRegulation: entry('TL010', 'error', 'no regulation {name} in this bundle', '本规则包中没有法规 {name}', 'Add policies/{name}/regulation.tiaoli, or cite one of: {known}.', '添加 policies/{name}/regulation.tiaoli，或引用已有法规：{known}。', inArticle12(NON_OPERATIVE, HEADER.replace('of live-2016', 'of live-2017'))),
  articleOutOfRange: entry('TL011', 'error', '{regulation} has articles 1 to {count}; there is no article {article}', '{regulation} 共有第 1 至 {count} 条，没有第 {article} 条', 'Use an article number from 1 to {count}, or correct the article count in the regulation file.', '条号应在 1 至 {count} 之间，或修改法规文件中的条数。', { file: 'live-2016/article-21.tiaoli', text: HEADER.replace('article 12', 'article 21') + NON_OPERATIVE }),
  overlappingVersions: entry('TL012', 'error', 'version {version} of {regulation} article {article} overlaps version {other} ({file})', '{regulation} 第 {article} 条的版本 {version} 与版本 {other}（{file}）的有效期重叠', 'Give each version its own period: end the earlier one with `until` the date the later one takes effect.', '各版本的有效期不得重叠：用 `until` 将较早版本截止于较新版本生效之日。', { file: 'live-2016/article-12.v2.tiaoli', text: HEADER.replace('version 1 in effect from 2016-12-01', 'version 2 in effect from 2018-01-01') + NON_OPERATIVE }),
  duplicateVersion: entry('TL013', 'error', '{regulation} article {article} has version {version} twice (also {file})', '{regulation} 第 {article} 条有两个版本 {version}（另见 {file}）', 'Number each new version of an article one higher than the last.', '同一条文的新版本应依次编号。', { file: 'live-2016/article-12.v2.tiaoli', text: HEADER + NON_OPERATIVE }),
  duplicateRegulation: entry('TL014', 'error', 'regulation {name} is declared twice (also {file})', '法规 {name} 被声明了两次（另见 {file}）', 'Keep one regulation file per regulation.', '每部法规只保留一个法规文件。', { file: 'live-2016/regulation-copy.tiaoli', text: 'regulation live-2016 title zh "互联网直播服务管理规定" in force from 2016-12-01 articles 20\n' }),
  emptyPeriod: entry('TL015', 'error', 'this version ends ({until}) before it starts ({from})', '该版本的截止日（{until}）早于生效日（{from}）', 'The `until` date must come after the `in effect from` date.', '`until` 日期必须晚于生效日期。', inArticle12(NON_OPERATIVE, HEADER.replace('2016-12-01', '2016-12-01 until 2016-01-01'))),
  duplicateParagraph: entry('TL016', 'error', 'paragraph {number} is quoted twice', '第 {number} 款被引用了两次', 'Quote each paragraph once, numbered 1, 2, 3 …', '每款只引用一次，依次编号 1、2、3……', inArticle12(NON_OPERATIVE, HEADER.replace('paragraph 2', 'paragraph 1'))),
  articleUnaccounted: entry('TL017', 'error', '{regulation} article {article} has no rules and is not declared non-operative', '{regulation} 第 {article} 条既没有规则，也未声明为不适用', 'Add rules, or `non-operative because "…"` with the reason the article imposes nothing to decide.', '请为该条添加规则，或写明 `non-operative because "…"` 及理由。', inArticle12('')),
  nonOperativeWithRules: entry('TL018', 'error', 'article is declared non-operative but has rules', '该条已声明为不适用，却有规则', 'Remove the rules, or remove the non-operative declaration.', '删除规则，或删除不适用声明。', inArticle12(`${NON_OPERATIVE}rule r cites live-2016 article 12 on content.publish then deny\n`)),
  versionBeforeRegulation: entry('TL019', 'warning', 'this version takes effect {from}, before {regulation} is in force ({inForce})', '该版本于 {from} 生效，早于 {regulation} 施行之日（{inForce}）', 'Rules never apply before their regulation is in force; start the version on or after {inForce}.', '法规施行前规则不会适用；请将版本生效日定于 {inForce} 或之后。', inArticle12(NON_OPERATIVE, HEADER.replace('2016-12-01', '2016-01-01'))),
  noParagraphs: entry('TL020', 'error', 'article {article} quotes no paragraph of its text', '第 {article} 条未引用任何条文原文', 'Quote the article beside its rules: paragraph 1 zh "…" en "…".', '请在规则旁引用条文原文：paragraph 1 zh "…" en "…"。', inArticle12(NON_OPERATIVE, 'article 12 of live-2016 version 1 in effect from 2016-12-01\n')),
  missingArticle: entry('TL021', 'error', '{regulation} article {article} has no policy file', '{regulation} 第 {article} 条没有政策文件', 'Every article needs a policy file (e.g. {regulation}/article-{article}.tiaoli) with its rules or a non-operative declaration.', '每一条都需要政策文件（例如 {regulation}/article-{article}.tiaoli），写明规则或不适用声明。', { file: 'live-2016/regulation.tiaoli', text: 'regulation live-2016 title zh "互联网直播服务管理规定" in force from 2016-12-01 articles 21\n' }),
  noRegulation: entry('TL022', 'error', 'the bundle declares no regulation: {detail}', '规则包未声明任何法规：{detail}', 'Name the policy directory itself: it holds each regulation as {name}/regulation.tiaoli beside its article files.', '请指定政策目录本身：其中每部法规为 {name}/regulation.tiaoli，并附其条文文件。', { file: 'live-2016/regulation.tiaoli', text: '', alone: true }),
  regulationWithoutRules: entry('TL023', 'error', '{regulation} decides nothing: {detail}', '{regulation} 没有决定任何事项：{detail}', 'A regulation in the bundle must have rules in some article: declare how many articles it has and encode the ones that impose something.', '法规须在某条中有规则：写明其条数，并为有规定的条文编写规则。', { file: 'live-2016/regulation.tiaoli', text: 'regulation live-2016 title zh "互联网直播服务管理规定" in force from 2016-12-01 articles 0\n', alone: true }),
  droppedRegulation: entry('TL024', 'error', 'this revision drops {regulation}, which the running revision has ({file})', '该修订删去了运行中修订所含的 {regulation}（{file}）', 'Keep the files of {regulation} in the new revision; if it has been repealed, write `repealed on DATE` in its regulation file instead of removing it.', '请在新修订中保留 {regulation} 的文件；如已废止，请在其法规文件中写明 `repealed on 日期`，而不是删除。', { file: 'notice-2018/regulation.tiaoli', text: '', via: 'revision' }),

  repeatedClause: entry('TL025', 'error', '`{clause}` is given a second time (first on line {line})', '`{clause}` 再次出现（首次在第 {line} 行）', 'Keep one `{clause}`: only one can stand, and which was meant cannot be told.', '只保留一个 `{clause}`：只能有一个成立，无法判断本意是哪一个。', { file: 'live-2016/regulation.tiaoli', text: 'regulation live-2016 title zh "互联网直播服务管理规定" title zh "twice" in force from 2016-12-01 articles 20\n' }),
  misplacedItem: entry('TL026', 'error', '{what} does not belong in a {kind} file: it would never be read', '{what}不应出现在{kind}文件中：它不会被读取', '{help}', '{helpZh}', { file: 'live-2016/regulation.tiaoli', text: 'regulation live-2016 title zh "互联网直播服务管理规定" in force from 2016-12-01 articles 20\nrule r cites live-2016 article 12 on content.publish then deny\n' }),

  duplicateDefinition: entry('TL030', 'error', '{name} is already defined ({file})', '{name} 已有定义（{file}）', 'Give this definition another name, or reuse the existing one.', '请更换名称，或直接使用已有定义。', inArticle12(`${NON_OPERATIVE}define live-provider as actor.blacklisted\n`)),
  unknownName: entry('TL031', 'error', 'nothing is defined as {name}', '没有名为 {name} 的定义', '{suggestion}', '{suggestionZh}', inArticle12('rule r cites live-2016 article 12 on content.publish when live-provder then deny\n')),
  definitionsTooDeep: entry('TL034', 'error', 'definition {name} reaches more than {max} definitions deep ({chain} …)', '定义 {name} 的嵌套超过 {max} 层（{chain} …）', 'Use fewer layers of definitions, each naming a term the law uses.', '请减少定义的嵌套层数，每个定义对应法律使用的一个术语。', inArticle12(`${NON_OPERATIVE}${Array.from({ length: 66 }, (_, i) => `define d${i} as d${i + 1}\n`).join('')}define d66 as actor.blacklisted\n`)),
  definitionCycle: entry('TL032', 'error', 'definition {name} refers to itself ({cycle})', '定义 {name} 引用了自身（{cycle}）', 'Break the cycle: a definition may use only definitions that do not lead back to it.', '请消除循环引用。', inArticle12(`${NON_OPERATIVE}define a1 as b1\ndefine b1 as a1\n`)),
  ruleTooMuchWork: entry('TL035', 'error', 'rule {name} stands for {work} conditions once its definitions are expanded, more than {max}', '规则 {name} 展开定义后相当于 {work} 个条件，超过上限 {max}', 'A definition that uses another twice doubles it: combine the parts once, in one definition, and use that.', '一个定义两次使用另一个定义会使其加倍：请把各部分只组合一次，写成一个定义后引用。', inArticle12(`${doubling(WORK_DEPTH)}rule r cites live-2016 article 12 on content.publish when w${WORK_DEPTH} then deny\n`)),
  duplicateRule: entry('TL033', 'error', 'rule {name} is already in this article', '本条中已有规则 {name}', 'Give each rule of an article its own name.', '同一条文内的规则名称不得重复。', inArticle12('rule r cites live-2016 article 12 on content.publish then deny\nrule r cites live-2016 article 12 on content.publish then deny\n')),

  missingCitation: entry('TL040', 'error', 'rule {name} cites nothing', '规则 {name} 未引用任何条文', 'Every rule cites the law it implements: cites {regulation} article {article} paragraph 1', '每条规则都须引用其依据：cites {regulation} article {article} paragraph 1', inArticle12('rule r on content.publish then deny\n')),
  citedArticleMissing: entry('TL041', 'error', '{regulation} has no article {article}', '{regulation} 没有第 {article} 条', 'Cite an article from 1 to {count}.', '请引用第 1 至 {count} 条。', inArticle12('rule r cites live-2016 article 99 on content.publish then deny\n')),
  citedParagraphMissing: entry('TL042', 'error', '{regulation} article {article} has no paragraph {paragraph}', '{regulation} 第 {article} 条没有第 {paragraph} 款', 'That article quotes {count} paragraph(s); cite one of them.', '该条共 {count} 款，请引用其中之一。', inArticle12('rule r cites live-2016 article 12 paragraph 3 on content.publish then deny\n')),

  unknownField: entry('TL050', 'error', 'the event has no field {path}', '事件没有字段 {path}', '{suggestion}', '{suggestionZh}', inArticle12('rule r cites live-2016 article 12 on content.publish when actor.verifed meets phone_number then deny\n')),
  unknownValue: entry('TL051', 'error', '{value} is not a value of {path}', '{value} 不是 {path} 的取值', '{suggestion}', '{suggestionZh}', inArticle12('rule r cites live-2016 article 12 on content.publish when actor.verified has identity_doc then deny\n')),
  unknownEventType: entry('TL052', 'error', 'no event type {name}', '没有事件类型 {name}', '{suggestion}', '{suggestionZh}', inArticle12('rule r cites live-2016 article 12 on content.publsh then deny\n')),
  typeMismatch: entry('TL053', 'error', '{detail}', '类型不符：{detail}', '{help}', '{helpZh}', inArticle12('rule r cites live-2016 article 12 on content.publish when actor.priorViolations before 2016-12-01 then deny\n')),
  unknownCode: entry('TL054', 'error', '{value} is not a {kind} code', '{value} 不是{kind}代码', '{suggestion}', '{suggestionZh}', inArticle12('rule r cites live-2016 article 12 on content.publish then take scold\n')),
  notACondition: entry('TL055', 'error', '{path} is {type}, not a yes/no fact', '{path} 是{type}，不是是非事实', 'Compare it: {path} is …', '请进行比较：{path} is …', inArticle12('rule r cites live-2016 article 12 on content.publish when actor.role then deny\n')),
  emptyList: entry('TL056', 'error', '`{words} []` {meaning}: the list is empty', '`{words} []` {meaning}：列表为空', 'List at least one value between the brackets, or remove the condition.', '请在方括号内至少列出一个值，或删除该条件。', inArticle12('rule r cites live-2016 article 12 on content.publish when content.form is one of [] then deny\n')),
  duplicateEventType: entry('TL057', 'warning', '{name} is listed twice', '{name} 列出了两次', 'List each event type once.', '每种事件类型只列一次。', inArticle12('rule r cites live-2016 article 12 on content.publish, content.publish then deny\n')),

  chineseName: entry('TL150', 'error', '{word} is not a name the language reads: did you mean {meant}?', '语言不识别 {word}：是否想写 {meant}？', 'Write the {what} as the vocabulary declares it: a rule names it in these words, and explanations and reports show its Chinese name.', '请按词汇表的写法书写该{what}：规则以这些单词称呼它，解释和报告会显示其中文名称。', inArticle12('rule r cites live-2016 article 12 on content.publish when 已认证 has phone_number then deny\n')),
  chineseText: entry('TL151', 'error', '{word} is written in Chinese where the language expects {what}', '此处应为{what}，却写了中文 {word}', 'Names are lower-case words joined by - or _; the vocabulary gives each field, value and code a Chinese name, shown on hover and in completion. Text goes in "double quotes".', '名称为以 - 或 _ 连接的小写单词；词汇表为每个字段、值和代码给出中文名称，悬停和补全时可见。文本放在英文双引号内。', inArticle12('rule 规则 cites live-2016 article 12 on content.publish then deny\n')),

  noVocabulary: entry('TL070', 'error', 'the bundle has no vocabulary: {detail}', '规则包没有词汇表：{detail}', 'Keep the vocabulary file (policies/vocabulary.tiaoli ships with Tiaoli): it declares the event types, fields and codes rules may name. Extensions start `vocabulary NAME extends contract`.', '请保留词汇文件（Tiaoli 自带 policies/vocabulary.tiaoli）：它声明规则可用的事件类型、字段和代码。扩展文件以 `vocabulary 名称 extends contract` 开头。', { file: 'vocabulary.tiaoli', text: '' }),
  declaredTwice: entry('TL072', 'error', '{what} {name} is already declared in {file}', '{what} {name} 已在 {file} 中声明', 'Declare it once. To add fields or values to a declaration, write `extend object NAME` or `extend enumeration NAME`.', '只声明一次。如需为已有声明增加字段或值，请写 `extend object 名称` 或 `extend enumeration 名称`。', { file: 'extension/vocabulary.tiaoli', text: 'vocabulary extension extends contract\nextend object actor\n  field blacklisted flag zh "黑名单" en "blacklisted"\n' }),
  undeclared: entry('TL073', 'error', '{name} is not a declared {what}', '{name} 不是已声明的{what}', '{suggestion}', '{suggestionZh}', { file: 'extension/vocabulary.tiaoli', text: 'vocabulary extension extends contract\nextend object actor\n  field minor flg zh "未成年人" en "a minor"\n' }),
  vocabularyShape: entry('TL074', 'error', '{detail}', '词汇表结构有误：{detail}', '{help}', '{helpZh}', { file: 'extension/vocabulary.tiaoli', text: 'vocabulary extension extends contract\nextend object actor\n  field age integer from 18 to 14 zh "年龄" en "age"\n' }),
  missingNames: entry('TL075', 'error', '{what} {name} has no {missing}', '{what} {name} 缺少{missing}', 'Give it `zh "…" en "…"`: explanations, reports and the playground speak of it by these names.', '请写明 `zh "…" en "…"`：解释、报告和演练场以这些名称称呼它。', { file: 'extension/vocabulary.tiaoli', text: 'vocabulary extension extends contract\nextend object actor\n  field minor flag en "a minor"\n' }),

  calendarTwice: entry('TL080', 'error', 'the bundle has a second holiday calendar (the first is {file})', '规则包中有第二个节假日日历（第一个是 {file}）', 'Keep one calendar file: declare every year in it.', '只保留一个日历文件，所有年份都在其中声明。', { file: 'extra/calendar.tiaoli', text: 'calendar other\n' }),
  calendarYearTwice: entry('TL081', 'error', 'year {year} is declared twice (first on line {line})', '{year} 年被声明了两次（首次在第 {line} 行）', 'Declare each year once, with every notice that arranges it as a `source`.', '每年只声明一次，安排该年的各通知均列为 `source`。', inCalendar('year 2018 source "…"\nyear 2018 source "…"\n')),
  calendarNoSource: entry('TL082', 'error', 'year {year} names no source', '{year} 年未写明依据的通知', 'Name the notice its days come from: source "国务院办公厅关于{year}年部分节假日安排的通知（文号）".', '请写明其依据的通知：source "国务院办公厅关于{year}年部分节假日安排的通知（文号）"。', inCalendar('year 2018\n  holiday zh "元旦" en "New Year\'s Day" on 2018-01-01\n')),
  calendarDateOutsideYear: entry('TL083', 'error', '{date} is not in {year} or the December before it', '{date} 不在 {year} 年，也不在其前一年的12月', 'Declare the day under its own year: a year\'s notice arranges that year, and its New Year holiday may start in December {before}.', '请在所属年份下声明该日：每年的通知安排该年，其元旦假期可始于 {before} 年12月。', inCalendar('year 2018 source "…"\n  holiday zh "国庆节" en "National Day" on 2019-10-01\n')),
  calendarDayTwice: entry('TL084', 'error', '{date} is already declared as {first}', '{date} 已声明为{first}', 'Declare each day once: a rest day of one holiday, or a weekend day worked for one.', '每天只声明一次：某一假日的休息日，或为某一假日调休上班的周末。', inCalendar('year 2018 source "…"\n  holiday zh "国庆节" en "National Day" from 2018-10-01 to 2018-10-07 worked 2018-10-06\n')),
  calendarWorkedWeekday: entry('TL085', 'error', '{date} is a {weekday}: only a Saturday or a Sunday is worked in exchange (调休)', '{date} 是{weekday}：只有周六或周日才会调休上班', 'List as `worked` only the weekend days the notice says are worked (上班).', '`worked` 只列通知中写明上班的周六、周日。', inCalendar('year 2018 source "…"\n  holiday zh "国庆节" en "National Day" from 2018-10-01 to 2018-10-07 worked 2018-10-08\n')),
  calendarHolidayBackwards: entry('TL086', 'error', 'this holiday ends ({to}) before it starts ({from})', '该假日的结束日（{to}）早于开始日（{from}）', 'Write its first rest day after `from` and its last after `to`, or `on DATE` for one day.', '`from` 后写第一个休息日，`to` 后写最后一个；只有一天时写 `on 日期`。', inCalendar('year 2018 source "…"\n  holiday zh "国庆节" en "National Day" from 2018-10-07 to 2018-10-01\n')),
  calendarGap: entry('TL087', 'error', 'the calendar declares {before} and {after} but not {missing}', '日历声明了 {before} 年和 {after} 年，却没有 {missing} 年', 'Declare every year between the first and the last: a year left out would read its holidays as working days.', '请声明首尾之间的每一年：遗漏的年份会把其节假日当作工作日。', inCalendar('year 2017 source "…"\nyear 2019 source "…"\n')),
  restDaysUncovered: entry('TL088', 'error', '{date} is outside the years the holiday calendar declares ({years})', '{date} 不在节假日日历声明的年份内（{years}）', 'Declare {year} in the calendar file from the State Council General Office\'s notice for it (国务院办公厅关于{year}年部分节假日安排的通知), or name a day in the declared years.', '请依国务院办公厅关于{year}年部分节假日安排的通知在日历文件中声明 {year} 年，或改用已声明年份中的日期。', inArticle12('rule r cites live-2016 article 12 on content.publish when occurredAt on or before 2030-01-01 moved past rest days then deny\n')),
  noCalendar: entry('TL089', 'error', '`moved past rest days` reads the holiday calendar, and the bundle has none', '`moved past rest days` 要读取节假日日历，而规则包中没有日历', 'Keep the calendar file (policies/calendar.tiaoli ships with Tiaoli): it says which days are rest days.', '请保留日历文件（Tiaoli 自带 policies/calendar.tiaoli）：它规定哪些日子是休息日。', {
    ...inArticle12('rule r cites live-2016 article 12 on content.publish when occurredAt on or before provider.launchedAt plus P30D moved past rest days then deny\n'),
    alone: true,
  }),

  formatChangesFile: entry('TL060', 'error', 'formatting would change what this file says: {detail}', '格式化会改变该文件的含义：{detail}', 'The file is left as it is. The formatter brackets an `and` inside an `or`, which can take a condition past the nesting limit: name an inner part with `define`. Anything else is a formatter bug, to report with this file.', '文件未作改动。格式化程序会为 `or` 中的 `and` 加括号，可能使条件超过嵌套上限：请用 `define` 为内层条件命名。其他情况属格式化程序缺陷，请附此文件报告。', {
    ...inArticle12(`rule r cites live-2016 article 12 on content.publish when ${'not '.repeat(LIMITS.nesting - 1)}(actor.blacklisted or actor.blacklisted and actor.blacklisted) then deny\n`),
    via: 'format',
    shown: `rule r cites live-2016 article 12 on content.publish when not … (${LIMITS.nesting - 1} times) (actor.blacklisted or actor.blacklisted and actor.blacklisted) then deny`,
  }),

  renameNotAName: entry('TL090', 'error', '{name} cannot name a defined term or a rule', '{name} 不能用作定义或规则的名称', 'A name is a lower-case word whose parts are joined by - or _ (e.g. live-provider), and not a keyword of the language.', '名称须为小写单词，各部分以 - 或 _ 连接（例如 live-provider），且不得为语言的关键字。', {
    ...inArticle12('define banned as actor.blacklisted\nrule r cites live-2016 article 12 on content.publish when banned then deny\n'),
    via: 'rename',
    rename: { at: 'when banned', to: 'Banned User' },
  }),
  renameTaken: entry('TL091', 'error', '{name} already names a {what} ({file})', '{name} 已是某个{what}的名称（{file}）', 'Choose a name nothing else uses there: after the rename the two could not be told apart.', '请选用尚未使用的名称：否则重命名后两者无法区分。', {
    ...inArticle12('define banned as actor.blacklisted\nrule r cites live-2016 article 12 on content.publish when banned then deny\n'),
    via: 'rename',
    rename: { at: 'when banned', to: 'live-provider' },
  }),

  testCaseFails: entry('TL092', 'error', 'policy test case "{name}" fails: {differences}', '策略测试用例 "{name}" 未通过：{differences}', 'Correct the rule or the expectation: the case says what the article requires of this event. `tiaoli test --verbose` shows the decision.', '请修改规则或预期：用例写明了该条对此事件的要求。`tiaoli test --verbose` 可显示决定。', {
    file: 'live-2016/article-12.test.yaml',
    text: 'cases:\n  - name: a user with no verified identity\n    event: { use: [live-provider, verified-user], type: account.register, actor: { verified: [] } }\n    expect: { allowed: true }\n',
    via: 'tests',
  }),
  testFileProblem: entry('TL093', 'error', 'this policy test cannot be run: {message}', '无法运行该策略测试：{message}', 'A test file holds `cases:`, each with a `name`, an `event` (fixtures by `use`, fields to set) and an `expect`, or `each` row of them.', '测试文件包含 `cases:`，每个用例有 `name`、`event`（以 `use` 引用夹具并设定字段）和 `expect`，或由 `each` 逐行给出。', {
    file: 'live-2016/article-12.test.yaml',
    text: 'cases:\n  - name: a case that expects a field decisions do not have\n    event: { use: [live-provider, verified-user], type: account.register }\n    expect: { allowd: true }\n',
    via: 'tests',
  }),
  testUnknownField: entry('TL110', 'error', 'the policy test sets {path}, which is not a field of the vocabulary: the case would test nothing about it', '策略测试设置了 {path}，但它不是词汇表中的字段：该用例对它什么也测不到', '{suggestion}', '{suggestionZh}', {
    file: 'live-2016/article-12.test.yaml',
    text: 'cases:\n  - name: a misspelled field\n    event: { use: [live-provider, verified-user], type: account.register, actor: { verifed: [] } }\n    expect: { allowed: true }\n',
    via: 'tests',
  }),
  testUnknownFixture: entry('TL111', 'error', 'the policy test uses no fixture named {name}', '策略测试使用了不存在的夹具 {name}', '{suggestion}', '{suggestionZh}', {
    file: 'live-2016/article-12.test.yaml',
    text: 'cases:\n  - name: an unknown fixture\n    event: { use: [live-provider, verified-usr], type: account.register }\n    expect: { allowed: true }\n',
    via: 'tests',
  }),

  deadRule: entry('TL100', 'warning', 'rule {name} can never fire: {reason}', '规则 {name} 永远不会触发：{reason}', 'Correct the dates or the condition so that some event can meet them, or remove the rule.', '请修改日期或条件，使某个事件能够满足；或删除该规则。', analysed('rule r cites live-2016 article 12 on content.publish when occurredAt before 2016-06-01 then deny\n')),
  subsumedRule: entry('TL101', 'warning', 'rule {name} changes no decision: whenever it fires, {by} gives the same outcomes and the same citation', '规则 {name} 不改变任何决定：它触发时，{by} 给出相同的结果和相同的引用', 'Remove the rule, or change it so that it decides something the others do not.', '请删除该规则，或修改它，使其决定其他规则未决定的内容。', analysed('rule a cites live-2016 article 12 paragraph 1 on content.publish when actor.blacklisted then deny\nrule b cites live-2016 article 12 paragraph 1 on content.publish when actor.blacklisted and actor.agreementSigned then deny\n')),
  coveredRule: entry('TL102', 'info', 'whenever rule {name} fires, {by} gives the same outcomes; the decision still cites both {citation} and {others}', '规则 {name} 触发时，{by} 给出相同的结果；决定仍同时引用 {citation} 和 {others}', 'Nothing to change where both provisions say so: the rule cites its own. Merge the rules if only one provision is meant.', '若两处条文都有此规定则无需修改：该规则引用其自身条文。若只指一处条文，请合并规则。', analysed('rule a cites live-2016 article 12 paragraph 1 on content.publish when actor.blacklisted then deny\nrule b cites live-2016 article 12 paragraph 2 on content.publish when actor.blacklisted and actor.agreementSigned then deny\n')),
  contradiction: entry('TL103', 'error', 'rule {name} ({outcome}) and {other} ({otherOutcome}) apply to the same event: {why}', '规则 {name}（{outcome}）与 {other}（{otherOutcome}）适用于同一事件：{why}', 'Narrow one of the conditions so that the two exclude each other, or encode which provision prevails.', '请收窄其中一个条件，使两者互斥；或写明哪条规定优先。', analysed('rule a cites live-2016 article 12 on identity.disclosure then deny\nrule b cites live-2016 article 12 on identity.disclosure then oblige provide_identity_information\n')),
  absentFact: entry(
    'TL104',
    'warning',
    'rule {name} does not apply to an event that leaves out {fact}, though it would if the event gave it ({given}), and the decision then allows: unknown is taken for compliant',
    '事件缺少 {fact} 时规则 {name} 不适用，而事件给出它时（{given}）会适用，于是决定为允许：未知被当作合规',
    'Make {fact} required for these event types in the vocabulary (`requires`, or `required` on the field), or write the condition so that an unknown {fact} is the stricter case; where the law supports the reading, test `{fact} is present` (or `is absent`) in so many words and say why in a comment.',
    '请在词汇表中将 {fact} 设为这些事件类型的必填项（`requires`，或字段上的 `required`），或改写条件，使 {fact} 未知时按较严格的情形处理；若法律支持另一种解读，请在条件中明确写出 `{fact} is present`（或 `is absent`），并以注释说明理由。',
    analysed('rule r cites live-2016 article 12 on account.register when live-provider and actor.role is publisher then oblige handle_complaint\n'),
  ),
} as const;

export type DiagnosticKind = keyof typeof DIAGNOSTICS;

function fill(template: string, args: DiagnosticArgs, lang: Lang = 'en'): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => {
    const key = lang === 'zh' && `${k}Zh` in args ? `${k}Zh` : k;
    return key in args ? String(args[key]) : m;
  });
}

export function diagnostic(kind: DiagnosticKind, span: Span, args: DiagnosticArgs = {}): Diagnostic {
  const e: Entry = DIAGNOSTICS[kind];
  const { replacements } = args;
  const fixes = Array.isArray(replacements) && replacements.length > 0 ? { replacements } : {};
  return { code: e.code, severity: e.severity, message: fill(e.message, args), messageZh: fill(e.messageZh, args, 'zh'), span, help: fill(e.help, args), helpZh: fill(e.helpZh, args, 'zh'), ...fixes };
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

/** As `tiaoli check` prints it in English (a function of one argument, for `map`). */
export const formatDiagnostic = (d: Diagnostic): string => formatDiagnosticIn(d, 'en');

/** Diagnostics in the order of their places: by file, then position in it. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start.offset - b.span.start.offset;
}

/** The message and help in `lang`. */
export const inLang = (d: Diagnostic, lang: Lang): { message: string; help: string } => (lang === 'zh' ? { message: d.messageZh, help: d.helpZh } : { message: d.message, help: d.help });

/** `file:line:col: error CODE: message` and an indented help line, as `tiaoli check` prints; `--lang zh` prints them in Chinese. */
export function formatDiagnosticIn(d: Diagnostic, lang: Lang): string {
  const { message, help } = inLang(d, lang);
  return `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ${d.severity} ${d.code}: ${message}\n  ${lang === 'zh' ? '提示' : 'help'}: ${help}`;
}

/** The closest candidates by edit distance, for "did you mean" help. */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const scored: [string, number][] = [];
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d <= Math.max(2, Math.floor(c.length / 3))) scored.push([c, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([c]) => c);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Help text for an unknown word: "did you mean …?" when something is close, else the choices. */
export function suggest(word: string, candidates: readonly string[], what: string): { suggestion: string; suggestionZh: string; replacements?: readonly string[] } {
  const near = closest(word, candidates);
  if (near.length > 0) {
    const list = near.map((c) => `\`${c}\``).join(' or ');
    return { suggestion: `did you mean ${list}?`, suggestionZh: `是否想写 ${near.map((c) => `\`${c}\``).join(' 或 ')}？`, replacements: near };
  }
  const shown = candidates.slice(0, 12).join(', ') + (candidates.length > 12 ? ', …' : '');
  return { suggestion: `${what}: ${shown}`, suggestionZh: `可用的值：${shown}` };
}
