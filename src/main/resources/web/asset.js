// One asset: the picture large or the player, the facts, what the AI found (scenes and transcript
// lines seek the player), every path with a copy button, the integrity verdict, the settings each
// analysis ran with, the attempts, and the assets nearest in meaning.
import { h, show, icon, duration, clock, bytes, when, list } from './dom.js';
import { Latest } from './api.js';
import { grid } from './grid.js';

/** Pictures a browser shows as they are; others (HEIC, TIFF) are shown by their thumbnail. */
const SHOWN = /\.(jpe?g|png|gif|webp|avif|bmp|svg)$/i;

export function enter(container, [id]) {
  const latest = new Latest();
  const similar = new Latest();
  show(container, h('p.muted', {}, 'Loading…'));
  latest.get(`/api/v1/assets/${id}`).then((doc) => {
    render(container, doc);
    similar.get(`/api/v1/similar/${doc.asset.id}?limit=12`).then(
      (answer) => show(container.querySelector('#similar'), (answer.results || []).length
        ? grid(answer.results, { label: 'Similar assets', strip: true }) : h('p.muted', {}, 'Nothing similar yet.')),
      (error) => show(container.querySelector('#similar'), h('p.muted', {}, error.message)));
  }, (error) => show(container, h('h1', {}, 'Asset'), h('p.error', {}, error.message)));
  return { leave: () => { latest.cancel(); similar.cancel(); } };
}

function render(container, doc) {
  const asset = doc.asset;
  const analyses = Object.fromEntries((doc.analyses || []).map((entry) => [entry.analyzer, entry.result || {}]));
  const probe = analyses.probe || {};
  const raw = (asset.raw_json && asset.raw_json.probe) || {};
  const live = (doc.paths || []).filter((path) => !path.deleted_at);
  const name = asset.file_name || (live[0] && live[0].path) || asset.id;
  const media = player(asset, name, live.length > 0);

  const scenes = list(asset.scenes_json).filter((scene) => scene && typeof scene === 'object');
  const segments = list((analyses.transcribe || {}).segments);
  const seek = (seconds) => {
    if (!media.seekable) return;
    media.element.currentTime = seconds;
    media.element.play().catch(() => {});
  };

  show(container,
    h('h1.asset-title', {}, icon(asset.media_type), h('span', {}, name)),
    h('div.asset', {},
      h('div.media', {}, media.element, live.length ? null : h('p.muted', {}, 'No live path holds this content now.')),
      h('div.side', {},
        facts(asset, probe, raw),
        asset.summary ? section('Summary', h('p.summary-text', {}, asset.summary)) : null,
        chips('Tags', list(asset.tags_json)),
        chips('Mood', list(asset.mood_json)),
        scenes.length ? section('Scenes', h('ol.times', {}, scenes.map((scene) => h('li', {},
          timeButton(scene.start_seconds, seek, media.seekable), h('span', {}, String(scene.description ?? '')))))) : null,
        transcript(asset.transcript, segments, seek, media.seekable),
        paths(doc.paths || []),
        integrity(analyses.integrity, doc.integrity_accepted),
        analysisSettings(doc.analyses || []),
        attempts(doc.attempts || []))),
    section('Similar', h('div', { id: 'similar' }, h('p.muted', {}, 'Loading…'))));
}

function player(asset, name, live) {
  const file = `/api/v1/assets/${asset.id}/file`;
  if (live && asset.media_type === 'video') {
    const video = h('video', { controls: true, preload: 'metadata', src: file, poster: `/api/v1/assets/${asset.id}/thumbnail`,
      'aria-label': name });
    return { element: video, seekable: true };
  }
  if (live && asset.media_type === 'audio') {
    return { element: h('audio', { controls: true, preload: 'metadata', src: file, 'aria-label': name }), seekable: true };
  }
  const direct = live && SHOWN.test(name);
  const img = h('img.large', { src: direct ? file : `/api/v1/assets/${asset.id}/thumbnail`, alt: name });
  img.addEventListener('error', () => img.replaceWith(h('div.thumb.none.large', { role: 'img', 'aria-label': name },
    icon(asset.media_type))), { once: true });
  return { element: img, seekable: false };
}

function timeButton(seconds, seek, seekable) {
  if (typeof seconds !== 'number') return h('span.time', {}, '–');
  return seekable ? h('button.time', { type: 'button', onclick: () => seek(seconds), title: 'Play from here' },
    clock(seconds)) : h('span.time', {}, clock(seconds));
}

function facts(asset, probe, raw) {
  const gps = probe.gps;
  const rows = [
    ['Type', asset.media_type],
    ['Dimensions', asset.width && asset.height ? `${asset.width} × ${asset.height}` : null],
    ['Duration', asset.duration_seconds != null ? duration(asset.duration_seconds) : null],
    ['Frame rate', asset.fps ? `${Math.round(asset.fps * 100) / 100} fps` : null],
    ['Video codec', raw.video_codec],
    ['Audio codec', raw.audio_codec],
    ['Container', probe.format || raw.container],
    ['Camera', [probe.camera_make, probe.camera_model].filter(Boolean).join(' ') || null],
    ['Lens', probe.lens],
    ['Captured', probe.captured_at || raw.created_at],
    ['GPS', gps && typeof gps.latitude === 'number' && typeof gps.longitude === 'number'
      ? `${gps.latitude.toFixed(5)}, ${gps.longitude.toFixed(5)}${typeof gps.altitude_m === 'number'
        ? `, ${Math.round(gps.altitude_m)} m` : ''}` : null],
    ['Size', bytes(asset.size_bytes)],
    ['Style', asset.style],
    ['Audio role', asset.audio_role],
    ['Content hash', asset.id],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  return section('Facts', h('dl.facts', {}, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, String(value))])));
}

function chips(title, values) {
  const shown = values.filter((value) => typeof value === 'string' && value);
  if (!shown.length) return null;
  return section(title, h('ul.chips', {}, shown.map((value) => h('li', {},
    h('a', { href: `/?tag=${encodeURIComponent(value)}` }, value)))));
}

function transcript(text, segments, seek, seekable) {
  if (segments.length) {
    return section('Transcript', h('ol.times.transcript', {}, segments.map((segment) => h('li', {},
      timeButton(segment.start_seconds, seek, seekable), h('span', {}, String(segment.text ?? ''))))));
  }
  return text ? section('Transcript', h('p.transcript', {}, text)) : null;
}

function paths(all) {
  return section('Paths', h('ul.paths', {}, all.map((path) => h('li', { class: path.deleted_at ? 'deleted' : null },
    h('code', {}, path.path),
    path.deleted_at ? h('span.muted', {}, ` deleted ${when(path.deleted_at)}`)
      : h('button.copy', { type: 'button', title: 'Copy the full path', 'aria-label': `Copy ${path.path}`,
        onclick: (event) => copy(path.abs_path || path.path, event.currentTarget) }, icon('copy'), 'Copy')))));
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard (a page not on localhost, or refused): select the text instead.
    const range = document.createRange();
    range.selectNodeContents(button.previousSibling);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }
  button.lastChild.textContent = 'Copied';
  setTimeout(() => { button.lastChild.textContent = 'Copy'; }, 1500);
}

function integrity(result, accepted) {
  if (!result) return section('Integrity', h('p.muted', {}, 'Not checked.'));
  const verdict = result.corrupt ? 'damaged' : result.warning ? 'readable, with warnings' : 'no damage found';
  const ignored = list(result.ignored).length;
  return section('Integrity', h('p', { class: result.corrupt ? 'error' : result.warning ? 'warn' : 'ok' },
    verdict, result.tool ? ` (${result.tool}${result.mode ? `, ${result.mode}` : ''})` : ''),
  result.details ? h('pre.details', {}, typeof result.details === 'string' ? result.details
    : JSON.stringify(result.details, null, 2)) : null,
  ignored ? h('p.muted', {}, `${ignored} ${ignored === 1 ? 'error' : 'errors'} made warnings by integrity.ignore_patterns.`)
    : null,
  accepted ? h('p.accepted', {}, icon('check'), h('span', {}, `Accepted as good by ${accepted.by} on ${accepted.host}, `
    + `${when(accepted.at)}${accepted.note ? `: ${accepted.note}` : ''}`)) : null);
}

const SETTINGS_STATES = {
  current: ['ok', 'current'],
  older: ['warn', 'older settings'],
  not_recorded: ['muted', 'settings not recorded'],
};

/** Each result's analyzer, whether its settings are the current ones, which they were, its config hash and when. */
function analysisSettings(rows) {
  if (!rows.length) return null;
  return section('Analysis settings', h('ul.analysis-settings', {}, rows.map((row) => {
    const [tone, label] = SETTINGS_STATES[row.settings_state] || SETTINGS_STATES.not_recorded;
    return h('li', { dataset: { state: row.settings_state } },
      h('div', {}, h('strong', {}, row.analyzer), ' ', h('span', { class: `badge ${tone}` }, label)),
      row.settings ? h('code', {}, settingsText(row.settings)) : null,
      h('div.muted.meta', {}, h('code', { title: row.config_hash }, shortHash(row.config_hash)),
        ` · computed ${when(row.computed_at)}`));
  })));
}

function shortHash(hash) {
  return String(hash || '').replace(/^sha256:/, '').slice(0, 12);
}

function settingsText(settings) {
  if (!settings || typeof settings !== 'object') return '';
  return Object.entries(settings).map(([key, value]) => `${key}=${typeof value === 'string'
    ? value.replace(/^sha256:([0-9a-f]{12})[0-9a-f]*$/, 'sha256:$1') : JSON.stringify(value)}`).join(' ');
}

function attempts(rows) {
  if (!rows.length) return null;
  return section('History', h('table.log', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Result'), h('th', {}, 'Path'), h('th', {}, 'Detail'))),
    h('tbody', {}, rows.map((row) => h('tr', {},
      h('td', {}, when(row.ran_at)),
      h('td', { class: row.status }, row.status, row.stage ? ` (${row.stage})` : ''),
      h('td', {}, h('code', {}, row.file_path)),
      h('td', {}, row.error || row.detail || ''))))));
}

function section(title, ...content) {
  return h('section.block', {}, h('h2', {}, title), content);
}
