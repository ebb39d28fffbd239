// The grid of assets shared by search, folders and the similar strip: each tile a real link to
// the asset's page, its thumbnail loaded lazily, badges for type, duration and size. Audio (and
// anything without a thumbnail yet) shows a drawn tile, never a broken image.
import { h, icon, duration } from './dom.js';

export function grid(results, { label = 'Results', strip = false } = {}) {
  return h(`ul.grid${strip ? '.strip' : ''}`, { 'aria-label': label }, results.map((asset) => h('li', {}, card(asset))));
}

export function card(asset) {
  const path = (asset.paths && asset.paths[0]) || asset.file_name || asset.id;
  const name = asset.file_name || path.split('/').pop();
  const type = asset.media_type;
  const badges = h('span.badges', {},
    h('span.badge', {}, icon(type), type),
    asset.duration_seconds != null ? h('span.badge', {}, duration(asset.duration_seconds)) : null,
    asset.width && asset.height ? h('span.badge', {}, `${asset.width}×${asset.height}`) : null,
    asset.has_transcript ? h('span.badge', { title: 'has a transcript' }, icon('note', 'transcript')) : null,
    asset.weak ? h('span.badge.weak', { title: 'far below the best match' }, 'weak') : null);
  return h('a.card', { href: `/asset/${asset.id}`, title: path, dataset: { id: asset.id, type } },
    thumbnail(asset, name),
    h('span.caption', {}, h('span.name', {}, name), badges, why(asset.matched)));
}

/** Why a search result matched: the fields, and the snippet with the matched words marked. */
function why(matched) {
  if (!matched) return null;
  const fields = (matched.fields || []).join(', ');
  const start = matched.transcript_start_seconds;
  const label = `${fields}${typeof start === 'number' ? ` @ ${duration(start)}` : ''}`;
  const snippet = matched.snippet ? marked(matched.snippet) : null;
  return h('span.why', { title: `matched: ${label}` }, h('span.fields', {}, label), snippet);
}

/** The snippet's [marked] words as <mark> elements, the rest as text. */
function marked(snippet) {
  const out = h('span.snippet', {});
  snippet.split(/(\[[^\]]*\])/).forEach((part) => {
    if (part.startsWith('[') && part.endsWith(']') && part.length > 2) out.append(h('mark', {}, part.slice(1, -1)));
    else if (part) out.append(part);
  });
  return out;
}

function thumbnail(asset, name) {
  if (asset.media_type === 'audio') return audioTile(asset.id);
  const frame = h('span.thumb', {});
  const img = h('img', {
    src: `/api/v1/assets/${asset.id}/thumbnail`, alt: name, loading: 'lazy', decoding: 'async',
    width: 256, height: 256,
  });
  img.addEventListener('error', () => frame.replaceChildren(placeholder(asset.media_type)), { once: true });
  frame.append(img);
  return frame;
}

/** Bars whose heights follow the asset's id: the same sound always has the same picture. */
function audioTile(id) {
  const tile = h('span.thumb.audio', { role: 'img', 'aria-label': 'audio' });
  const bars = h('span.wave', {});
  for (let i = 0; i < 24; i += 1) {
    const digit = parseInt(id.charAt(i % id.length), 16) || 0;
    const bar = h('span', {});
    bar.style.setProperty('--level', String(0.2 + (digit / 15) * 0.8));
    bars.append(bar);
  }
  tile.append(icon('audio'), bars);
  return tile;
}

function placeholder(type) {
  return h('span.thumb.none', { role: 'img', 'aria-label': `${type}, no thumbnail yet` }, icon(type));
}
