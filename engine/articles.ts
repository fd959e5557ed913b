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
}

export function articleTable(bundle: CheckedBundle): ArticleRow[] {
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
      });
    }
  }
  return rows;
}
