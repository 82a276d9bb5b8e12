// The checks verifyd's usability capability makes (crates/engine/src/quality), made in the
// browser before uploading so that the user can fix a photo at once: the same downscale to
// 1024 px, the same luma, Laplacian variance, clipped-pixel share and colourfulness, measured
// like the server on the document rather than the frame (a plain ground around it, such as a
// scanner's white bed, is cut off first, as the engine's locator does).
//
// The server lets a document that reads pass whatever its measures, and the browser cannot
// read: so it refuses only what no reader can use (too small for the specification, too dark,
// too bright, blurred, a black-and-white copy, which the server refuses even when it reads)
// and only warns of glare, whose measure cannot tell a reflection from a pale card's own white
// print (real specimen cards measure 0.16-0.25 clipped on the document, see verdict.rs).

const MEASURED_LONGEST_SIDE = 1024;
export const LIMITS = {
  // The specification's minimum, which the server's upload check applies: longest side over 300.
  minLongestSide: 301,
  minSharpness: 100,
  minMeanLuma: 50,
  maxMeanLuma: 230,
  maxBrightFraction: 0.15,
  maxColourfulnessForBlackWhite: 8,
};
// The ground around a document: the border's share that must be one colour, how far a pixel
// may be from it, and the share of a row or column that must differ to be the document
// (the engine's scan_margins.rs, in luma).
const GROUND = { uniform: 0.8, tolerance: 16, least: 0.02 };

/** Luma and RGB of `source` (a canvas, video or bitmap of `width` x `height`) scaled to fit `longest`. */
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
  return { luma, rgba: data, width: w, height: h };
}

/**
 * The box of the document within the frame: when the frame's border is one colour (a
 * scanner's bed, a plain desk), the rows and columns that differ from it; else the whole frame.
 */
export function documentBox({ luma, width, height }) {
  const whole = { x0: 0, y0: 0, x1: width, y1: height };
  if (width < 8 || height < 8) return whole;
  const border = [];
  for (let x = 0; x < width; x += 1) border.push(luma[x], luma[(height - 1) * width + x]);
  for (let y = 0; y < height; y += 1) border.push(luma[y * width], luma[y * width + width - 1]);
  const sorted = Float32Array.from(border).sort();
  const ground = sorted[sorted.length >> 1];
  const near = border.filter((v) => Math.abs(v - ground) <= GROUND.tolerance).length;
  if (near < GROUND.uniform * border.length) return whole;
  const rows = new Uint32Array(height);
  const columns = new Uint32Array(width);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (Math.abs(luma[y * width + x] - ground) > GROUND.tolerance) {
        rows[y] += 1;
        columns[x] += 1;
      }
    }
  }
  const span = (counts, length) => {
    let first = 0;
    while (first < counts.length && counts[first] < GROUND.least * length) first += 1;
    let last = counts.length;
    while (last > first && counts[last - 1] < GROUND.least * length) last -= 1;
    return [first, last];
  };
  const [y0, y1] = span(rows, width);
  const [x0, x1] = span(columns, height);
  if (x1 - x0 < 8 || y1 - y0 < 8) return whole;
  return { x0, y0, x1, y1 };
}

export function measure({ luma, rgba, width }, box) {
  const { x0, y0, x1, y1 } = box;
  let sum = 0;
  let bright = 0;
  let count = 0;
  const opponents = [0, 0, 0, 0]; // sums of rg, rg^2, yb, yb^2
  for (let y = y0; y < y1; y += 1) {
    for (let x = x0; x < x1; x += 1) {
      const i = y * width + x;
      sum += luma[i];
      if (luma[i] >= 245) bright += 1;
      count += 1;
      if (rgba) {
        const [r, g, b] = [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]];
        const rg = r - g;
        const yb = (r + g) / 2 - b;
        opponents[0] += rg;
        opponents[1] += rg * rg;
        opponents[2] += yb;
        opponents[3] += yb * yb;
      }
    }
  }
  let lapSum = 0;
  let lapSquares = 0;
  for (let y = y0 + 1; y < y1 - 1; y += 1) {
    for (let x = x0 + 1; x < x1 - 1; x += 1) {
      const i = y * width + x;
      const r = luma[i - width] + luma[i + width] + luma[i - 1] + luma[i + 1] - 4 * luma[i];
      lapSum += r;
      lapSquares += r * r;
    }
  }
  const inner = Math.max(1, (x1 - x0 - 2) * (y1 - y0 - 2));
  const mean = lapSum / inner;
  return {
    meanLuma: sum / Math.max(1, count),
    brightFraction: bright / Math.max(1, count),
    sharpness: Math.max(0, lapSquares / inner - mean * mean),
    colourfulness: rgba ? colourfulness(opponents, Math.max(1, count)) : null,
  };
}

/** Hasler and Süsstrunk's colourfulness, as the engine's measure.rs: sigma + 0.3 mu of the opponents. */
function colourfulness([rgSum, rgSquares, ybSum, ybSquares], count) {
  const [rgMean, ybMean] = [rgSum / count, ybSum / count];
  const variance = Math.max(0, rgSquares / count - rgMean * rgMean) + Math.max(0, ybSquares / count - ybMean * ybMean);
  return Math.sqrt(variance) + 0.3 * Math.sqrt(rgMean * rgMean + ybMean * ybMean);
}

/**
 * What is wrong with a photo of `width` x `height` (original size), as string keys, most
 * severe first (`found`: the picture is not taken), and what the user is warned of (`advice`:
 * the picture may still read). Faces are not judged on sharpness, glare or colour: a face has
 * little fine detail, and the server judges selfies itself.
 */
export function problems(source, width, height, { document: isDocument }) {
  const found = [];
  const advice = [];
  const planes = lumaOf(source, width, height, MEASURED_LONGEST_SIDE);
  const box = isDocument ? documentBox(planes) : { x0: 0, y0: 0, x1: planes.width, y1: planes.height };
  if (Math.max(width, height) < LIMITS.minLongestSide) found.push('quality.small');
  const measures = measure(isDocument ? planes : { luma: planes.luma, width: planes.width }, box);
  if (measures.meanLuma < LIMITS.minMeanLuma) found.push('quality.dark');
  else if (measures.meanLuma > LIMITS.maxMeanLuma) found.push('quality.bright');
  else if (isDocument) {
    if (measures.sharpness < LIMITS.minSharpness) found.push('quality.blurry');
    if (measures.colourfulness <= LIMITS.maxColourfulnessForBlackWhite) found.push('quality.blackWhite');
    if (measures.brightFraction > LIMITS.maxBrightFraction) advice.push('quality.glare');
  }
  return { found, advice, measures: { ...measures, box } };
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
