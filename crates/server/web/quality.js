// The checks verifyd's usability capability makes (crates/engine/src/quality), made in the
// browser before uploading so that the user can fix a photo at once: the same downscale to
// 1024 px, the same luma, Laplacian variance and clipped-pixel share, the same limits.

const MEASURED_LONGEST_SIDE = 1024;
export const LIMITS = {
  minLongestSide: 600,
  minSharpness: 100,
  minMeanLuma: 50,
  maxMeanLuma: 230,
  maxBrightFraction: 0.15,
};

/** Luma of `source` (a canvas, video or bitmap of `width` x `height`) scaled to fit `longest`. */
export function lumaOf(source, width, height, longest) {
  const scale = Math.min(1, longest / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, w, h);
  const { data } = context.getImageData(0, 0, w, h);
  const luma = new Float32Array(w * h);
  for (let i = 0, p = 0; i < luma.length; i += 1, p += 4) {
    luma[i] = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
  }
  return { luma, width: w, height: h };
}

export function measure({ luma, width, height }) {
  let sum = 0;
  let bright = 0;
  for (const value of luma) {
    sum += value;
    if (value >= 245) bright += 1;
  }
  let lapSum = 0;
  let lapSquares = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = y * width + x;
      const r = luma[i - width] + luma[i + width] + luma[i - 1] + luma[i + 1] - 4 * luma[i];
      lapSum += r;
      lapSquares += r * r;
    }
  }
  const count = Math.max(1, (width - 2) * (height - 2));
  const mean = lapSum / count;
  return {
    meanLuma: sum / Math.max(1, luma.length),
    brightFraction: bright / Math.max(1, luma.length),
    sharpness: Math.max(0, lapSquares / count - mean * mean),
  };
}

/**
 * What is wrong with a photo of `width` x `height` (original size), as string keys, most
 * severe first; empty when it looks usable. Faces are not judged on sharpness or glare: a
 * face has little fine detail, and the server judges selfies itself.
 */
export function problems(source, width, height, { document: isDocument }) {
  const found = [];
  if (Math.max(width, height) < LIMITS.minLongestSide) found.push('quality.small');
  const measures = measure(lumaOf(source, width, height, MEASURED_LONGEST_SIDE));
  if (measures.meanLuma < LIMITS.minMeanLuma) found.push('quality.dark');
  else if (measures.meanLuma > LIMITS.maxMeanLuma) found.push('quality.bright');
  else if (isDocument) {
    if (measures.sharpness < LIMITS.minSharpness) found.push('quality.blurry');
    if (measures.brightFraction > LIMITS.maxBrightFraction) found.push('quality.glare');
  }
  return { found, measures };
}

/**
 * Motion between two small luma planes of the same size: the share of pixels whose luma
 * changed by more than 10. A head turn changes a few percent of the picture a lot, which a
 * mean difference dilutes; camera noise, averaged away by the downscale, changes almost none.
 */
export function motion(a, b) {
  if (!a || !b || a.length !== b.length) return 1;
  let changed = 0;
  for (let i = 0; i < a.length; i += 1) if (Math.abs(a[i] - b[i]) > 10) changed += 1;
  return changed / a.length;
}
