// The watch paths as folders: jobs first-class, counts of assets under each folder, and the same
// grid as search for what a folder holds (all the assets under it, newest first).
import { h, show, icon } from './dom.js';
import { Latest, query } from './api.js';
import { grid } from './grid.js';

const PAGE = 50;

export function enter(container, _match, params) {
  const tree = new Latest();
  const assets = new Latest();
  const crumbs = h('nav.crumbs', { 'aria-label': 'Folder' });
  const children = h('div', { id: 'folders' });
  const summary = h('p.summary', { role: 'status' });
  const results = h('div.results', { id: 'results' });
  const pager = h('nav.pager', { 'aria-label': 'Pages' });
  show(container, h('h1', {}, 'Folders'), crumbs, children, summary, results, pager);

  async function update(next) {
    const root = next.get('root') || '';
    const folder = next.get('folder') || '';
    const page = Math.max(1, parseInt(next.get('page') || '1', 10) || 1);
    show(crumbs, breadcrumbs(root, folder));
    let answer;
    try {
      answer = await tree.get(`/api/v1/folders${query({ root, folder })}`);
    } catch (error) {
      show(children, h('p.error', {}, error.message));
      show(results);
      show(summary);
      show(pager);
      return;
    }
    show(children, answer.folders.length ? h('ul.folder-list', {}, answer.folders.map((child) => h('li', {},
      h('a.folder', { href: `/folders${query({ root: child.root, folder: child.folder })}` },
        icon(child.job ? 'job' : 'folder'), h('span.name', {}, child.name),
        child.job ? h('span.badge', {}, 'job') : null,
        h('span.count', {}, `${child.assets.toLocaleString()} ${child.assets === 1 ? 'asset' : 'assets'}`)))))
      : null);
    if (!root) {
      show(summary, `${answer.folders.length} watch ${answer.folders.length === 1 ? 'path' : 'paths'}`);
      show(results);
      show(pager);
      return;
    }
    const prefix = folder ? `${root}/${folder}/` : `${root}/`;
    const filters = { root, folder, sort: 'name', limit: PAGE, offset: (page - 1) * PAGE };
    let list;
    try {
      list = await assets.get(`/api/v1/assets${query(filters)}`);
    } catch (error) {
      show(results, h('p.error', {}, error.message));
      return;
    }
    show(summary, `${list.total.toLocaleString()} ${list.total === 1 ? 'asset' : 'assets'} under ${prefix}`);
    show(results, list.results.length ? grid(list.results, { label: `Assets under ${prefix}` }) : null);
    const more = filters.offset + list.results.length < list.total;
    const link = (n) => `/folders${query({ root, folder, page: n > 1 ? n : null })}`;
    show(pager,
      page > 1 ? h('a', { href: link(page - 1), rel: 'prev' }, '← Previous') : null,
      page > 1 || more ? h('span', {}, `Page ${page}`) : null,
      more ? h('a', { href: link(page + 1), rel: 'next' }, 'Next →') : null);
  }

  update(params);
  return { update, leave: () => { tree.cancel(); assets.cancel(); } };
}

function breadcrumbs(root, folder) {
  const items = [h('a', { href: '/folders' }, 'All watch paths')];
  if (root) {
    items.push(h('a', { href: `/folders${query({ root })}` }, root));
    const parts = folder ? folder.split('/') : [];
    parts.forEach((part, i) => items.push(h('a', {
      href: `/folders${query({ root, folder: parts.slice(0, i + 1).join('/') })}`,
    }, part)));
  }
  items[items.length - 1].setAttribute('aria-current', 'page');
  return h('ol', {}, items.map((item) => h('li', {}, item)));
}
