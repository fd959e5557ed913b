// Citations that open their article: a chip that shows the cited paragraph on hover and the whole
// article in a dialog on click, from the worker's latest analysis of the files as edited.
import type { Citation } from '../../engine/schema/decision.js';
import { citationName, type Lang } from '../../language/glossary.js';
import type { Analysis, ArticleInfo } from './protocol.js';
import { byId, h } from './view.js';

/** The version a citation shows: the one in `file` when that holds the article, else the latest. */
function articleFor(analysis: Analysis, c: Citation, file?: string): ArticleInfo | undefined {
  const versions = analysis.articles.filter((a) => a.regulation === c.regulation && a.article === c.article);
  return versions.find((a) => a.file === file) ?? versions.at(-1);
}

/** The article's text; `whole` shows every paragraph (the cited one marked), else only the cited ones. */
function articleView(analysis: Analysis, c: Citation, file: string | undefined, whole: boolean): HTMLElement {
  const reg = analysis.regulations.find((r) => r.id === c.regulation);
  const a = articleFor(analysis, c, file);
  const paragraphs = a?.paragraphs.filter((p) => whole || c.paragraph === undefined || p.number === c.paragraph) ?? [];
  return h(
    'div',
    { class: 'article' },
    h('div', { class: 'article-title' }, reg?.titleZh ?? c.regulation, reg?.titleEn ? h('span', { class: 'en' }, reg.titleEn) : null),
    h('div', { class: 'article-where' }, `${citationName(c, 'zh')} · ${citationName(c, 'en')}`, a ? ` · version ${a.version} · ${a.file}` : ''),
    ...paragraphs.map((p) =>
      h(
        'div',
        { class: `paragraph${whole && p.number === c.paragraph ? ' cited' : ''}` },
        h('p', { class: 'zh', lang: 'zh-CN' }, h('b', {}, `${p.number} `), p.zh),
        p.en ? h('p', { class: 'en', lang: 'en' }, p.en) : null,
      ),
    ),
    a ? null : h('p', { class: 'muted' }, 'No policy file holds this article. 没有该条的政策文件。'),
    a?.nonOperative !== undefined ? h('p', { class: 'muted' }, `Non-operative 不适用: ${a.nonOperative}`) : null,
  );
}

export class Articles {
  private readonly popover = byId('article-popover');
  private readonly dialog = byId<HTMLDialogElement>('article-dialog');

  constructor(
    private readonly analysis: () => Analysis,
    private readonly lang: () => Lang,
    private readonly openFile: (path: string) => void,
  ) {}

  /** A citation chip; `file` is the policy file whose version of the article applies. */
  chip(c: Citation, file?: string): HTMLElement {
    const chip = h('button', { class: 'cite', type: 'button' }, citationName(c, this.lang()));
    chip.addEventListener('mouseenter', () => this.showPopover(chip, c, file));
    chip.addEventListener('mouseleave', () => this.popover.setAttribute('hidden', ''));
    chip.addEventListener('click', () => {
      this.popover.setAttribute('hidden', '');
      this.showDialog(c, file);
    });
    return chip;
  }

  private showPopover(anchor: HTMLElement, c: Citation, file: string | undefined): void {
    this.popover.replaceChildren(articleView(this.analysis(), c, file, false));
    this.popover.removeAttribute('hidden');
    const box = anchor.getBoundingClientRect();
    const width = Math.min(480, window.innerWidth - 16);
    this.popover.style.width = `${width}px`;
    this.popover.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - width - 8))}px`;
    const below = box.bottom + 6;
    const height = this.popover.offsetHeight;
    this.popover.style.top = `${below + height < window.innerHeight ? below : Math.max(8, box.top - height - 6)}px`;
  }

  private showDialog(c: Citation, file: string | undefined): void {
    const a = articleFor(this.analysis(), c, file);
    const close = () => this.dialog.close();
    this.dialog.replaceChildren(
      articleView(this.analysis(), c, file, true),
      h(
        'div',
        { class: 'dialog-actions' },
        a
          ? h('button', { type: 'button', onclick: () => (close(), this.openFile(a.file)) }, 'Open the policy file 打开政策文件')
          : null,
        h('button', { type: 'button', class: 'primary', onclick: close }, 'Close 关闭'),
      ),
    );
    this.dialog.showModal();
  }
}
