// The article table: every article of every regulation in a bundle, how it is encoded.
import type { CheckedBundle } from '../language/checked.js';

export interface ArticleRow {
  readonly regulation: string;
  readonly article: number;
  /** The first words of the article's Chinese text. */
  readonly firstWords: string;
  readonly status: 'encoded' | 'non-operative' | 'missing';
  readonly reason?: string;
  readonly rules: number;
  readonly versions: number;
  /** Policy test cases for the article (from `<regulation>/article-NN….test.yaml`), when counted. */
  readonly tests?: number;
}

/** The article a policy test file is about, from its name: `live-2016/article-12.test.yaml`. */
export function articleOfTestFile(path: string): string | undefined {
  const m = /(?:^|\/)([^/]+)\/article-0*(\d+)[^/]*\.test\.yaml$/.exec(path);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** `tests` maps `regulation/article` to a number of test cases. */
export function articleTable(bundle: CheckedBundle, tests?: ReadonlyMap<string, number>): ArticleRow[] {
  const rows: ArticleRow[] = [];
  for (const reg of bundle.regulations) {
    for (let n = 1; n <= reg.articleCount; n++) {
      const versions = bundle.articles.filter((a) => a.regulation === reg.id && a.article === n);
      // The latest version speaks for the article; older ones are history.
      const latest = versions.at(-1);
      const zh = latest?.paragraphs[0]?.zh ?? '';
      rows.push({
        regulation: reg.id,
        article: n,
        firstWords: zh.length > 24 ? `${zh.slice(0, 24)}…` : zh,
        status: !latest ? 'missing' : latest.nonOperative !== undefined ? 'non-operative' : 'encoded',
        ...(latest?.nonOperative !== undefined ? { reason: latest.nonOperative } : {}),
        rules: latest?.rules.length ?? 0,
        versions: versions.length,
        ...(tests ? { tests: tests.get(`${reg.id}/${n}`) ?? 0 } : {}),
      });
    }
  }
  return rows;
}
