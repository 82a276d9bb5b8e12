// The hosted web capture journey: token, consent, document choice, document and face capture
// (camera or upload, as the capture method allows), liveness challenge, finalize, then the
// success or error page or the customer's redirect. Every end sends the spec's event.

import * as api from './api.js';
import { JourneyError } from './api.js';
import { awaitStill, cameraSupported, closeCamera, grab, hasCamera, openCamera } from './camera.js';
import { emit, setContext } from './events.js';
import { locale, match, t, useLocale } from './i18n.js';
import { el, redirectTo, takeToken } from './page.js';
import { problems } from './quality.js';

const MAX_ATTEMPTS = 3;
const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
const TOKEN_KEY = 'verifyd.authorizationToken';
const CONSENT_KEY = 'verifyd.consent';

const $ = (id) => document.getElementById(id);

const progress = { step: 0, total: 0 };
let ended = false;

/** Replaces the view, titles it and moves focus to the title for keyboard and screen readers. */
let screens = 0;
let currentPart = '';

function show(step, titleText, ...children) {
  // Once the journey has ended, whatever was still running must not paint over its end.
  if (ended && step !== 'success' && step !== 'error') return;
  screens += 1;
  document.body.dataset.step = step;
  document.body.dataset.part = currentPart;
  document.body.dataset.screen = String(screens);
  $('title').textContent = titleText;
  document.title = `${titleText} – ${t('app.title')}`;
  $('view').replaceChildren(...children.flat().filter(Boolean));
  $('progress').textContent = progress.total > 1 && progress.step > 0
    ? t('app.step', { n: Math.min(progress.step, progress.total), total: progress.total })
    : '';
  $('title').focus({ preventScroll: true });
}

function announce(text) {
  $('status').textContent = text;
}

function button(label, onclick, kind = 'primary') {
  return el('button', { type: 'button', class: `button ${kind}`, onclick }, label);
}

/** Resolves with the value of whichever `choices` button the user presses. */
function waitFor(...buttons) {
  return new Promise((resolve) => {
    for (const [node, value] of buttons) node.addEventListener('click', () => resolve(value), { once: true });
  });
}

// ---------------------------------------------------------------- the journey's ends

let session = null;

function endParameters(status, code) {
  if (session?.api === 'NETVERIFY_V4') {
    return {
      transactionStatus: status,
      customerInternalReference: session.customerInternalReference,
      transactionReference: session.workflowExecutionId,
      errorCode: code,
    };
  }
  return {
    accountId: session?.accountId,
    workflowExecutionId: session?.workflowExecutionId,
    acquisitionStatus: status,
    customerInternalReference: session?.customerInternalReference,
    errorCode: code,
  };
}

function succeed() {
  if (ended) return;
  ended = true;
  progress.total = 0;
  emit('success');
  if (session?.successUrl) {
    redirectTo(session.successUrl, endParameters('SUCCESS'));
    return;
  }
  show('success', t('success.title'), el('div', { class: 'outcome success', 'data-outcome': 'success' },
    el('p', { text: t('success.text') })));
}

function fail(code) {
  if (ended) return;
  ended = true;
  closeCamera(activeStream);
  progress.total = 0;
  emit('error', code);
  if (session?.errorUrl) {
    redirectTo(session.errorUrl, endParameters('ERROR', code));
    return;
  }
  const known = `error.${code}`;
  const text = t(known) === known ? t('error.9801') : t(known);
  show('error', t('error.title'), el('div', { class: 'outcome error', 'data-outcome': 'error', 'data-code': String(code) },
    el('p', { text }),
    el('p', { class: 'code', text: t('error.code', { code }) })));
}

// ---------------------------------------------------------------- consent and document choice

async function consent() {
  if (sessionStorage.getItem(CONSENT_KEY) === session.workflowExecutionId) return;
  const accept = button(t('consent.accept'));
  show('consent', t('consent.title'), el('p', { text: t('consent.text') }), el('div', { class: 'actions' }, accept));
  await waitFor([accept, true]);
  sessionStorage.setItem(CONSENT_KEY, session.workflowExecutionId);
}

function single(preset) {
  return preset && preset.predefinedType === 'DEFINED' && preset.values?.length === 1 ? preset.values[0] : null;
}

function recommended(preset) {
  return preset?.values?.[0] ?? null;
}

let regions = {};

function countryName(code, names) {
  const alpha2 = regions[code];
  try {
    return (alpha2 && names?.of(alpha2)) || code;
  } catch (_) {
    return code;
  }
}

/** The country of the browser's language (en-US gives USA), to preselect. */
function browserCountry() {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region;
    return Object.keys(regions).find((code) => regions[code] === region) || null;
  } catch (_) {
    return null;
  }
}

/** The document type `idType` of `country` among the credential's choices, with its back rule. */
function typeOf(credential, country, idType) {
  return (credential.choices || []).find((c) => c.country === country)?.idTypes.find((i) => i.idType === idType);
}

/** The only document the presets and the accepted documents allow, if there is one. */
function fixedDocument(credential) {
  const choices = credential.choices || [];
  const country = single(credential.country) || (choices.length === 1 ? choices[0].country : null);
  const types = country ? choices.find((c) => c.country === country)?.idTypes : null;
  const idType = single(credential.type) || (types?.length === 1 ? types[0].idType : null);
  return country && idType && typeOf(credential, country, idType) ? { country, idType } : null;
}

/** The document the user holds: decided by the credential's presets, or chosen. */
async function chooseDocument(credential) {
  const choices = credential.choices || [];
  if (!choices.length) throw new JourneyError(9100, 'no accepted document');
  const fixed = fixedDocument(credential);
  if (fixed) {
    await api.chooseDocument(credential.id, fixed.country, fixed.idType);
    return typeOf(credential, fixed.country, fixed.idType);
  }
  if (!Object.keys(regions).length) regions = await fetch('assets/regions.json').then((r) => r.json()).catch(() => ({}));
  let names = null;
  try {
    names = new Intl.DisplayNames([locale()], { type: 'region' });
  } catch (_) {
    names = null;
  }
  const sorted = [...choices].sort((a, b) => countryName(a.country, names).localeCompare(countryName(b.country, names), locale()));
  const countrySelect = el('select', { id: 'country', name: 'country', autocomplete: 'country' },
    sorted.map((c) => el('option', { value: c.country }, countryName(c.country, names))));
  const preferred = credential.chosen?.country || recommended(credential.country) || browserCountry();
  countrySelect.value = choices.some((c) => c.country === preferred) ? preferred : sorted[0].country;
  const types = el('fieldset', { class: 'types' }, el('legend', { text: t('choose.type') }));
  const renderTypes = () => {
    const entry = choices.find((c) => c.country === countrySelect.value);
    const wanted = credential.chosen?.idType || recommended(credential.type);
    const available = entry ? entry.idTypes : [];
    const checked = available.some((i) => i.idType === wanted) ? wanted : available[0]?.idType;
    types.replaceChildren(el('legend', { text: t('choose.type') }), ...available.map((i) => el('label', { class: 'choice' },
      el('input', { type: 'radio', name: 'idType', value: i.idType, checked: i.idType === checked }),
      el('span', { text: t(`type.${i.idType}`) }))));
  };
  countrySelect.addEventListener('change', renderTypes);
  renderTypes();
  const next = el('button', { type: 'submit', class: 'button primary' }, t('choose.continue'));
  const form = el('form', { class: 'choose', novalidate: true },
    el('label', { for: 'country', text: t('choose.country') }), countrySelect, types,
    el('div', { class: 'actions' }, next));
  show('choose', t('choose.title'), form);
  let submitted = () => {};
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitted();
  });
  for (;;) {
    await new Promise((resolve) => { submitted = resolve; });
    const idType = form.querySelector('input[name=idType]:checked')?.value;
    if (!idType) continue;
    submitted = () => {}; // a second press while the choice is being recorded does nothing
    await api.chooseDocument(credential.id, countrySelect.value, idType);
    return typeOf(credential, countrySelect.value, idType);
  }
}

// ---------------------------------------------------------------- capture

let activeStream = null;

const cameraAllowed = () => session.captureMethod !== 'UPLOAD_ONLY';
const uploadAllowed = () => session.captureMethod !== 'CAMERA_ONLY';

/** A camera preview with its guide (document frame or face oval), and its video element. */
function viewfinder(kind) {
  const video = el('video', { 'aria-label': t('capture.preview'), autoplay: true, muted: true, playsinline: true });
  return { video, frame: el('div', { class: `viewfinder ${kind}` }, video, el('div', { class: 'guide', 'aria-hidden': 'true' })) };
}

/** A picture from the camera, or `null` when the user asks to upload instead. */
async function fromCamera({ heading, hint, facing, document: isDocument, notice }) {
  const { video, frame } = viewfinder(isDocument ? 'document' : 'face');
  const state = el('p', { class: 'state', 'aria-live': 'polite' }, t('capture.camera.starting'));
  const take = button(t('capture.take'), null, 'secondary');
  const instead = uploadAllowed() ? button(t('capture.upload'), null, 'link') : null;
  show('camera', heading,
    notice ? el('p', { class: 'notice', role: 'alert', text: notice }) : null,
    frame,
    el('p', { class: 'hint', text: hint }), state,
    el('div', { class: 'actions' }, take, instead));
  try {
    activeStream = await openCamera(video, facing);
  } catch (error) {
    closeCamera(activeStream);
    activeStream = null;
    if (!uploadAllowed()) throw new JourneyError(9820, String(error));
    return { unavailable: true };
  }
  const controller = new AbortController();
  const manual = new Promise((resolve) => {
    take.addEventListener('click', () => resolve('take'), { once: true });
    instead?.addEventListener('click', () => resolve('upload'), { once: true });
  }).then((value) => { controller.abort(); return value; });
  const automatic = awaitStill(video, {
    document: isDocument,
    signal: controller.signal,
    timeoutMs: 120000,
    onState: (s) => {
      const text = s === 'steady' ? t('capture.steady') : t(isDocument ? 'capture.document.hint' : 'capture.face.hint');
      if (state.textContent !== text) state.textContent = text;
    },
  }).then((still) => (still ? 'auto' : 'timeout'));
  let how = await Promise.race([manual, automatic]);
  // Nothing held still for two minutes: the user takes the picture or uploads.
  if (how === 'timeout') how = await manual;
  controller.abort();
  if (how === 'upload') {
    closeCamera(activeStream);
    activeStream = null;
    return null;
  }
  const blob = await grab(video);
  const picture = { blob, width: video.videoWidth, height: video.videoHeight, source: video };
  const bitmap = await createImageBitmap(blob);
  closeCamera(activeStream);
  activeStream = null;
  return { ...picture, source: bitmap };
}

/** A picture chosen from the device. */
async function fromFile({ heading, document: isDocument, notice, cameraFailed }) {
  const input = el('input', { type: 'file', id: 'file', accept: isDocument ? 'image/jpeg,image/png' : 'image/*', class: 'file' });
  show('file', heading,
    notice ? el('p', { class: 'notice', role: 'alert', text: notice }) : null,
    cameraFailed ? el('p', { class: 'notice', role: 'alert', text: t('capture.camera.unavailable') }) : null,
    el('p', { class: 'hint', text: t('capture.upload.hint') }),
    el('label', { for: 'file', class: 'button primary file-label' }, t('capture.choose')), input);
  const file = await new Promise((resolve) => input.addEventListener('change', () => input.files[0] && resolve(input.files[0])));
  if (file.size > MAX_UPLOAD_BYTES) return { problem: 'quality.large' };
  try {
    const bitmap = await createImageBitmap(file);
    return { blob: file, width: bitmap.width, height: bitmap.height, source: bitmap };
  } catch (_) {
    return { problem: 'quality.unreadable' };
  }
}

/** Lets the user look at the picture, warned of what may spoil it (`advice`); true to use it. */
async function review(picture, heading, advice = []) {
  const url = URL.createObjectURL(picture.blob);
  const use = button(t('review.use'));
  const retake = button(t('review.retake'), null, 'secondary');
  show('review', t('review.title'), el('p', { class: 'sr-only', text: heading }),
    ...advice.map((key) => el('p', { class: 'notice advice', role: 'status', text: t(key) })),
    el('img', { class: 'review', src: url, alt: t('review.alt') }),
    el('div', { class: 'actions' }, use, retake));
  const keep = await waitFor([use, true], [retake, false]);
  URL.revokeObjectURL(url);
  return keep;
}

/**
 * One part: pictures until one passes the browser's checks and the server takes it; three
 * unacceptable submissions end the journey with 9835.
 */
async function capturePart({ heading, hint, href, name, facing, document: isDocument }) {
  currentPart = name.replace(/\.\w+$/, '');
  let attempts = 0;
  let notice = null;
  const camera = cameraAllowed() && (await hasCamera());
  if (!camera && !uploadAllowed()) throw new JourneyError(cameraSupported() ? 9820 : 9822, 'no camera');
  let useCamera = camera;
  let cameraFailed = cameraAllowed() && !camera;
  for (;;) {
    let picture = null;
    if (useCamera) {
      picture = await fromCamera({ heading, hint, facing, document: isDocument, notice });
      if (picture?.unavailable) {
        useCamera = false;
        cameraFailed = true;
        picture = null;
      } else if (!picture) {
        useCamera = false;
      }
    }
    if (!picture) picture = await fromFile({ heading, document: isDocument, notice, cameraFailed });
    let problem = picture.problem;
    let advice = [];
    if (!problem) {
      const checked = problems(picture.source, picture.width, picture.height, { document: isDocument });
      problem = checked.found[0];
      advice = checked.advice;
    }
    if (!problem && !(await review(picture, heading, advice))) {
      notice = null;
      continue;
    }
    if (!problem) {
      show('uploading', heading, el('p', { class: 'state', text: t('status.uploading') }));
      announce(t('status.uploading'));
      const outcome = await api.upload(href, picture.blob, name);
      if (outcome.accepted) return;
      problem = 'quality.rejected';
    }
    attempts += 1;
    if (attempts >= MAX_ATTEMPTS) throw new JourneyError(9835, problem);
    notice = `${t(problem)} ${t('quality.attempts', { n: attempts + 1 })}`;
  }
}

// ---------------------------------------------------------------- liveness

/**
 * The server's challenge performed in front of the camera: a frontal frame, then each turn and
 * a frontal frame after it, each taken when the head has moved and then held still. With a
 * SELFIE credential too, a last frontal frame is its selfie. Resolves false when no camera
 * opens and uploads are allowed: the user then uploads a selfie.
 */
async function performChallenge(facemap, selfie) {
  const base = facemap.parts.facemap.replace(/\/parts\/FACEMAP$/, '');
  currentPart = 'liveness';
  let failures = 0;
  for (;;) {
    const start = button(t('liveness.start'));
    show('liveness-intro', t('liveness.title'), failures ? el('p', { class: 'notice', role: 'alert', text: t('liveness.failed') }) : null,
      el('p', { text: t('liveness.intro') }), el('div', { class: 'actions' }, start));
    await waitFor([start, true]);
    const challenge = await api.livenessChallenge(`${base}/liveness-challenge`);
    const { video, frame } = viewfinder('face');
    // Empty at first: a live region announces changes, not the text it is inserted with.
    const prompt = el('p', { class: 'prompt', 'aria-live': 'assertive' });
    show('liveness', t('liveness.title'), frame, prompt);
    try {
      activeStream = await openCamera(video, 'user');
    } catch (error) {
      // As the spec's table says: without a camera the user uploads a selfie, where allowed.
      if (uploadAllowed()) return false;
      throw new JourneyError(9820, String(error));
    }
    const ask = (what) => {
      prompt.textContent = t(`liveness.${what}`);
      prompt.dataset.prompt = what;
    };
    ask('FACE');
    const frames = [];
    let performed = await awaitStill(video, { holdMs: 700, timeoutMs: 20000 });
    if (performed) frames.push(await grab(video));
    for (const turn of challenge.turns) {
      if (!performed) break;
      ask(turn);
      performed = await awaitStill(video, { holdMs: 500, afterMove: true, timeoutMs: 20000 });
      if (!performed) break;
      frames.push(await grab(video));
      ask('FACE');
      performed = await awaitStill(video, { holdMs: 500, afterMove: true, timeoutMs: 20000 });
      if (performed) frames.push(await grab(video));
    }
    let selfieFrame = null;
    if (performed && selfie) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      selfieFrame = await grab(video);
    }
    closeCamera(activeStream);
    activeStream = null;
    if (performed) {
      ask('done');
      show('uploading', t('liveness.title'), el('p', { class: 'state', text: t('status.uploading') }));
      for (const [index, frame] of frames.entries()) {
        const href = challenge.frames.replace('{n}', String(index + 1));
        const outcome = await api.upload(href, frame, `frame-${index + 1}.jpg`);
        if (!outcome.accepted) throw new JourneyError(9821, outcome.code);
      }
      if (selfieFrame) {
        const outcome = await api.upload(selfie.parts.face, selfieFrame, 'selfie.jpg');
        if (!outcome.accepted) throw new JourneyError(9821, outcome.code);
      }
      return true;
    }
    failures += 1;
    if (failures >= MAX_ATTEMPTS) throw new JourneyError(9821, 'challenge not performed');
  }
}

// ---------------------------------------------------------------- the plan

/** The ID's sides still to capture (DOCUMENT credentials are API-only, never seen here). */
function capturesOf(credential, chosen) {
  const uploaded = new Set(credential.uploaded);
  const steps = [];
  if (credential.category === 'ID') {
    const passport = chosen?.idType === 'PASSPORT';
    if (!uploaded.has('front')) {
      steps.push({ credential, part: 'front', heading: t(passport ? 'capture.PASSPORT.title' : 'capture.FRONT.title'), document: true, facing: 'environment' });
    }
    if (chosen?.backSide && !uploaded.has('back')) {
      steps.push({ credential, part: 'back', heading: t('capture.BACK.title'), document: true, facing: 'environment' });
    }
  }
  return steps;
}

async function journey() {
  const credentials = session.credentials;
  const ids = credentials.filter((c) => c.category === 'ID');
  // The challenge is performed again after a reload: frames uploaded before it may be incomplete,
  // and the new ones replace them.
  const facemap = credentials.find((c) => c.category === 'FACEMAP');
  const selfie = credentials.find((c) => c.category === 'SELFIE' && !c.uploaded.includes('face'));
  const needsChoice = ids.filter((c) => !c.uploaded.includes('front'));
  progress.total = (session.biometric ? 1 : 0) + needsChoice.length * 2 + (facemap ? 1 : 0) + (selfie && !facemap ? 1 : 0) + 1;
  progress.step = 1;
  if (session.biometric) {
    await consent();
    progress.step += 1;
  }
  for (const credential of ids) {
    let chosen;
    if (credential.uploaded.includes('front')) {
      // Resumed after the front: the document is settled (the server refuses a new choice).
      const settled = credential.chosen || fixedDocument(credential);
      chosen = settled ? typeOf(credential, settled.country, settled.idType) : null;
    } else {
      chosen = await chooseDocument(credential);
    }
    const steps = capturesOf(credential, chosen);
    if (!steps.length) continue;
    progress.step += 1;
    for (const step of steps) {
      await capturePart({
        heading: step.heading,
        hint: t('capture.document.hint'),
        href: credential.parts[step.part],
        name: `${step.part}.jpg`,
        facing: step.facing,
        document: true,
      });
    }
    progress.step += 1;
  }
  let performed = false;
  if (facemap && cameraAllowed() && (await hasCamera())) {
    performed = await performChallenge(facemap, selfie);
  } else if (facemap && !uploadAllowed()) {
    throw new JourneyError(cameraSupported() ? 9820 : 9822, 'liveness needs a camera');
  }
  if (performed) {
    progress.step += 1;
  } else if (selfie) {
    await capturePart({ heading: t('capture.FACE.title'), hint: t('capture.face.hint'), href: selfie.parts.face, name: 'selfie.jpg', facing: 'user', document: false });
    progress.step += 1;
  }
  show('finishing', t('status.finishing'), el('p', { class: 'state', text: t('status.finishing') }));
  await api.finalize(session.finalizeHref);
  sessionStorage.removeItem(TOKEN_KEY);
  succeed();
}

async function main() {
  const token = takeToken('authorizationToken', TOKEN_KEY);
  const wanted = new URLSearchParams(location.search).get('locale');
  try {
    await useLocale([wanted, ...(navigator.languages || [])]);
  } catch (_) {
    // Even the English strings did not load: the server is not reachable.
    setContext({ authorizationToken: token || '' });
    emit('loaded');
    fail(navigator.onLine === false ? 9800 : 9810);
    return;
  }
  $('brand').textContent = t('app.title');
  setContext({ authorizationToken: token || '' });
  if (!token) {
    emit('loaded');
    fail(9200);
    return;
  }
  api.useToken(token);
  try {
    session = await api.session();
  } catch (error) {
    emit('loaded');
    fail(error instanceof JourneyError ? error.code : 9801);
    return;
  }
  if (!match(wanted) && match(session.locale) && match(session.locale) !== locale()) {
    await useLocale([session.locale]).catch(() => null);
    $('brand').textContent = t('app.title');
  }
  setContext(session.api === 'NETVERIFY_V4'
    ? { authorizationToken: token, transactionReference: session.workflowExecutionId, customerInternalReference: session.customerInternalReference }
    : { accountId: session.accountId, authorizationToken: token, workflowExecutionId: session.workflowExecutionId, customerInternalReference: session.customerInternalReference });
  emit('loaded');
  document.body.dataset.ready = 'true';
  if (session.acquisition === 'TOKEN_EXPIRED') return fail(9200);
  if (session.acquisition === 'SESSION_EXPIRED') return fail(9210);
  if (session.acquisition === 'FINALIZED') return succeed();
  window.addEventListener('offline', () => fail(9800), { once: true });
  try {
    await journey();
  } catch (error) {
    fail(error instanceof JourneyError ? error.code : 9801);
    if (!(error instanceof JourneyError)) console.error(error);
  }
}

main();
