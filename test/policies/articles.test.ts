// Every article of the three regulations is accounted for: encoded with rules, or declared
// non-operative with its reason.
import { describe, expect, it } from 'vitest';
import { articlesWithTests } from '../../engine/cli/articles.js';
import { SHIPPED_POLICIES } from '../../engine/index.js';
import { shippedPolicy } from '../helpers.js';

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
});
