// verifyd's API, called with the workflow token; every failure becomes one of the spec's
// error codes (9100, 9200, 9210, 9300, 9800, 9810) so the journey can end with it.

export class JourneyError extends Error {
  constructor(code, detail) {
    super(`${code}: ${detail || ''}`);
    this.code = code;
    this.detail = detail;
  }
}

let token = null;

export function useToken(value) {
  token = value;
}

/** The code for a response that failed: the token and session ones first, then by status. */
async function failure(response, uploading) {
  let body = {};
  try {
    body = await response.json();
  } catch (_) {
    // Not JSON: judged by status alone.
  }
  if (body.code === 'SESSION_EXPIRED') return new JourneyError(9210, body.code);
  if (response.status === 401 || body.code === 'TOKEN_EXPIRED') return new JourneyError(9200, body.code);
  if (response.status >= 500) return new JourneyError(9100, String(response.status));
  if (uploading) return new JourneyError(9300, body.code || String(response.status));
  // A token for another channel or for an execution that is gone is as good as invalid.
  if (response.status === 403 || response.status === 404) return new JourneyError(9200, body.code);
  return new JourneyError(9810, body.code || String(response.status));
}

async function call(method, href, { json, form, uploading = false } = {}) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let response;
  try {
    response = await fetch(href, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new JourneyError(navigator.onLine === false ? 9800 : 9810, String(error));
  }
  if (!response.ok) throw await failure(response, uploading);
  return response.status === 204 ? null : response.json().catch(() => null);
}

export function session() {
  return call('GET', '/api/v1/web/session');
}

export function chooseDocument(credentialId, country, idType) {
  return call('POST', '/api/v1/web/session/document', { json: { credentialId, country, idType } });
}

/**
 * Uploads `blob` to `href`, replacing an earlier upload of the same part. A rejection of the
 * picture itself (4xx with a part code) is returned, not thrown: the user may retake it.
 */
export async function upload(href, blob, name) {
  const send = (method) => {
    const form = new FormData();
    form.append('file', blob, name);
    return fetch(href, { method, headers: { Authorization: `Bearer ${token}` }, body: form, credentials: 'omit' });
  };
  let response;
  try {
    response = await send('POST');
    if (response.status === 409) response = await send('PUT');
  } catch (error) {
    throw new JourneyError(navigator.onLine === false ? 9800 : 9300, String(error));
  }
  if (response.ok) return { accepted: true };
  if (response.status === 400 || response.status === 413 || response.status === 415 || response.status === 422) {
    const body = await response.json().catch(() => ({}));
    return { accepted: false, code: body.code || String(response.status) };
  }
  throw await failure(response, true);
}

export function livenessChallenge(href) {
  return call('POST', href);
}

/** Finalizes; an execution already finalized (another tab, a retried request) counts as done. */
export async function finalize(href) {
  try {
    await call('PUT', href);
  } catch (error) {
    if (!(error instanceof JourneyError && error.detail === 'ACQUISITION_CLOSED')) throw error;
  }
}
