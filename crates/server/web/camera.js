// The camera: a live preview, and the moments to take a picture. A picture is taken when the
// view has held still (little change between samples) and, for documents, is sharp enough.

import { lumaOf, motion, problems } from './quality.js';

const SAMPLE_MS = 150;
// Shares of a 96 px thumbnail's pixels changed between samples (see `motion`).
const STILL = 0.004;
const MOVED = 0.02;

export function cameraSupported() {
  return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

/** Whether the device has a camera at all (false without the camera API). */
export async function hasCamera() {
  if (!cameraSupported()) return false;
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.some((device) => device.kind === 'videoinput');
  } catch (_) {
    return false;
  }
}

/** Opens the camera facing `facing` in `video`; resolves when frames arrive. */
export async function openCamera(video, facing) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: facing, width: { ideal: 1920 }, height: { ideal: 1080 } },
  });
  try {
    video.srcObject = stream;
    video.muted = true;
    video.setAttribute('playsinline', '');
    await video.play();
    for (let waited = 0; !video.videoWidth; waited += 50) {
      if (waited > 5000) throw new Error('the camera gives no picture');
      await pause(50);
    }
  } catch (error) {
    closeCamera(stream);
    throw error;
  }
  return stream;
}

export function closeCamera(stream) {
  if (stream) stream.getTracks().forEach((track) => track.stop());
}

function thumbnail(video) {
  return lumaOf(video, video.videoWidth, video.videoHeight, 96).luma;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the view holds still for `holdMs` (after it has first moved, when `afterMove`),
 * and, for documents, looks usable; `signal` aborts. `onState` hears 'moving' or 'steady'.
 */
export async function awaitStill(video, { holdMs = 900, afterMove = false, document = false, signal, timeoutMs = 30000, onState = () => {} }) {
  const started = performance.now();
  let previous = null;
  let stillSince = null;
  let moved = !afterMove;
  while (!signal?.aborted) {
    if (performance.now() - started > timeoutMs) return false;
    await pause(SAMPLE_MS);
    if (!video.videoWidth) continue;
    const current = thumbnail(video);
    const change = motion(previous, current);
    const first = previous === null;
    previous = current;
    if (!first && change >= MOVED) moved = true;
    if (!moved || change > STILL) {
      stillSince = null;
      onState('moving');
      continue;
    }
    stillSince ??= performance.now();
    onState('steady');
    if (performance.now() - stillSince < holdMs) continue;
    if (document && problems(video, video.videoWidth, video.videoHeight, { document: true }).found.length) {
      stillSince = null;
      continue;
    }
    return true;
  }
  return false;
}

/** The current frame as a JPEG. */
export function grab(video) {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
}
