// Search and browse, the start page. The address holds the query, the filters, the order and the
// page: reload, back/forward and a pasted link show the same results. With a query the daemon
// searches by words and meaning; without one it lists the index in the chosen order, with the facets of
// everything listed as links that narrow it.
import { h, show } from './dom.js';
import { Latest, query } from './api.js';
import { grid } from './grid.js';
import { navigate } from './app.js';

const PAGE = 50;
const FILTERS = ['type', 'min_duration', 'max_duration', 'min_width', 'min_height', 'root', 'job', 'tag', 'path',
  'audio_role'];
const SORTS = [['newest', 'newest indexed'], ['captured', 'capture time'], ['name', 'name'], ['size', 'size'],
  ['duration', 'duration'], ['oldest', 'oldest indexed']];
const MODES = [['hybrid', 'words and meaning'], ['keyword', 'words only'], ['semantic', 'meaning only']];

export function enter(container, _match, params) {
  const latest = new Latest();
  let typing = null;
  const input = h('input', {
    type: 'search', name: 'q', id: 'q', placeholder: 'Search by words or meaning: “DJI_0042”, “drone over the coast”',
    autocomplete: 'off', 'aria-label': 'Search',
  });
  const form = h('form.query', { role: 'search', onsubmit: (event) => {
    event.preventDefault();
    clearTimeout(typing);
    go({ q: input.value.trim(), page: null });
  } }, input, h('button', { type: 'submit' }, 'Search'));
  input.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => go({ q: input.value.trim(), page: null }, true), 300);
  });

  const filters = filterPanel((changes) => go({ ...changes, page: null }));
  const summary = h('p.summary', { id: 'summary', role: 'status' });
  const narrow = h('nav.facets', { id: 'facets', 'aria-label': 'Narrow down' });
  const results = h('div.results', { id: 'results' });
  const pager = h('nav.pager', { 'aria-label': 'Pages' });
  show(container, h('h1.visually-hidden', {}, 'Search'), form, filters.element, summary, narrow, results, pager);

  function current() {
    return new URLSearchParams(location.search);
  }

  /** A new address for changed parameters (typing replaces the history entry, the rest adds one). */
  function go(changes, replace = false) {
    const next = current();
    for (const [key, value] of Object.entries(changes)) {
      next.delete(key);
      if (Array.isArray(value)) value.forEach((item) => next.append(key, item));
      else if (value !== null && value !== undefined && value !== '') next.set(key, value);
    }
    const text = next.toString();
    navigate(`/${text ? `?${text}` : ''}`, { replace });
  }

  async function update(params) {
    const q = params.get('q') || '';
    if (input.value.trim() !== q) input.value = q;
    filters.fill(params, Boolean(q));
    const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
    const asked = { limit: PAGE, offset: (page - 1) * PAGE };
    for (const key of FILTERS) asked[key] = key === 'tag' ? params.getAll(key) : params.get(key);
    const path = q ? `/api/v1/search${query({ q, ...asked, mode: params.get('mode'), sort: params.get('sort') })}`
      : `/api/v1/assets${query({ ...asked, sort: params.get('sort') || 'newest' })}`;
    results.setAttribute('aria-busy', 'true');
    let answer;
    try {
      answer = await latest.get(path);
    } catch (error) {
      results.removeAttribute('aria-busy');
      show(summary, h('span.error', {}, error.message));
      show(narrow);
      show(results);
      show(pager);
      return;
    }
    results.removeAttribute('aria-busy');
    const found = answer.results || [];
    const total = typeof answer.total === 'number' ? answer.total : null;
    const first = asked.offset + 1;
    if (!found.length) {
      show(summary, asked.offset ? 'No more results.' : (q ? 'Nothing found.' : 'The index is empty for these filters.'));
    } else if (total !== null) {
      show(summary, `${total.toLocaleString()} ${total === 1 ? 'asset' : 'assets'}`,
        total > found.length ? ` · ${first}–${asked.offset + found.length}` : '');
    } else {
      show(summary, `Results ${first}–${asked.offset + found.length} for “${q}”`);
    }
    show(narrow, q ? null : facets(answer.facets, params));
    show(results, found.length ? grid(found, { label: q ? `Results for ${q}` : 'Assets' }) : null);
    performance.mark('results-shown'); // read by the browser tests
    const more = total !== null ? asked.offset + found.length < total : found.length === PAGE;
    show(pager,
      page > 1 ? h('a', { href: link(params, page - 1), rel: 'prev' }, '← Previous') : null,
      page > 1 || more ? h('span', {}, `Page ${page}`) : null,
      more ? h('a', { href: link(params, page + 1), rel: 'next' }, 'Next →') : null);
  }

  update(params);
  return { update, leave: () => latest.cancel() };
}

function link(params, page) {
  const next = new URLSearchParams(params);
  if (page > 1) next.set('page', String(page));
  else next.delete('page');
  const text = next.toString();
  return `/${text ? `?${text}` : ''}`;
}

/** The facets of a browse (list's), as the filter each sets and the name shown for it. */
const FACETS = [['media_type', 'type', 'Type'], ['root', 'root', 'Watch path'], ['job', 'job', 'Job'],
  ['tag', 'tag', 'Tag']];
const CHIPS_SHOWN = 10;

/**
 * How the listed assets divide up (all pages): per facet a row of chips, each a link that adds
 * its filter to the address (a tag is added to those asked for), with how many assets it holds.
 */
function facets(counted, params) {
  const rows = FACETS.filter(([key]) => counted && (counted[key] || []).length).map(([key, filter, label]) => {
    const chips = counted[key].map(({ value, count }) => h('li', {}, facetChip(params, filter, value, count)));
    const more = chips.splice(CHIPS_SHOWN);
    if (more.length) {
      chips.push(h('li', {}, h('details.more', {}, h('summary', {}, `${more.length} more`), h('ul.chips', {}, more))));
    }
    return h('div.facet', {}, h('span.facet-name', {}, label), h('ul.chips', { 'aria-label': label }, chips));
  });
  return rows.length ? rows : null;
}

/** A link that adds filter=value to the address, or the value alone when the filter already asks for it. */
function facetChip(params, filter, value, count) {
  const text = [String(value), h('span.count', {}, Number(count).toLocaleString())];
  const asked = filter === 'tag' ? params.getAll('tag').some((tag) => tag.toLowerCase() === value)
    : params.get(filter) === value;
  if (asked) return h('span.chip', { 'aria-current': 'true' }, text);
  const next = new URLSearchParams(params);
  if (filter === 'tag') next.append('tag', value);
  else next.set(filter, value);
  next.delete('page');
  return h('a', { href: `/?${next}`, title: `${filter}: ${value}` }, text);
}

/** The filters: a form whose every change becomes part of the address. */
function filterPanel(onChange) {
  const fields = {
    type: select('type', 'Type', [['', 'any'], ['image', 'images'], ['video', 'videos'], ['audio', 'audio']]),
    min_duration: number('min_duration', 'Min duration (s)'),
    max_duration: number('max_duration', 'Max duration (s)'),
    min_width: number('min_width', 'Min width (px)'),
    min_height: number('min_height', 'Min height (px)'),
    root: text('root', 'Watch path'),
    job: text('job', 'Job'),
    tag: text('tag', 'Tag or mood'),
    path: text('path', 'Path contains'),
    audio_role: select('audio_role', 'Audio role', [['', 'any'], ['voice_over', 'voice-over'],
      ['background_music', 'background music'], ['sound_effect', 'sound effect']]),
    sort: select('sort', 'Order', [['', 'relevance (searching) / newest'], ...SORTS]),
    mode: select('mode', 'Search by', MODES),
  };
  const form = h('form.filters', { 'aria-label': 'Filters', onsubmit: (event) => event.preventDefault() },
    Object.values(fields).map((field) => field.label));
  form.addEventListener('change', (event) => {
    const name = event.target.name;
    if (name) onChange({ [name]: event.target.value.trim() });
  });
  const reset = h('button', { type: 'button', onclick: () => onChange(Object.fromEntries(
    Object.keys(fields).map((key) => [key, null]))) }, 'Clear filters');
  form.append(reset);
  const element = h('details.filter-panel', {}, h('summary', {}, 'Filters'), form);
  return {
    element,
    fill(params, searching) {
      let active = 0;
      for (const [key, field] of Object.entries(fields)) {
        const value = params.get(key) || (key === 'mode' ? 'hybrid' : '');
        if (field.input.value !== value) field.input.value = value;
        if (params.get(key) && key !== 'sort' && key !== 'mode') active += 1;
      }
      fields.mode.input.disabled = !searching;
      element.querySelector('summary').textContent = active ? `Filters (${active})` : 'Filters';
      if (active) element.open = true;
    },
  };
}

function select(name, label, options) {
  const input = h('select', { name, id: `f-${name}` }, options.map(([value, text]) => h('option', { value }, text)));
  return { input, label: h('label', { for: `f-${name}` }, h('span', {}, label), input) };
}

function number(name, label) {
  const input = h('input', { type: 'number', min: 0, step: 'any', name, id: `f-${name}`, inputmode: 'decimal' });
  return { input, label: h('label', { for: `f-${name}` }, h('span', {}, label), input) };
}

function text(name, label) {
  const input = h('input', { type: 'text', name, id: `f-${name}`, autocomplete: 'off' });
  return { input, label: h('label', { for: `f-${name}` }, h('span', {}, label), input) };
}
