// The Document Verification web client: the page a clientRedirectUrl opens. The user picks
// the document's pages (JPEG, PNG or one PDF), sees them listed, may remove one, and submits;
// the files go up with the link's token, the transaction is finalized, and the user goes to
// the successUrl (or sees the success page). An invalid link ends with error 211, an expired
// one with 310: at the errorUrl when the transaction is known, else on the page.

import { t, useLocale } from './i18n.js';
import { el, redirectTo, takeToken } from './page.js';

const TOKEN_KEY = 'verifyd.initiationToken';
const TYPES = ['image/jpeg', 'image/png', 'application/pdf'];
const INVALID_LINK = 211;
const EXPIRED_LINK = 310;

const $ = (id) => document.getElementById(id);

let token = null;
let session = null;
let ended = false;
let screens = 0;
const chosen = [];

/** A refused request: `code` is the spec's 211 or 310 when the link no longer works. */
class Refusal extends Error {
  constructor(status, body) {
    super(`${status} ${body.code || ''}`);
    this.status = status;
    this.code = body.code;
    if (body.code === 'TOKEN_EXPIRED') this.linkError = EXPIRED_LINK;
    else if (status === 401 || status === 403 || status === 404) this.linkError = INVALID_LINK;
  }
}

async function call(method, href, body) {
  const response = await fetch(href, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    body,
    credentials: 'omit',
    cache: 'no-store',
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Refusal(response.status, answer);
  return answer;
}

/** Replaces the view, titles it and moves focus to the title for keyboard and screen readers. */
function show(step, titleText, ...children) {
  if (ended && step !== 'success' && step !== 'error') return;
  screens += 1;
  document.body.dataset.step = step;
  document.body.dataset.screen = String(screens);
  $('title').textContent = titleText;
  document.title = `${titleText} – ${t('documents.title')}`;
  $('view').replaceChildren(...children.flat().filter(Boolean));
  $('title').focus({ preventScroll: true });
}

function succeed() {
  if (ended) return;
  ended = true;
  sessionStorage.removeItem(TOKEN_KEY);
  if (session?.successUrl) {
    redirectTo(session.successUrl, { idScanStatus: 'SUCCESS', jumioIdScanReference: session.scanReference });
    return;
  }
  show('success', t('success.title'), el('div', { class: 'outcome success', 'data-outcome': 'success' },
    el('p', { text: t('documents.success') })));
}

function fail(code) {
  if (ended) return;
  ended = true;
  sessionStorage.removeItem(TOKEN_KEY);
  if (session?.errorUrl) {
    redirectTo(session.errorUrl, { idScanStatus: 'ERROR', jumioIdScanReference: session.scanReference, errorCode: code });
    return;
  }
  show('error', t('error.title'), el('div', { class: 'outcome error', 'data-outcome': 'error', 'data-code': String(code) },
    el('p', { text: t(`error.${code}`) }),
    el('p', { class: 'code', text: t('error.code', { code }) })));
}

// ---------------------------------------------------------------- the customer's colors

function luminance(hex) {
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Dark or white text, whichever reads better on `hex`. */
function inkOn(hex) {
  const light = luminance(hex);
  return (1.05 / (light + 0.05)) >= ((light + 0.05) / 0.05) ? '#ffffff' : '#1b1f24';
}

/** baseColor for buttons and accents, bgColor behind the page, each with a readable text color. */
function applyColors(base, background) {
  if (!/^[0-9A-Fa-f]{6}$/.test(base || '') || !/^[0-9A-Fa-f]{6}$/.test(background || '')) return;
  const root = document.documentElement.style;
  root.setProperty('--accent', `#${base}`);
  root.setProperty('--accent-ink', inkOn(base));
  root.setProperty('--wash', `#${background}`);
  root.setProperty('--wash-ink', inkOn(background));
}

// ---------------------------------------------------------------- choosing the files

function isPdf(file) {
  return file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
}

function accepted(file) {
  return TYPES.includes(file.type) || /\.(jpe?g|png|pdf)$/i.test(file.name);
}

function size(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** What stops the chosen files from being submitted, if anything. */
function problem() {
  if (chosen.some((file) => !accepted(file))) return t('documents.wrongType');
  if (chosen.length > session.maxPages) return t('documents.tooMany', { total: session.maxPages });
  if (chosen.reduce((sum, file) => sum + file.size, 0) > session.maxTotalBytes) return t('documents.tooLarge');
  return null;
}

/** The selection screen; resolves once the user submits files that can be. */
function select(notice) {
  return new Promise((resolve) => {
    const input = el('input', { type: 'file', id: 'files', class: 'file', multiple: true, accept: 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf' });
    const list = el('ul', { class: 'files', id: 'chosen', 'aria-label': t('documents.heading') });
    const warning = el('p', { class: 'notice', role: 'alert', hidden: !notice, text: notice || '' });
    const submit = el('button', { type: 'button', class: 'button primary', id: 'submit' }, t('documents.submit'));
    // The notice of a refused upload stands until the user changes the files.
    const render = (changed) => {
      const items = chosen.map((file, index) => el('li', {},
        el('span', {}, el('span', { class: 'name', text: file.name }), el('span', { class: 'size', text: size(file.size) })),
        el('button', {
          type: 'button',
          class: 'button quiet',
          'data-name': file.name,
          'aria-label': `${t('documents.remove')}: ${file.name}`,
          onclick: () => {
            chosen.splice(index, 1);
            render(true);
          },
        }, t('documents.remove'))));
      list.replaceChildren(...(items.length ? items : [el('li', { class: 'note', text: t('documents.none') })]));
      const blocking = chosen.length ? problem() : null;
      const text = blocking || (changed ? null : notice);
      warning.hidden = !text;
      warning.textContent = text || '';
      submit.disabled = !chosen.length || Boolean(blocking);
    };
    input.addEventListener('change', () => {
      chosen.push(...input.files);
      input.value = '';
      render(true);
    });
    submit.addEventListener('click', () => {
      if (chosen.length && !problem()) resolve();
    });
    show('select', t('documents.heading'),
      warning,
      el('p', { text: t('documents.intro') }),
      el('p', { class: 'hint', text: t('documents.limits', { total: session.maxPages }) }),
      el('label', { for: 'files', class: 'button quiet file-label' }, t('documents.choose')), input,
      list,
      el('div', { class: 'actions' }, submit));
    render(false);
  });
}

// ---------------------------------------------------------------- sending them

function form(file) {
  const body = new FormData();
  body.append('image', file, file.name);
  return body;
}

/** Sends the chosen files (one PDF whole, else one page each) and finalizes. */
async function send() {
  if (chosen.length === 1 && isPdf(chosen[0])) {
    const status = t('documents.uploading', { n: 1, total: 1 });
    show('uploading', status, el('p', { class: 'state', text: status }));
    await call('POST', session.documentHref, form(chosen[0]));
  } else {
    for (const [index, file] of chosen.entries()) {
      const status = t('documents.uploading', { n: index + 1, total: chosen.length });
      show('uploading', status, el('p', { class: 'state', text: status }));
      try {
        await call('POST', `${session.pagesHref}/${index + 1}`, form(file));
      } catch (error) {
        if (error instanceof Refusal && !error.linkError) error.page = index + 1;
        throw error;
      }
    }
  }
  show('finishing', t('documents.finishing'), el('p', { class: 'state', text: t('documents.finishing') }));
  try {
    await call('PUT', session.finalizeHref);
  } catch (error) {
    // Finalized already (another tab, a repeated request): the document is in.
    if (!(error instanceof Refusal && error.code === 'ACQUISITION_CLOSED')) throw error;
  }
}

/** Select and send until the files are in, or the link stops working. */
async function journey() {
  let notice = null;
  for (;;) {
    await select(notice);
    try {
      await send();
      return succeed();
    } catch (error) {
      if (error instanceof Refusal && error.linkError) return fail(error.linkError);
      if (error instanceof Refusal && error.code === 'MULTI_PAGE_PDF') notice = t('documents.pdfAlone');
      else if (error instanceof Refusal && error.page && error.status < 500) notice = t('documents.rejected', { n: error.page });
      else notice = t('documents.failed');
    }
  }
}

async function main() {
  token = takeToken('initiationToken', TOKEN_KEY);
  let refusal = null;
  if (token) {
    try {
      session = await call('GET', '/api/v1/web/document-session');
    } catch (error) {
      refusal = error;
    }
  }
  await useLocale([session?.locale, ...(navigator.languages || [])]).catch(() => null);
  $('brand').textContent = t('documents.title');
  document.body.dataset.ready = 'true';
  if (!token || refusal?.linkError) return fail(INVALID_LINK);
  if (refusal) {
    show('error', t('error.title'), el('div', { class: 'outcome error', 'data-outcome': 'error' }, el('p', { text: t('error.9810') })));
    return;
  }
  applyColors(session.baseColor, session.bgColor);
  if (session.acquisition === 'FINALIZED') return succeed();
  if (session.acquisition !== 'OPEN') return fail(EXPIRED_LINK);
  await journey();
}

main();
