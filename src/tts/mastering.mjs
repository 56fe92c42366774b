// Mastering speech for listening: loudness measured per ITU-R BS.1770-4, gain to a target,
// a true-peak limiter, and silence trimmed to a natural pause at the track's edges.
//
// Plain JavaScript (JSDoc-typed) because the audio worker imports it: worker entry files must
// load the same way under tsx, vitest and compiled dist/ (see src/tts/espeak.ts).

/**
 * Biquad coefficients of the BS.1770 K-weighting filter for any sample rate (the standard
 * tabulates them for 48 kHz only; these are the analogue prototypes libebur128 uses).
 * @param {number} sampleRate
 */
function kWeightingFilters(sampleRate) {
  // Stage 1: high shelf, +4 dB above ~1.7 kHz (the head's acoustic effect).
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = Math.pow(10, gainDb / 20);
  const vb = Math.pow(vh, 0.4996667741545416);
  let a0 = 1 + k / q + k * k;
  const shelf = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  // Stage 2: the RLB high-pass at ~38 Hz.
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  const highPass = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
  return [shelf, highPass];
}

/**
 * @param {Float32Array} input
 * @param {{b0:number,b1:number,b2:number,a1:number,a2:number}} f
 */
function biquad(input, f) {
  const output = new Float32Array(input.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    const y = f.b0 * x + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    output[i] = y;
    x2 = x1; x1 = x; y2 = y1; y1 = y;
  }
  return output;
}

/**
 * Integrated loudness of mono audio in LUFS (BS.1770-4: K-weighting, 400 ms blocks with 75 %
 * overlap, absolute gate at −70 LUFS, relative gate at −10 LU). `-Infinity` for silence.
 * @param {Float32Array} samples
 * @param {number} sampleRate
 * @returns {number}
 */
export function integratedLoudness(samples, sampleRate) {
  const [shelf, highPass] = kWeightingFilters(sampleRate);
  const weighted = biquad(biquad(samples, shelf), highPass);
  const block = Math.round(0.4 * sampleRate);
  const step = Math.round(0.1 * sampleRate);
  if (weighted.length < block) return -Infinity;
  // Prefix sums of squares make each block's mean square O(1).
  const squares = new Float64Array(weighted.length + 1);
  for (let i = 0; i < weighted.length; i++) squares[i + 1] = squares[i] + weighted[i] * weighted[i];
  /** @type {number[]} */
  const powers = [];
  for (let start = 0; start + block <= weighted.length; start += step) {
    powers.push((squares[start + block] - squares[start]) / block);
  }
  const loudness = (/** @type {number} */ power) => -0.691 + 10 * Math.log10(power);
  const aboveAbsolute = powers.filter((power) => loudness(power) > -70);
  if (aboveAbsolute.length === 0) return -Infinity;
  const relativeGate = loudness(aboveAbsolute.reduce((sum, power) => sum + power, 0) / aboveAbsolute.length) - 10;
  const gated = aboveAbsolute.filter((power) => loudness(power) > relativeGate);
  return loudness(gated.reduce((sum, power) => sum + power, 0) / gated.length);
}

/** Taps of the 4× oversampling interpolator (windowed sinc), per phase 1..3. */
const interpolationTaps = (() => {
  const half = 8;
  /** @type {Float64Array[]} */
  const phases = [];
  for (let phase = 1; phase < 4; phase++) {
    const taps = new Float64Array(2 * half);
    for (let t = 0; t < 2 * half; t++) {
      const x = t - half + 1 - phase / 4; // distance from the interpolated point to sample n+t-half+1
      const sinc = Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / (half + 0.5)); // Hann
      taps[t] = sinc * window;
    }
    phases.push(taps);
  }
  return { half, phases };
})();

/**
 * The true peak near each sample: the largest absolute value of the sample and of the three
 * 4×-oversampled points after it (BS.1770-4 Annex 2 estimates true peak by oversampling).
 * @param {Float32Array} samples
 */
function truePeakEnvelope(samples) {
  const { half, phases } = interpolationTaps;
  const envelope = new Float32Array(samples.length);
  for (let n = 0; n < samples.length; n++) {
    let peak = Math.abs(samples[n]);
    // Only look between samples where it can matter: quiet samples cannot hide a loud peak.
    if (peak > 0.25 || Math.abs(samples[n + 1] ?? 0) > 0.25) {
      for (const taps of phases) {
        let value = 0;
        for (let t = 0; t < taps.length; t++) {
          const index = n + t - half + 1;
          if (index >= 0 && index < samples.length) value += taps[t] * samples[index];
        }
        if (Math.abs(value) > peak) peak = Math.abs(value);
      }
    }
    envelope[n] = peak;
  }
  return envelope;
}

/**
 * Largest true peak in dBTP.
 * @param {Float32Array} samples
 */
export function truePeak(samples) {
  const envelope = truePeakEnvelope(samples);
  let peak = 0;
  for (let i = 0; i < envelope.length; i++) if (envelope[i] > peak) peak = envelope[i];
  return peak === 0 ? -Infinity : 20 * Math.log10(peak);
}

/**
 * A look-ahead limiter: the gain at each sample never lets the true peak pass `ceiling`
 * (linear); it ramps down over `attack` samples before a peak and recovers over ~50 ms.
 * @param {Float32Array} samples modified in place
 * @param {number} sampleRate
 * @param {number} ceiling
 */
function limit(samples, sampleRate, ceiling) {
  const envelope = truePeakEnvelope(samples);
  const n = samples.length;
  const needed = new Float32Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    needed[i] = envelope[i] > ceiling ? ceiling / envelope[i] : 1;
    if (needed[i] < 1) any = true;
  }
  if (!any) return;
  const attack = Math.max(2, Math.round(0.005 * sampleRate));
  // Minimum over ±attack, then a moving average over ±attack/2: every averaged value comes from
  // a window that contains the sample, so the smoothed gain is still at most the needed gain.
  const held = slidingMinimum(needed, attack);
  const smoothed = movingAverage(held, Math.floor(attack / 2));
  const release = 1 - Math.exp(-1 / (0.05 * sampleRate));
  let gain = 1;
  for (let i = 0; i < n; i++) {
    gain = Math.min(smoothed[i], gain + (1 - gain) * release);
    samples[i] *= gain;
  }
}

/**
 * @param {Float32Array} values
 * @param {number} radius
 */
function slidingMinimum(values, radius) {
  const n = values.length;
  const result = new Float32Array(n);
  /** @type {number[]} */
  const deque = [];
  let head = 0;
  // Window for output i is [i - radius, i + radius]; feed index j = i + radius.
  for (let j = 0; j < n + radius; j++) {
    if (j < n) {
      while (deque.length > head && values[deque[deque.length - 1]] >= values[j]) deque.pop();
      deque.push(j);
    }
    const i = j - radius;
    if (i < 0) continue;
    while (deque[head] < i - radius) head++;
    result[i] = values[deque[head]];
  }
  return result;
}

/**
 * @param {Float32Array} values
 * @param {number} radius
 */
function movingAverage(values, radius) {
  const n = values.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + values[i];
  const result = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, i - radius);
    const to = Math.min(n, i + radius + 1);
    // Outside the signal the gain is 1 (no limiting needed there), so pad with ones.
    const padding = 2 * radius + 1 - (to - from);
    result[i] = (prefix[to] - prefix[from] + padding) / (2 * radius + 1);
  }
  return result;
}

/**
 * Removes leading and trailing silence beyond a natural pause. Returns the kept range.
 * @param {Float32Array} samples
 * @param {number} sampleRate
 * @param {number} leadMs silence kept before the first sound
 * @param {number} tailMs silence kept after the last sound
 * @returns {{ start: number, end: number }}
 */
export function speechBounds(samples, sampleRate, leadMs, tailMs) {
  const threshold = 0.003; // about −50 dBFS: below any speech, above dither and rounding
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]) < threshold) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]) < threshold) last--;
  if (first >= samples.length) return { start: 0, end: samples.length };
  const start = Math.max(0, first - Math.round((leadMs / 1000) * sampleRate));
  const end = Math.min(samples.length, last + 1 + Math.round((tailMs / 1000) * sampleRate));
  return { start, end };
}

/**
 * Trims, normalises to `targetLufs` and limits true peaks to `ceilingDbtp` (with a margin for
 * the estimate). Returns new samples and what was measured.
 * @param {Float32Array} input
 * @param {number} sampleRate
 * @param {{ targetLufs: number, ceilingDbtp: number, leadMs: number, tailMs: number }} settings
 */
export function masterSpeech(input, sampleRate, settings) {
  const { start, end } = speechBounds(input, sampleRate, settings.leadMs, settings.tailMs);
  const samples = input.slice(start, end);
  const measuredLufs = integratedLoudness(samples, sampleRate);
  // The limiter aims half a decibel under the ceiling: the 4× estimate can miss a little.
  const ceiling = Math.pow(10, (settings.ceilingDbtp - 0.5) / 20);
  let gainDb = 0;
  if (Number.isFinite(measuredLufs)) {
    let current = samples;
    let loudness = measuredLufs;
    // Limiting lowers loudness a little; a second pass tops the gain up (converges in two).
    for (let pass = 0; pass < 3; pass++) {
      const correction = settings.targetLufs - loudness;
      if (pass > 0 && Math.abs(correction) < 0.2) break;
      gainDb += correction;
      current = samples.slice();
      const gain = Math.pow(10, gainDb / 20);
      for (let i = 0; i < current.length; i++) current[i] *= gain;
      limit(current, sampleRate, ceiling);
      loudness = integratedLoudness(current, sampleRate);
    }
    samples.set(current);
  }
  return {
    samples,
    trimmedStart: start,
    measuredLufs,
    gainDb,
    integratedLufs: integratedLoudness(samples, sampleRate),
    truePeakDbtp: truePeak(samples),
  };
}
