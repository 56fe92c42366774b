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
 * Integrated loudness of mono audio in LUFS (BS.1770-4: K-weighting, 400 ms blocks with 75 %
 * overlap, absolute gate at −70 LUFS, relative gate at −10 LU). `-Infinity` for silence.
 * Streams: the K-weighted signal is never stored, only its energy per 100 ms step, so a
 * chapter-length track costs kilobytes, not hundreds of megabytes.
 * @param {Float32Array} samples
 * @param {number} sampleRate
 * @returns {number}
 */
export function integratedLoudness(samples, sampleRate) {
  const [shelf, highPass] = kWeightingFilters(sampleRate);
  const step = Math.round(0.1 * sampleRate);
  const steps = Math.floor(samples.length / step);
  if (steps < 4) return -Infinity;
  const energies = new Float64Array(steps);
  let sx1 = 0, sx2 = 0, sy1 = 0, sy2 = 0;
  let hx1 = 0, hx2 = 0, hy1 = 0, hy2 = 0;
  for (let s = 0; s < steps; s++) {
    let energy = 0;
    for (let i = s * step, end = i + step; i < end; i++) {
      const x = samples[i];
      const y = shelf.b0 * x + shelf.b1 * sx1 + shelf.b2 * sx2 - shelf.a1 * sy1 - shelf.a2 * sy2;
      sx2 = sx1; sx1 = x; sy2 = sy1; sy1 = y;
      const z = highPass.b0 * y + highPass.b1 * hx1 + highPass.b2 * hx2 - highPass.a1 * hy1 - highPass.a2 * hy2;
      hx2 = hx1; hx1 = y; hy2 = hy1; hy1 = z;
      energy += z * z;
    }
    energies[s] = energy;
  }
  /** @type {number[]} */
  const powers = [];
  for (let s = 0; s + 4 <= steps; s++) powers.push((energies[s] + energies[s + 1] + energies[s + 2] + energies[s + 3]) / (4 * step));
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
 * The true peak near sample `n`: the largest absolute value of the sample and of the three
 * 4×-oversampled points after it (BS.1770-4 Annex 2 estimates true peak by oversampling).
 * @param {Float32Array} samples
 * @param {number} n
 * @param {number} quiet below this, neighbours cannot hide a peak that matters: skip the interpolation
 */
function peakAt(samples, n, quiet) {
  const { half, phases } = interpolationTaps;
  let peak = Math.abs(samples[n]);
  if (peak > quiet || Math.abs(samples[n + 1] ?? 0) > quiet) {
    for (const taps of phases) {
      let value = 0;
      for (let t = 0; t < taps.length; t++) {
        const index = n + t - half + 1;
        if (index >= 0 && index < samples.length) value += taps[t] * samples[index];
      }
      if (Math.abs(value) > peak) peak = Math.abs(value);
    }
  }
  return peak;
}

/**
 * Largest true peak in dBTP.
 * @param {Float32Array} samples
 */
export function truePeak(samples) {
  let peak = 0;
  for (let n = 0; n < samples.length; n++) {
    const value = peakAt(samples, n, 0.25);
    if (value > peak) peak = value;
  }
  return peak === 0 ? -Infinity : 20 * Math.log10(peak);
}

/** Samples the limiter works on at a time: its memory stays small however long the track. */
const limiterBlock = 1 << 16;

/**
 * Writes `source × gain` into `out` through a look-ahead limiter: the gain at each sample never
 * lets the true peak pass `ceiling` (linear); it ramps down over ~5 ms before a peak and
 * recovers over ~50 ms. Works block by block; each block looks far enough past its edges that
 * the result is the same as over the whole signal at once.
 * @param {Float32Array} source
 * @param {number} gain
 * @param {Float32Array} out same length as `source`
 * @param {number} sampleRate
 * @param {number} ceiling
 */
function limitInto(source, gain, out, sampleRate, ceiling) {
  const n = source.length;
  const attack = Math.max(2, Math.round(0.005 * sampleRate));
  const radius = Math.floor(attack / 2);
  const pad = attack + radius + 1;
  const release = 1 - Math.exp(-1 / (0.05 * sampleRate));
  const quiet = (0.25 * ceiling) / gain;
  const smoothed = new Float32Array(limiterBlock + 2 * pad);
  let current = 1;
  for (let blockStart = 0; blockStart < n; blockStart += limiterBlock) {
    const blockEnd = Math.min(n, blockStart + limiterBlock);
    const from = Math.max(0, blockStart - pad);
    const to = Math.min(n, blockEnd + pad);
    const needed = new Float32Array(to - from);
    for (let i = from; i < to; i++) {
      const peak = gain * peakAt(source, i, quiet);
      needed[i - from] = peak > ceiling ? ceiling / peak : 1;
    }
    // Minimum over ±attack, then a moving average over ±attack/2: every averaged value comes
    // from a window that contains the sample, so the smoothed gain is at most the needed gain.
    movingAverage(slidingMinimum(needed, attack), radius, smoothed);
    for (let i = blockStart; i < blockEnd; i++) {
      current = Math.min(smoothed[i - from], current + (1 - current) * release);
      out[i] = source[i] * gain * current;
    }
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
 * Centred moving average over 2·radius+1 samples; outside the signal the gain is 1 (no
 * limiting needed there), so the window is padded with ones. A running sum, not a prefix array.
 * @param {Float32Array} values
 * @param {number} radius
 * @param {Float32Array} result where to write (not `values`)
 */
function movingAverage(values, radius, result) {
  const n = values.length;
  const width = 2 * radius + 1;
  const at = (/** @type {number} */ i) => (i < 0 || i >= n ? 1 : values[i]);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += at(i);
  for (let i = 0; i < n; i++) {
    result[i] = sum / width;
    sum += at(i + radius + 1) - at(i - radius);
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
  // The caller hands the input over (it is transferred to the worker): trim without copying.
  const original = input.subarray(start, end);
  const measuredLufs = integratedLoudness(original, sampleRate);
  // The limiter aims a decibel under the ceiling: the 4× estimate can miss a little, and MP3
  // encoding at 48 kbps overshoots peaks by a fraction of a decibel (measured before encoding).
  const ceiling = Math.pow(10, (settings.ceilingDbtp - 1) / 20);
  let gainDb = 0;
  let samples = original;
  if (Number.isFinite(measuredLufs)) {
    samples = new Float32Array(original.length);
    let loudness = measuredLufs;
    // Limiting lowers loudness a little; later passes top the gain up (within 0.1 LU, or four passes).
    for (let pass = 0; pass < 4; pass++) {
      const correction = settings.targetLufs - loudness;
      if (pass > 0 && Math.abs(correction) < 0.1) break;
      gainDb += correction;
      limitInto(original, Math.pow(10, gainDb / 20), samples, sampleRate, ceiling);
      loudness = integratedLoudness(samples, sampleRate);
    }
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
