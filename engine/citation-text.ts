// How people, policy tests and audits name an article and a citation: `live-2016 16`, `live-2016 16.1`.

export const articleKey = (c: { readonly regulation: string; readonly article: number }): string => `${c.regulation} ${c.article}`;

export const citationText = (c: { readonly regulation: string; readonly article: number; readonly paragraph?: number }): string =>
  `${articleKey(c)}${c.paragraph === undefined ? '' : `.${c.paragraph}`}`;

/** A citation from its text (`live-2016 16.1`), or undefined when the text is not one. */
export function parseCitationText(text: string): { readonly regulation: string; readonly article: number; readonly paragraph?: number } | undefined {
  const m = /^(\S+) (\d+)(?:\.(\d+))?$/.exec(text);
  return m ? { regulation: m[1]!, article: Number(m[2]), ...(m[3] ? { paragraph: Number(m[3]) } : {}) } : undefined;
}
