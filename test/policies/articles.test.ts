// Every article of the three regulations is accounted for: encoded with rules, or declared
// non-operative with its reason.
import { describe, expect, it } from 'vitest';
import { articlesWithTests } from '../../engine/cli/articles.js';
import { SHIPPED_POLICIES } from '../../engine/index.js';
import { shippedPolicy } from '../helpers.js';

const articles = shippedPolicy().checked.articles;

const rows = articlesWithTests(shippedPolicy(), SHIPPED_POLICIES);

describe('the article table', () => {
  it('has 44 rows: live-2016 (20), notice-2018 (5) and av-2019 (19)', () => {
    expect(rows).toHaveLength(44);
    expect(Object.fromEntries(['live-2016', 'notice-2018', 'av-2019'].map((r) => [r, rows.filter((x) => x.regulation === r).length]))).toEqual({ 'live-2016': 20, 'notice-2018': 5, 'av-2019': 19 });
  });

  it('leaves no article unaccounted for', () => {
    expect(rows.filter((r) => r.status === 'missing')).toEqual([]);
    for (const r of rows) {
      if (r.status === 'encoded') {
        expect(r.rules, `${r.regulation} ${r.article}`).toBeGreaterThan(0);
        expect(r.tests, `${r.regulation} ${r.article} has no policy test cases`).toBeGreaterThan(0);
      }
      else expect(r.reason, `${r.regulation} ${r.article}`).toMatch(/\S{3,}/);
    }
  });

  it('quotes every paragraph in Chinese, numbered from 1, and a regulation with an English text in English paragraph by paragraph', () => {
    for (const reg of new Set(articles.map((a) => a.regulation))) {
      const paragraphs = articles.filter((a) => a.regulation === reg).flatMap((a) => a.paragraphs.map((p, i) => ({ where: `${reg} ${a.article}.${p.number}`, p, i })));
      const english = paragraphs.filter(({ p }) => p.en !== undefined).length;
      expect([0, paragraphs.length], `${reg}: paragraphs with an English text`).toContain(english);
      for (const { where, p, i } of paragraphs) {
        expect(p.number, where).toBe(i + 1);
        expect(p.zh, where).toMatch(/\p{Script=Han}{3}/u);
        if (p.en !== undefined) expect(p.en, where).toMatch(/[A-Za-z]{3,}/);
      }
    }
  });
});
