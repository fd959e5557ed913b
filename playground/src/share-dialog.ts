// Export and share, the dialog: download the edited files as a zip or as a patch, a permalink to
// copy, and a zip to import. Loaded when first opened (it brings fflate and jsdiff).
import { linkOf } from './permalink.js';
import { patchOf, readZip, zipOf } from './share.js';
import { byId, h } from './view.js';

export interface ShareContext {
  /** The shipped files, by path, and the digest of those sources. */
  readonly base: ReadonlyMap<string, string>;
  readonly digest: string;
  /** The edits as they are now. */
  readonly edits: () => ReadonlyMap<string, string>;
  readonly event: () => string;
  readonly open: () => string;
  /** Makes `next` the edits: every other file goes back to its shipped text. */
  readonly replaceEdits: (next: ReadonlyMap<string, string>) => void;
  readonly toast: (message: string) => void;
}

function download(name: string, data: Uint8Array | string, type: string): void {
  const url = URL.createObjectURL(new Blob([data as Uint8Array<ArrayBuffer> | string], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `tiaoli-edits-<first digits of the sources' digest>`: which revision the files were edited from. */
const fileName = (c: ShareContext, ext: string) => `tiaoli-edits-${c.digest.replace(/^sha256:/, '').slice(0, 8)}.${ext}`;

export async function openShare(c: ShareContext): Promise<void> {
  const dialog = byId<HTMLDialogElement>('share-dialog');
  const edits = c.edits();
  const paths = [...edits.keys()].sort();
  const error = h('p', { id: 'share-error', class: 'notice error', role: 'alert', hidden: true });
  const fail = (message: string) => {
    error.textContent = message;
    error.removeAttribute('hidden');
  };
  const link = h('input', { id: 'share-link', type: 'text', readonly: true, value: await linkOf({ edits: Object.fromEntries(edits), event: c.event(), open: c.open(), digest: c.digest }, location.href.replace(/#.*$/, '')) });
  const file = h('input', { id: 'share-import', type: 'file', accept: '.zip,application/zip' });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    void chosen.arrayBuffer().then((buffer) => {
      file.value = '';
      const read = readZip(new Uint8Array(buffer), c.base);
      if ('error' in read) return fail(`${chosen.name}: ${read.error}. Nothing was imported 未导入任何内容。`);
      const lost = c.edits().size;
      if (lost && !confirm(`Importing ${chosen.name} replaces your edits to ${lost} file(s).\n导入将替换你对 ${lost} 个文件的修改。`)) return;
      c.replaceEdits(read.edits);
      dialog.close();
      c.toast(`Imported ${read.edits.size} edited file(s) from ${chosen.name}. 已导入 ${read.edits.size} 个修改的文件。`);
    });
  });
  dialog.replaceChildren(
    h('h2', {}, 'Export and share 导出与分享'),
    h(
      'p',
      {},
      paths.length ? `${paths.length} file(s) edited 已修改 ${paths.length} 个文件: ` : 'Nothing edited yet 尚无修改.',
      ...paths.flatMap((p, i) => [i ? ', ' : '', h('code', {}, p)]),
    ),
    h(
      'div',
      { class: 'share-row' },
      h('button', { id: 'share-zip', type: 'button', disabled: !paths.length, onclick: () => download(fileName(c, 'zip'), zipOf(edits), 'application/zip') }, 'Download the files (zip) 下载文件'),
      h('button', { id: 'share-patch', type: 'button', disabled: !paths.length, onclick: () => download(fileName(c, 'patch'), patchOf(c.base, edits, c.digest), 'text/x-diff') }, 'Download a patch 下载补丁'),
    ),
    h('h3', {}, 'Permalink 永久链接'),
    h(
      'div',
      { class: 'share-row' },
      link,
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            link.select();
            void navigator.clipboard.writeText(link.value).then(
              () => c.toast('Link copied 已复制链接'),
              () => c.toast('Copy the selected link with Ctrl+C 请按 Ctrl+C 复制'),
            );
          },
        },
        'Copy 复制',
      ),
    ),
    h('p', { class: 'muted' }, `The edits and the event travel after the # of the link (${link.value.length} characters), which browsers never send to a server. 修改和事件在链接的 # 之后，浏览器不会发送给服务器。`),
    h('h3', {}, 'Import a zip 导入 zip'),
    h('p', { class: 'muted' }, 'Its files replace the edits; a zip with anything but policy and test files of this tree is refused whole. 其中的文件将替换当前修改。'),
    file,
    error,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Close 关闭')),
  );
  if (!dialog.open) dialog.showModal();
}
