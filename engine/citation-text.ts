// How people, policy tests and audits name an article and a citation: `live-2016 16`, `live-2016 16.1`.

export const articleKey = (c: { readonly regulation: string; readonly article: number }): string => `${c.regulation} ${c.article}`;

export const citationText = (c: { readonly regulation: string; readonly article: number; readonly paragraph?: number }): string =>
  `${articleKey(c)}${c.paragraph === undefined ? '' : `.${c.paragraph}`}`;
