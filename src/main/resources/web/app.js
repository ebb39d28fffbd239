// The page: one shell, a view per address. Links are real links (they open in a new tab and can
// be shared); a click on one inside the page shows its view without reloading.
import { h, show } from './dom.js';

const VIEWS = [
  { pattern: /^\/$/, nav: 'search', load: () => import('./search.js') },
  { pattern: /^\/asset\/([0-9a-fA-F]{6,64})$/, nav: null, load: () => import('./asset.js') },
  { pattern: /^\/folders$/, nav: 'folders', load: () => import('./folders.js') },
  { pattern: /^\/status$/, nav: 'status', load: () => import('./status.js') },
  { pattern: /^\/failures$/, nav: 'failures', load: () => import('./failures.js') },
];

const container = document.getElementById('view');
let current = null;
let currentPath = null;

/** Shows the view of the address in the location bar. */
async function route() {
  const match = VIEWS.map((view) => ({ view, found: view.pattern.exec(location.pathname) }))
    .find((candidate) => candidate.found);
  if (!match) {
    show(container, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '/' }, 'Search the index')));
    return;
  }
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === match.view.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const module = await match.view.load();
  // The same view for a new query string (filters, paging) updates in place.
  if (current && current.module === module && currentPath === location.pathname && current.update) {
    current.update(new URLSearchParams(location.search));
    return;
  }
  if (current && current.leave) current.leave();
  currentPath = location.pathname;
  current = { module, ...module.enter(container, match.found.slice(1), new URLSearchParams(location.search)) };
}

/** Goes to an address of the page, adding it to the history (or replacing the current entry). */
export function navigate(url, { replace = false } = {}) {
  const target = new URL(url, location.href);
  if (target.href === location.href) return;
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  route();
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
      || event.altKey) {
    return;
  }
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const target = new URL(link.href);
  if (target.origin !== location.origin || target.pathname.startsWith('/api/')) return;
  event.preventDefault();
  if (target.href !== location.href) {
    navigate(target.href);
    window.scrollTo(0, 0);
    container.focus({ preventScroll: true });
  }
});
window.addEventListener('popstate', route);
route();
