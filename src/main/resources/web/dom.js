// Building the page from data. Everything that comes from files, paths and models is set as
// text (textContent, attributes), never parsed as markup: a file named <img onerror=…>.jpg is
// shown as that name.

/** An element: h('a.card', {href: '/asset/1'}, 'text', child, …). Class names after the tag. */
export function h(spec, attributes, ...children) {
  const [tag, ...classes] = spec.split('.');
  const element = document.createElement(tag || 'div');
  if (classes.length) element.className = classes.join(' ');
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An SVG icon from the sprite-free set below, drawn with DOM calls (no markup strings). */
const ICONS = {
  image: 'M4 5h16v14H4z M4 15l4-4 4 4 3-3 5 5',
  video: 'M3 6h13v12H3z M16 10l5-3v10l-5-3',
  audio: 'M9 17V5l10-2v12 M9 17a2 2 0 1 1-4 0 2 2 0 0 1 4 0z M19 15a2 2 0 1 1-4 0 2 2 0 0 1 4 0z',
  note: 'M5 4h10l4 4v12H5z M8 11h8 M8 15h6',
  copy: 'M8 8h11v12H8z M5 16V4h11',
  folder: 'M3 6h6l2 2h10v11H3z',
  job: 'M4 8h16v11H4z M9 8V5h6v3',
  check: 'M4 12l5 5L20 6',
};

export function icon(name, label) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
  }
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name] || ICONS.image);
  svg.append(path);
  return svg;
}

/** Replaces what a container holds. */
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return null;
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** Seconds with tenths, for scene and transcript times. */
export function clock(seconds) {
  const whole = Math.floor(seconds);
  return `${duration(whole)}.${Math.floor((seconds - whole) * 10)}`;
}

export function bytes(count) {
  if (count === null || count === undefined) return null;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

export function when(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A JSON column that may hold a list (as parsed JSON, or as its text). */
export function list(value) {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  return [];
}
