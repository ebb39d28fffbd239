// The watcher live: state, uptime, queue, progress of a scan, a re-analysis and a re-verification
// pass, files found with bit rot, each watch path's health, the counts and AI usage, refreshed
// every second and a half without reloading; the most recent runs (scans, rescans, verifications)
// with what each found; the most recent failures, each a link to the file's page.
import { h, show, bytes, when, duration } from './dom.js';
import { Latest } from './api.js';

const EVERY_MS = 1500;
const RUNS_SHOWN = 8;
const STATUS_WORDS = { unfinished: 'did not finish' };
const COUNTS = [['Seen', 'seen'], ['Indexed', 'indexed'], ['Skipped', 'skipped'], ['Failed', 'failed'],
  ['Deleted', 'deleted'], ['Corrupt', 'corrupt'], ['Warnings', 'warnings'], ['Bit rot', 'bit_rot']];

export function enter(container) {
  const status = new Latest();
  const failures = new Latest();
  const history = new Latest();
  const live = h('div', { id: 'status-live', 'aria-live': 'off' });
  const runs = h('div', { id: 'recent-runs' });
  const recent = h('div', { id: 'recent-failures' });
  show(container, h('h1', {}, 'Status'), live, h('h2', {}, 'Recent runs'), runs, h('h2', {}, 'Recent failures'),
    recent);
  let timer = null;
  let stopped = false;

  async function refresh() {
    await Promise.all([
      status.get('/api/v1/status').then((report) => show(live, render(report)),
        (error) => show(live, h('p.error', {}, `The daemon does not answer: ${error.message}`))),
      history.get(`/api/v1/history?limit=${RUNS_SHOWN}`).then((answer) => show(runs, runTable(answer)),
        (error) => show(runs, h('p.error', {}, error.message))),
      failures.get('/api/v1/failures?limit=10').then((failed) => show(recent, failureList(failed)),
        (error) => show(recent, h('p.error', {}, error.message))),
    ]);
    if (!stopped) timer = setTimeout(refresh, EVERY_MS);
  }
  refresh();
  return {
    leave: () => { stopped = true; clearTimeout(timer); status.cancel(); history.cancel(); failures.cancel(); },
  };
}

function render(report) {
  const watcher = report.watcher || {};
  const state = watcher.state || {};
  const counts = report.counts || {};
  const rows = [
    ['Watcher', watcher.running ? `running (pid ${state.pid}, ${state.host})` : 'not running'],
    ['State', state.state],
    ['Up', watcher.uptime_seconds != null ? duration(watcher.uptime_seconds) : null],
    ['Queue', state.queue_depth != null ? String(state.queue_depth) : null],
    ['Processed', state.processed_count != null
      ? `${state.processed_count} indexed, ${state.skipped_count} skipped, ${state.failed_count} failed` : null],
    ['Last file', state.last_processed_path ? `${state.last_processed_path} (${when(state.last_processed_at)})` : null],
    ['Last error', state.last_error],
    ['Assets', `${counts.assets ?? 0} (${counts.image ?? 0} images, ${counts.video ?? 0} videos, ${counts.audio ?? 0}`
      + ` audio), ${bytes(counts.asset_bytes ?? 0)}`],
    ['Paths', `${counts.live_paths ?? 0} live, ${counts.deleted_paths ?? 0} deleted`],
    ['Failing files', String(counts.failing_files ?? 0)],
    ['Integrity', `${counts.corrupt_files ?? 0} corrupt, ${counts.warning_files ?? 0} with warnings`
      + `${counts.accepted_files ? `, ${counts.accepted_files} accepted as good` : ''}`],
    ['Re-verification', verification(state.verification)],
    ['Vectors', (counts.vectors || []).map((v) => `${v.vectors} ${v.model} (${v.state})`).join('; ') || 'none'],
    ['Index', report.index ? `${bytes(report.index.size_bytes)}, schema ${report.index.schema_version}` : null],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  return [
    h('dl.facts', { id: 'status-facts' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    progress('Scan', state.scan_progress),
    progress(state.reanalysis ? `Re-analysis (${state.reanalysis.analyzer})` : 'Re-analysis', state.reanalysis),
    state.verification && state.verification.state === 'verifying'
      ? progress('Re-verification', { done: state.verification.done_files, total: state.verification.due_files })
      : null,
    bitRot(counts),
    h('h2', {}, 'Watch paths'),
    h('table.roots', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Path'), h('th', {}, 'Health'))),
      h('tbody', {}, (report.watch_paths || []).map((root) => h('tr', {},
        h('td', {}, h('code', {}, root.path), root.jobs_root ? ' (jobs)' : ''),
        h('td', {}, (state.roots && state.roots[root.path]) || (root.exists ? 'present' : 'missing')))))),
    watchers(report.watchers || []),
    ai(state.ai || {}),
  ];
}

/** Every watcher of the index (on this machine or another sharing its PostgreSQL database), with its health. */
function watchers(list) {
  if (!list.length) return null;
  return [h('h2', {}, 'Watchers of the index'),
    h('table.roots', { id: 'watchers' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Host'), h('th', {}, 'Workspace'), h('th', {}, 'Health'),
        h('th', {}, 'State'), h('th', {}, 'Indexed'), h('th', {}, 'Last heartbeat'))),
      h('tbody', {}, list.map((w) => h('tr', {},
        h('td', {}, w.host), h('td', {}, h('code', {}, w.workspace)),
        h(w.health === 'stale' ? 'td.failed' : 'td', {}, w.health),
        h('td', {}, w.state), h('td', {}, `${w.files_indexed} (${w.files_failed} failed)`),
        h('td', {}, when(w.heartbeat_at))))))];
}

function verification(value) {
  if (!value) return 'off';
  const every = value.every_days === 1 ? 'every day' : `every ${value.every_days} days`;
  if (value.state === 'verifying') {
    return `reading (${every}): ${bytes(value.done_bytes)} of ${bytes(value.due_bytes)}`;
  }
  return `idle (${every})${value.last_pass_finished_at ? `, last pass ended ${when(value.last_pass_finished_at)}` : ''}`;
}

function bitRot(counts) {
  const found = counts.bit_rot || [];
  if (!found.length) return null;
  const files = counts.bit_rot_files;
  return [h('h2.error', {}, `Bit rot: ${files} ${files === 1 ? 'file' : 'files'}`),
    h('p', {}, 'Their bytes changed while their size and modification time did not. The index keeps the recorded'
      + ' content: restore them from a backup, or index the new bytes with asset-index scan --rehash PATH.'),
    h('table.log', { id: 'bit-rot' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Found'), h('th', {}, 'File'), h('th', {}, 'Indexed as'),
        h('th', {}, 'Now'))),
      h('tbody', {}, found.map((row) => h('tr', {},
        h('td', {}, when(row.found_at)),
        h('td', {}, h('a', { href: `/asset/${row.expected_hash}` }, h('code', {}, row.path))),
        h('td', {}, h('code', {}, row.expected_hash.slice(0, 12))),
        h('td', {}, h('code', {}, row.found_hash.slice(0, 12)))))))];
}

function runTable(answer) {
  const rows = answer.runs || [];
  if (!rows.length) return h('p.muted', {}, 'No scan has run yet.');
  return h('table.runs', {},
    h('thead', {}, h('tr', {}, ['Started', 'Kind', 'Status', 'Took', 'Paths', ...COUNTS.map(([label]) => label)]
      .map((label) => h('th', {}, label)))),
    h('tbody', {}, rows.map((run) => {
      const counts = run.counts || {};
      const flagged = (key) => (counts[key] > 0 && ['corrupt', 'failed', 'bit_rot'].includes(key) ? 'td.failed'
        : counts[key] > 0 && key === 'warnings' ? 'td.warn' : 'td');
      return h('tr', { dataset: { status: run.status } },
        h('td', {}, when(run.started_at)),
        h('td', {}, run.kind),
        h(run.status === 'ok' || run.status === 'running' ? 'td' : 'td.failed', {},
          STATUS_WORDS[run.status] || run.status),
        h('td', {}, took(run)),
        h('td', {}, (run.paths || []).join(', ')),
        COUNTS.map(([, key]) => h(flagged(key), {}, counts[key] ?? '–')));
    })));
}

/** How long a run took, or has been running. */
function took(run) {
  const seconds = run.duration_seconds;
  if (seconds === null || seconds === undefined) return '–';
  const text = seconds < 60 ? `${seconds.toFixed(1)} s` : duration(seconds);
  return run.status === 'running' ? `${text} so far` : text;
}

function progress(label, value) {
  if (!value || !value.total) return null;
  const id = `p-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return h('div.progress', {},
    h('label', { for: id }, `${label}: ${value.done.toLocaleString()} of ${value.total.toLocaleString()}`),
    h('progress', { id, max: value.total, value: value.done }));
}

function ai(usage) {
  const services = Object.entries(usage);
  if (!services.length) return null;
  const keys = [...new Set(services.flatMap(([, counters]) => Object.keys(counters)))];
  return [h('h2', {}, 'AI usage'), h('table.roots', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'Service'), keys.map((key) => h('th', {}, key.replace(/_/g, ' '))))),
    h('tbody', {}, services.map(([name, counters]) => h('tr', {}, h('td', {}, name),
      keys.map((key) => h('td', {}, String(counters[key] ?? 0)))))))];
}

export function failureList(answer, { action = null } = {}) {
  const rows = answer.failures || [];
  if (!rows.length) return h('p.muted', {}, 'No file is failing.');
  return h('table.log.failures', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Stage'), h('th', {}, 'File'), h('th', {}, 'Reason'))),
    h('tbody', {}, rows.map((row) => h('tr', {},
      h('td', {}, when(row.ran_at)),
      h('td', {}, row.stage || '–'),
      h('td', {}, row.asset_id ? h('a', { href: `/asset/${row.asset_id}` }, h('code', {}, row.path))
        : h('code', {}, row.path), row.present === false ? h('span.muted', {}, ' (gone)') : null),
      h('td', {}, row.error || '')))),
    action);
}
