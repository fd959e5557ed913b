// Lowering drops nothing the author wrote without saying so: a clause given twice, or an article's
// clause in a regulation file, is an error at that clause.
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../language/parse.js';

const lower = (text: string) => {
  const { ast, diagnostics } = parseFile({ path: 'f.tiaoli', text });
  return { ast, found: diagnostics.map((d) => [d.code, d.severity, `${d.span.start.line}:${d.span.start.column}`, d.message]) };
};
const ARTICLE = 'article 12 of live-2016\nversion 1 in effect from 2016-12-01\nparagraph 1 zh "……"\n';

describe('a clause given twice is an error at the second, and the first stands', () => {
  it('title zh and title en, each', () => {
    const { ast, found } = lower('regulation r\n  title zh "一"\n  title en "one"\n  title en "two"\n  title zh "二"\n  in force from 2016-12-01\n  articles 1\n');
    expect(found).toEqual([
      ['TL025', 'error', '4:3', '`title en` is given a second time (first on line 3)'],
      ['TL025', 'error', '5:3', '`title zh` is given a second time (first on line 2)'],
    ]);
    expect(ast).toMatchObject({ titleZh: { value: '一' }, titleEn: { value: 'one' } });
  });

  it('non-operative because', () => {
    const { ast, found } = lower(`${ARTICLE}non-operative because "first"\n\nnon-operative because "second"\n`);
    expect(found).toEqual([['TL025', 'error', '6:1', '`non-operative because` is given a second time (first on line 4)']]);
    expect(ast).toMatchObject({ nonOperative: { value: 'first' } });
  });

  it('one title in each language, and one reason, are no diagnostic', () => {
    expect(lower('regulation r title zh "一" title en "one" in force from 2016-12-01 articles 1\n').found).toEqual([]);
    expect(lower(`${ARTICLE}non-operative because "first"\n`).found).toEqual([]);
  });
});

describe('a regulation file holds its header and definitions only', () => {
  it('a paragraph, a rule and a non-operative declaration there are each an error at it; a definition is not', () => {
    const { found } = lower(
      'regulation live-2016 in force from 2016-12-01 articles 20\ndefine d as actor.blacklisted\nparagraph 1 zh "……"\nrule r cites live-2016 article 12 on content.publish then deny\nnon-operative because "x"\n',
    );
    expect(found.map(([code, , at, message]) => [code, at, message])).toEqual([
      ['TL026', '3:1', 'a paragraph does not belong in a regulation file: it would never be read'],
      ['TL026', '4:1', 'a rule does not belong in a regulation file: it would never be read'],
      ['TL026', '5:1', 'a non-operative declaration does not belong in a regulation file: it would never be read'],
    ]);
  });
});

describe('vocabulary declarations and policy items keep to their own files', () => {
  it('a field or event type in an article file, and a rule in a vocabulary file, are each an error at it', () => {
    const inArticle = lower(`${ARTICLE}field reach integer zh "覆盖人数" en "reach"\nevent tip.send zh "打赏" en "send a tip"\n`).found;
    expect(inArticle.map(([code, , at, message]) => [code, at, message])).toEqual([
      ['TL026', `${ARTICLE.split('\n').length}:1`, 'a vocabulary declaration does not belong in a policy file: it would never be read'],
      ['TL026', `${ARTICLE.split('\n').length + 1}:1`, 'a vocabulary declaration does not belong in a policy file: it would never be read'],
    ]);
    const inVocabulary = lower('vocabulary v extends contract\nrule r cites live-2016 article 12 on content.publish then deny\n').found;
    expect(inVocabulary.map(([code, , at, message]) => [code, at, message])).toEqual([['TL026', '2:1', 'a paragraph, definition or rule does not belong in a vocabulary file: it would never be read']]);
  });

  it('a second title of a vocabulary is an error, and the first stands', () => {
    const { ast, found } = lower('vocabulary v extends contract title zh "一" title zh "二"\n');
    expect(found.map(([code]) => code)).toEqual(['TL025']);
    expect(ast).toMatchObject({ kind: 'vocabulary', titleZh: { value: '一' } });
  });
});
