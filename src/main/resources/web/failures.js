// Every file whose last attempt failed, with its stage and reason, and "Try again" (the requeue
// route): the daemon reads them again in the background, and the list follows.
import { h, show } from './dom.js';
import { Latest, postJson } from './api.js';
import { failureList } from './status.js';

export function enter(container) {
  const latest = new Latest();
  const summary = h('p.summary', { role: 'status', id: 'failures-summary' });
  const table = h('div', { id: 'failures' });
  const retry = h('button', { type: 'button', id: 'retry', onclick: tryAgain }, 'Try again');
  const said = h('p.muted', { role: 'status', id: 'retry-status' });
  show(container, h('h1', {}, 'Failures'), h('div.actions', {}, retry, said), summary, table);
  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const answer = await latest.get('/api/v1/failures?limit=500');
      show(summary, answer.total ? `${answer.total} ${answer.total === 1 ? 'file' : 'files'} failed on the last attempt`
        + (answer.total > answer.failures.length ? ` (the ${answer.failures.length} newest shown)` : '') : '');
      show(table, failureList(answer));
      retry.disabled = !answer.total;
    } catch (error) {
      show(summary, h('span.error', {}, error.message));
    }
    if (!stopped) timer = setTimeout(refresh, 2000);
  }

  async function tryAgain() {
    retry.disabled = true;
    try {
      const answer = await postJson('/api/v1/requeue');
      show(said, answer.started === false ? 'A retry is running already.'
        : `Trying ${answer.retrying} again${answer.gone ? ` (${answer.gone} no longer there)` : ''}…`);
    } catch (error) {
      show(said, h('span.error', {}, error.message));
    }
    clearTimeout(timer);
    refresh();
  }

  refresh();
  return { leave: () => { stopped = true; clearTimeout(timer); latest.cancel(); } };
}
