// Asking the daemon's API. Each view asks through a Request: starting a new one aborts the one
// before, and an answer that arrives after a newer request started is never shown.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function getJson(path, signal) {
  const response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: said below
  }
  if (!response.ok) {
    throw new ApiError(response.status, (body && body.error) || `the daemon answered ${response.status}`);
  }
  return body;
}

export async function postJson(path) {
  const response = await fetch(path, { method: 'POST', headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, (body && body.error) || `the daemon answered ${response.status}`);
  }
  return body;
}

/** The latest of a series of requests: only its answer counts. */
export class Latest {
  constructor() {
    this.controller = null;
    this.sequence = 0;
  }

  /** Resolves with the answer, or never when a newer request started meanwhile. */
  get(path) {
    if (this.controller) this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    const mine = ++this.sequence;
    return new Promise((resolve, reject) => {
      getJson(path, controller.signal).then(
        (body) => {
          if (mine === this.sequence) resolve(body);
        },
        (error) => {
          if (mine === this.sequence && error.name !== 'AbortError') reject(error);
        },
      );
    });
  }

  cancel() {
    if (this.controller) this.controller.abort();
    this.sequence += 1;
  }
}

/** The query string of the given parameters, without empty ones. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((item) => item !== '' && search.append(key, item));
    else if (value !== null && value !== undefined && value !== '') search.append(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
