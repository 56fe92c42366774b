// Mastering speech for listening: loudness measured per ITU-R BS.1770-4, gain to a target,
// a true-peak limiter, and silence trimmed to a natural pause at the track's edges.
//
// Plain JavaScript (JSDoc-typed) because the audio worker imports it: worker entry files must
// load the same way under tsx, vitest and compiled dist/ (see src/tts/espeak.ts).
//
// Built for speed and memory (docs/performance.md): the input is the engine's 16-bit PCM
// (Float32 is accepted too), the gain-independent part of the limiter (the oversampled peak
// envelope) is computed once per track at 1/16 resolution, each loudness pass is a cheap
// streaming loop with no allocation per sample, and the mastered signal is never stored
// whole: `masterSpeechInBlocks` hands it to a sink (the MP3 encoder) block by block.

/** @typedef {Float32Array | Int16Array} Pcm 16-bit PCM is read as value / 32768. */
/** @typedef {{ b0: number, b1: number, b2: number, a1: number, a2: number }} Biquad normalised coefficients (a0 = 1) */

// Indexed reads in the per-sample loops are cast to number (`/** @type {number} */ (a[i])`):
// the loop bounds keep them in range, and a `?? 0` would cost a branch per sample.

/** @param {Pcm} samples */
const scaleOf = (samples) => (samples instanceof Int16Array ? 1 / 32768 : 1);

/**
 * Biquad coefficients of the BS.1770 K-weighting filter for any sample rate (the standard
 * tabulates them for 48 kHz only; these are the analogue prototypes libebur128 uses).
 * @param {number} sampleRate
 * @returns {[shelf: Biquad, highPass: Biquad]}
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
 * BS.1770-4 integrated loudness, fed block by block (K-weighting, 400 ms blocks with 75 %
 * overlap, absolute gate at −70 LUFS, relative gate at −10 LU). Keeps only the energy of each
 * 100 ms step, so a chapter-length track costs kilobytes, never a K-weighted copy.
 */
export class LoudnessMeter {
  /** @param {number} sampleRate */
  constructor(sampleRate) {
    const [shelf, highPass] = kWeightingFilters(sampleRate);
    this.shelf = shelf;
    this.highPass = highPass;
    this.step = Math.round(0.1 * sampleRate);
    /** @type {number[]} energy of each whole 100 ms step */
    this.energies = [];
    this.energy = 0;
    this.inStep = 0;
    this.sx1 = 0;
    this.sx2 = 0;
    this.sy1 = 0;
    this.sy2 = 0;
    this.hx1 = 0;
    this.hx2 = 0;
    this.hy1 = 0;
    this.hy2 = 0;
  }

  /**
   * @param {ArrayLike<number>} block
   * @param {number} [from]
   * @param {number} [to]
   * @param {number} [scale] multiplies every value (1/32768 for 16-bit PCM)
   */
  push(block, from = 0, to = block.length, scale = 1) {
    const { b0: sb0, b1: sb1, b2: sb2, a1: sa1, a2: sa2 } = this.shelf;
    const { b0: hb0, b1: hb1, b2: hb2, a1: ha1, a2: ha2 } = this.highPass;
    let { sx1, sx2, sy1, sy2, hx1, hx2, hy1, hy2, energy, inStep } = this;
    const step = this.step;
    for (let i = from; i < to; i++) {
      const x = /** @type {number} */ (block[i]) * scale;
      const y = sb0 * x + sb1 * sx1 + sb2 * sx2 - sa1 * sy1 - sa2 * sy2;
      sx2 = sx1;
      sx1 = x;
      sy2 = sy1;
      sy1 = y;
      const z = hb0 * y + hb1 * hx1 + hb2 * hx2 - ha1 * hy1 - ha2 * hy2;
      hx2 = hx1;
      hx1 = y;
      hy2 = hy1;
      hy1 = z;
      energy += z * z;
      if (++inStep === step) {
        this.energies.push(energy);
        energy = 0;
        inStep = 0;
      }
    }
    Object.assign(this, { sx1, sx2, sy1, sy2, hx1, hx2, hy1, hy2, energy, inStep });
  }

  /** Integrated loudness in LUFS of everything pushed; `-Infinity` for silence or under 400 ms. */
  value() {
    return gatedLoudness(this.energies, this.step);
  }
}

/**
 * BS.1770-4 gating over the K-weighted energy of consecutive 100 ms steps: 400 ms blocks with
 * 75 % overlap, absolute gate at −70 LUFS, relative gate 10 LU under the absolutely gated mean.
 * @param {ArrayLike<number>} energies
 * @param {number} step samples per step
 */
function gatedLoudness(energies, step) {
  if (energies.length < 4) return -Infinity;
  const loudness = (/** @type {number} */ power) => -0.691 + 10 * Math.log10(power);
  const absoluteGate = Math.pow(10, (-70 + 0.691) / 10);
  /** @type {number[]} */
  const powers = [];
  const at = (/** @type {number} */ index) => /** @type {number} */ (energies[index]);
  for (let s = 0; s + 4 <= energies.length; s++) {
    const power = (at(s) + at(s + 1) + at(s + 2) + at(s + 3)) / (4 * step);
    if (power > absoluteGate) powers.push(power);
  }
  if (powers.length === 0) return -Infinity;
  const relativeGate = loudness(powers.reduce((sum, power) => sum + power, 0) / powers.length) - 10;
  const gated = powers.filter((power) => loudness(power) > relativeGate);
  return loudness(gated.reduce((sum, power) => sum + power, 0) / gated.length);
}

/**
 * Integrated loudness of mono audio in LUFS (BS.1770-4). `-Infinity` for silence.
 * @param {Pcm} samples
 * @param {number} sampleRate
 * @returns {number}
 */
export function integratedLoudness(samples, sampleRate) {
  const meter = new LoudnessMeter(sampleRate);
  meter.push(samples, 0, samples.length, scaleOf(samples));
  return meter.value();
}

/** Taps of the 4× oversampling interpolator (windowed sinc), phases 1..3 laid end to end. */
const interpolation = (() => {
  const half = 8;
  const width = 2 * half;
  const taps = new Float64Array(3 * width);
  for (let phase = 1; phase < 4; phase++) {
    for (let t = 0; t < width; t++) {
      const x = t - half + 1 - phase / 4; // distance from the interpolated point to sample n+t-half+1
      const sinc = Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / (half + 0.5)); // Hann
      taps[(phase - 1) * width + t] = sinc * window;
    }
  }
  return { half, width, taps };
})();

/**
 * The largest absolute value of the three 4×-oversampled points between `values[n]` and
 * `values[n + 1]` (BS.1770-4 Annex 2 estimates true peak by oversampling); values outside
 * [0, length) count as silence.
 * @param {ArrayLike<number>} values
 * @param {number} n
 * @param {number} length
 */
function interpolatedPeak(values, n, length) {
  const { half, width, taps } = interpolation;
  const first = n - half + 1;
  let peak = 0;
  if (first >= 0 && first + width <= length) {
    for (let p = 0; p < 3 * width; p += width) {
      let value = 0;
      for (let t = 0; t < width; t++) value += /** @type {number} */ (taps[p + t]) * /** @type {number} */ (values[first + t]);
      if (value < 0) value = -value;
      if (value > peak) peak = value;
    }
    return peak;
  }
  for (let p = 0; p < 3 * width; p += width) {
    let value = 0;
    for (let t = 0; t < width; t++) {
      const index = first + t;
      if (index >= 0 && index < length) value += /** @type {number} */ (taps[p + t]) * /** @type {number} */ (values[index]);
    }
    if (value < 0) value = -value;
    if (value > peak) peak = value;
  }
  return peak;
}

/**
 * Largest true peak in dBTP. Interpolates only next to samples above half the peak found so
 * far (at least −12 dBFS): an inter-sample peak more than 6 dB over both its neighbours does
 * not occur in band-limited audio, and skipping the rest makes the meter about ten times cheaper.
 * @param {Pcm} samples
 */
export function truePeak(samples) {
  const meter = new TruePeakMeter();
  if (samples instanceof Int16Array) {
    const block = new Float32Array(Math.min(samples.length, 1 << 16));
    for (let from = 0; from < samples.length; from += block.length) {
      const to = Math.min(samples.length, from + block.length);
      for (let i = from; i < to; i++) block[i - from] = /** @type {number} */ (samples[i]) / 32768;
      meter.push(block.subarray(0, to - from));
    }
  } else {
    meter.push(samples);
  }
  return meter.value();
}

/** True peak of a signal fed block by block (the interpolator looks 8 samples across block edges). */
export class TruePeakMeter {
  constructor() {
    /** Samples kept from earlier blocks: enough for the interpolator's look-back (7). */
    this.history = interpolation.width;
    /** The last `history` samples seen (silence before the signal), then room for a block. */
    this.buffer = new Float32Array(this.history);
    this.total = 0;
    this.peak = 0;
  }

  /** @param {Float32Array} block */
  push(block) {
    if (block.length === 0) return;
    const { history } = this;
    if (this.buffer.length < history + block.length) {
      const grown = new Float32Array(history + block.length);
      grown.set(this.buffer.subarray(0, history));
      this.buffer = grown;
    }
    this.buffer.set(block, history);
    // buffer[k] is sample total − history + k. Points n whose window [n − 7, n + 8] is complete
    // and that the previous push could not finish: n from total − 8 to total + length − 9.
    const { half } = interpolation;
    this.#scan(this.buffer, history + block.length, history - half, history + block.length - half);
    this.buffer.copyWithin(0, block.length, block.length + history);
    this.total += block.length;
  }

  /**
   * Measures points k in [from, to) of `buffer` (sample n = total − history + k): the sample
   * itself and, next to loud samples, the points between it and the next.
   * @param {Float32Array} buffer
   * @param {number} length
   * @param {number} from
   * @param {number} to
   */
  #scan(buffer, length, from, to) {
    let peak = this.peak;
    const first = this.history - this.total; // k of sample 0: points before it are silence
    for (let k = Math.max(from, first); k < to; k++) {
      const here = Math.abs(/** @type {number} */ (buffer[k]));
      if (here > peak) peak = here;
      const gate = Math.max(0.25, 0.5 * peak);
      if (here > gate || Math.abs(/** @type {number} */ (buffer[k + 1])) > gate) {
        const value = interpolatedPeak(buffer, k, length);
        if (value > peak) peak = value;
      }
    }
    this.peak = peak;
  }

  /** Largest true peak in dBTP of everything pushed (silence follows the signal). */
  value() {
    const { history } = this;
    const { half } = interpolation;
    const tail = new Float32Array(history + half);
    tail.set(this.buffer.subarray(0, history));
    const peakBefore = this.peak;
    this.#scan(tail, tail.length, history - half, history);
    const peak = this.peak;
    this.peak = peakBefore;
    return peak === 0 ? -Infinity : 20 * Math.log10(peak);
  }
}

/**
 * Removes leading and trailing silence beyond a natural pause. Returns the kept range.
 * @param {Pcm} samples
 * @param {number} sampleRate
 * @param {number} leadMs silence kept before the first sound
 * @param {number} tailMs silence kept after the last sound
 * @returns {{ start: number, end: number }}
 */
export function speechBounds(samples, sampleRate, leadMs, tailMs) {
  const threshold = 0.003 / scaleOf(samples); // about −50 dBFS: below any speech, above dither and rounding
  let first = 0;
  while (first < samples.length && Math.abs(/** @type {number} */ (samples[first])) < threshold) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(/** @type {number} */ (samples[last])) < threshold) last--;
  if (first >= samples.length) return { start: 0, end: samples.length };
  const start = Math.max(0, first - Math.round((leadMs / 1000) * sampleRate));
  const end = Math.min(samples.length, last + 1 + Math.round((tailMs / 1000) * sampleRate));
  return { start, end };
}

/**
 * Work arrays kept from one track to the next. A worker masters one track at a time, and
 * mastering is synchronous, so one set is enough; reusing it spares the allocator tens of
 * megabytes of short-lived arrays per chapter (freed memory that C's per-thread allocator
 * arenas keep, and that showed as resident memory creeping up over a book).
 * @type {Map<string, Float32Array | Int32Array | Float64Array>}
 */
const workArrays = new Map();

/**
 * A zeroed work array of `length`, reused across tracks (see `workArrays`): valid until the
 * next call with the same `name`.
 * @template {Float32ArrayConstructor | Int32ArrayConstructor | Float64ArrayConstructor} T
 * @param {string} name
 * @param {T} Type
 * @param {number} length
 * @returns {InstanceType<T>}
 */
function workArray(name, Type, length) {
  let array = workArrays.get(name);
  if (!(array instanceof Type) || array.length < length) {
    array = new Type(Math.ceil(length * 1.25));
    workArrays.set(name, array);
  }
  const view = array.subarray(0, length);
  view.fill(0);
  return /** @type {InstanceType<T>} */ (view);
}

/** Samples per cell of the limiter's peak envelope: 16 keeps it small (a 15-minute chapter: 5 MB). */
const cellSize = 16;
/** Samples the mastered signal is produced in: the sink's block size. */
export const masteringBlock = 1152 * 64;

/**
 * The limiter's input, computed once per track: the largest true peak (of the unscaled signal)
 * in each cell of `cellSize` samples. Interpolates only next to samples above `quiet`: below
 * it, no gain the passes try can push a peak to the ceiling.
 * @param {Pcm} source
 * @param {number} quiet
 */
function peakEnvelope(source, quiet) {
  const scale = scaleOf(source);
  const n = source.length;
  const cells = workArray("envelope", Float32Array, Math.ceil(n / cellSize));
  const block = workArray("envelope block", Float32Array, masteringBlock + 2 * interpolation.width);
  const margin = interpolation.width;
  for (let from = 0; from < n; from += masteringBlock) {
    const to = Math.min(n, from + masteringBlock);
    // The block with `margin` samples of context either side, as floats.
    const lo = Math.max(0, from - margin);
    const hi = Math.min(n, to + margin);
    for (let i = lo; i < hi; i++) block[i - lo] = /** @type {number} */ (source[i]) * scale;
    const length = hi - lo;
    let cell = (from / cellSize) | 0;
    let cellMax = /** @type {number} */ (cells[cell]);
    for (let i = from; i < to; i++) {
      if (((i / cellSize) | 0) !== cell) {
        cells[cell] = cellMax;
        cell = (i / cellSize) | 0;
        cellMax = /** @type {number} */ (cells[cell]);
      }
      const local = i - lo;
      let peak = Math.abs(/** @type {number} */ (block[local]));
      const next = local + 1 < length ? Math.abs(/** @type {number} */ (block[local + 1])) : 0;
      // Only the cell's maximum matters: skip points that cannot beat it by the same 6 dB rule.
      const gate = quiet > 0.5 * cellMax ? quiet : 0.5 * cellMax;
      if (peak > gate || next > gate) {
        const value = interpolatedPeak(block, local, length);
        if (value > peak) peak = value;
      }
      if (peak > cellMax) cellMax = peak;
    }
    cells[cell] = cellMax;
  }
  return cells;
}

/**
 * The limiter's gain per cell for `gain`: the needed gain (ceiling / peak) taken as a minimum
 * over ±(attack + 1 cell), then a moving average over ±attack/2. Every averaged value comes from
 * windows that contain the cell and its neighbours, so linear interpolation between cells never
 * exceeds the needed gain at any sample.
 * @param {Float32Array} envelope
 * @param {number} gain
 * @param {number} ceiling
 * @param {number} sampleRate
 * @param {Float32Array} out
 * @param {{ needed: Float32Array, minimum: Float32Array, deque: Int32Array }} scratch one per track, reused by every trial gain (no garbage per try)
 */
function cellGains(envelope, gain, ceiling, sampleRate, out, scratch) {
  const n = envelope.length;
  const attack = Math.max(2, Math.round(0.005 * sampleRate));
  const minimumRadius = Math.ceil(attack / cellSize) + 1;
  const averageRadius = Math.max(0, Math.floor(attack / 2 / cellSize));
  const { needed } = scratch;
  let anyLimited = false;
  for (let c = 0; c < n; c++) {
    const peak = gain * /** @type {number} */ (envelope[c]);
    needed[c] = peak > ceiling ? ceiling / peak : 1;
    if (peak > ceiling) anyLimited = true;
  }
  if (!anyLimited) {
    out.fill(1);
    return;
  }
  movingAverage(slidingMinimum(needed, minimumRadius, scratch.minimum, scratch.deque), averageRadius, out);
}

/**
 * Work arrays of `cellGains` for a track of `cells` cells.
 * @param {number} cells
 */
function limiterScratch(cells) {
  return { needed: workArray("needed", Float32Array, cells), minimum: workArray("minimum", Float32Array, cells), deque: workArray("deque", Int32Array, cells) };
}

/**
 * @param {Float32Array} values
 * @param {number} radius
 * @param {Float32Array} result where to write (not `values`)
 * @param {Int32Array} deque work space, as long as `values`
 */
function slidingMinimum(values, radius, result, deque) {
  const n = values.length;
  let head = 0;
  let tail = 0;
  // Window for output i is [i - radius, i + radius]; feed index j = i + radius.
  for (let j = 0; j < n + radius; j++) {
    if (j < n) {
      while (tail > head && /** @type {number} */ (values[/** @type {number} */ (deque[tail - 1])]) >= /** @type {number} */ (values[j])) tail--;
      deque[tail++] = j;
    }
    const i = j - radius;
    if (i < 0) continue;
    while (/** @type {number} */ (deque[head]) < i - radius) head++;
    result[i] = /** @type {number} */ (values[/** @type {number} */ (deque[head])]);
  }
  return result;
}

/**
 * Centred moving average over 2·radius+1 values; outside the signal the gain is 1 (no
 * limiting needed there), so the window is padded with ones. A running sum.
 * @param {Float32Array} values
 * @param {number} radius
 * @param {Float32Array} result where to write (not `values`)
 */
function movingAverage(values, radius, result) {
  const n = values.length;
  const width = 2 * radius + 1;
  const at = (/** @type {number} */ i) => (i < 0 || i >= n ? 1 : /** @type {number} */ (values[i]));
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += at(i);
  for (let i = 0; i < n; i++) {
    result[i] = sum / width;
    sum += at(i + radius + 1) - at(i - radius);
  }
  return result;
}

/**
 * The input's integrated loudness, and its K-weighted energy per envelope cell: what the
 * passes need to estimate the limited signal's loudness without filtering it again.
 * @param {Pcm} source
 * @param {number} sampleRate
 */
function analyseLoudness(source, sampleRate) {
  const [shelf, highPass] = kWeightingFilters(sampleRate);
  const { b0: sb0, b1: sb1, b2: sb2, a1: sa1, a2: sa2 } = shelf;
  const { b0: hb0, b1: hb1, b2: hb2, a1: ha1, a2: ha2 } = highPass;
  const scale = scaleOf(source);
  const step = Math.round(0.1 * sampleRate);
  const n = source.length;
  const cells = workArray("cell energies", Float32Array, Math.ceil(n / cellSize));
  const steps = new Float64Array(Math.floor(n / step));
  let sx1 = 0,
    sx2 = 0,
    sy1 = 0,
    sy2 = 0,
    hx1 = 0,
    hx2 = 0,
    hy1 = 0,
    hy2 = 0;
  let stepEnergy = 0;
  let inStep = 0;
  let s = 0;
  for (let c = 0; c < cells.length; c++) {
    const to = Math.min(n, (c + 1) * cellSize);
    let cellEnergy = 0;
    for (let i = c * cellSize; i < to; i++) {
      const x = /** @type {number} */ (source[i]) * scale;
      const y = sb0 * x + sb1 * sx1 + sb2 * sx2 - sa1 * sy1 - sa2 * sy2;
      sx2 = sx1;
      sx1 = x;
      sy2 = sy1;
      sy1 = y;
      const z = hb0 * y + hb1 * hx1 + hb2 * hx2 - ha1 * hy1 - ha2 * hy2;
      hx2 = hx1;
      hx1 = y;
      hy2 = hy1;
      hy1 = z;
      const energy = z * z;
      cellEnergy += energy;
      stepEnergy += energy;
      if (++inStep === step) {
        if (s < steps.length) steps[s++] = stepEnergy;
        stepEnergy = 0;
        inStep = 0;
      }
    }
    cells[c] = cellEnergy;
  }
  return { measuredLufs: gatedLoudness(steps, step), cellEnergies: cells, step };
}

/**
 * Integrated loudness of the limited signal, estimated per cell: the limiter's gain changes
 * slowly next to the K-weighting filter's response, so filtering `x · g` is close to `g` times
 * the filtered `x`, and each cell's energy scales by the square of its gain. Sixteen times
 * cheaper than a pass over the samples; the final pass measures the real output exactly.
 * @param {Float32Array} cellEnergies
 * @param {Float32Array} gains the limiter's gain per cell (from `cellGains`)
 * @param {number} gain
 * @param {number} step samples per 100 ms
 * @param {number} sampleRate
 * @param {number} samples the signal's length
 */
function estimatedLoudness(cellEnergies, gains, gain, step, sampleRate, samples) {
  const release = 1 - Math.pow(Math.exp(-1 / (0.05 * sampleRate)), cellSize);
  const energies = new Float64Array(Math.floor(samples / step));
  const squared = gain * gain;
  let current = 1;
  for (let c = 0; c < cellEnergies.length; c++) {
    const recovered = current + (1 - current) * release;
    const cellGain = /** @type {number} */ (gains[c]);
    current = cellGain < recovered ? cellGain : recovered;
    const s = Math.floor((c * cellSize + cellSize / 2) / step);
    if (s < energies.length) energies[s] = /** @type {number} */ (energies[s]) + /** @type {number} */ (cellEnergies[c]) * squared * current * current;
  }
  return gatedLoudness(energies, step);
}

/**
 * One pass of the limiter over the whole track: `source × gain × limiter gain`, fed block by
 * block to `loudness` and, when given, to `sink`. The limiter gain follows the cell gains
 * (interpolated between cell centres), ramps down ahead of peaks and recovers over ~50 ms.
 * @param {Pcm} source
 * @param {number} gain
 * @param {Float32Array} gains per cell (from `cellGains`)
 * @param {number} sampleRate
 * @param {LoudnessMeter | undefined} loudness
 * @param {((block: Float32Array) => void) | undefined} sink receives a reused buffer: copy what you keep
 */
function limiterPass(source, gain, gains, sampleRate, loudness, sink) {
  const scale = scaleOf(source) * gain;
  const n = source.length;
  const release = 1 - Math.exp(-1 / (0.05 * sampleRate));
  const block = workArray("limiter block", Float32Array, Math.min(n, masteringBlock));
  const lastCell = gains.length - 1;
  // Cell centres sit at c·16 + 7.5: sample i lies between the centres of cells c and c + 1 for
  // c = floor((i − 8) / 16), and its limit is the linear blend of their gains. Walking segment
  // by segment keeps divisions and roundings out of the per-sample loop.
  const half = cellSize / 2;
  let current = 1;
  for (let from = 0; from < n; from += masteringBlock) {
    const to = Math.min(n, from + masteringBlock);
    let i = from;
    while (i < to) {
      const c = i < half ? -1 : Math.floor((i - half) / cellSize);
      const segmentEnd = Math.min(to, (c + 1) * cellSize + half);
      const a = /** @type {number} */ (gains[c < 0 ? 0 : c]);
      const b = /** @type {number} */ (gains[c < lastCell ? c + 1 : lastCell]);
      const slope = c < 0 || c >= lastCell ? 0 : (b - a) / cellSize;
      let limit = c < 0 ? a : a + slope * (i - (c * cellSize + half - 0.5));
      for (; i < segmentEnd; i++) {
        const recovered = current + (1 - current) * release;
        current = limit < recovered ? limit : recovered;
        block[i - from] = /** @type {number} */ (source[i]) * scale * current;
        limit += slope;
      }
    }
    const length = to - from;
    loudness?.push(block, 0, length);
    if (sink) sink(length === block.length ? block : block.subarray(0, length));
  }
}

/**
 * Trims, normalises to `targetLufs` and limits true peaks to `ceilingDbtp` (with a margin for
 * the estimate), handing the mastered signal to `sink` block by block, in order (a reused
 * buffer: copy what you keep). Returns what was measured.
 * @param {Pcm} input
 * @param {number} sampleRate
 * @param {{ targetLufs: number, ceilingDbtp: number, leadMs: number, tailMs: number, limiterMarginDb?: number }} settings
 *   `limiterMarginDb`: how far under the ceiling the limiter aims (default 1 dB)
 * @param {(block: Float32Array) => void} sink
 * @param {{ first?: boolean, last?: boolean, output?: LoudnessMeter | null, peaks?: TruePeakMeter | null }} [part]
 *   when the track is mastered in parts (a long chapter, to bound memory): whether this is its
 *   first and last part, and the meters that measure the whole track across the parts (the
 *   loudness and true peak returned are then the whole track's so far); `null` meters measure
 *   nothing (NaN is returned): a caller that measures the encoded file saves the work
 */
export function masterSpeechInBlocks(input, sampleRate, settings, sink, part = {}) {
  const bounds = speechBounds(input, sampleRate, settings.leadMs, settings.tailMs);
  // A part of a longer track keeps its inner edges: only the track's own start and end are trimmed.
  const start = part.first === false ? 0 : bounds.start;
  const end = part.last === false ? input.length : bounds.end;
  // The caller hands the input over (it is transferred to the worker): trim without copying.
  const original = input.subarray(start, end);
  const { measuredLufs, cellEnergies, step } = analyseLoudness(original, sampleRate);
  // The limiter aims under the ceiling (a decibel by default): the 4× estimate can miss a
  // little, and MP3 encoding at 48 kbps overshoots peaks by up to about a decibel.
  const ceiling = Math.pow(10, (settings.ceilingDbtp - (settings.limiterMarginDb ?? 1)) / 20);
  const peaks = part.peaks === null ? undefined : (part.peaks ?? new TruePeakMeter());
  const output = part.output === null ? undefined : (part.output ?? new LoudnessMeter(sampleRate));
  const render = (/** @type {number} */ gainDb, /** @type {Float32Array} */ gains) =>
    limiterPass(original, Math.pow(10, gainDb / 20), gains, sampleRate, output, (block) => {
      peaks?.push(block);
      sink(block);
    });
  const measured = () => ({ integratedLufs: output ? output.value() : NaN, truePeakDbtp: peaks ? peaks.value() : NaN });
  if (!Number.isFinite(measuredLufs)) {
    // Silence: nothing to normalise; passed through as it is.
    render(0, new Float32Array(Math.max(1, cellEnergies.length)).fill(1));
    return { trimmedStart: start, sampleCount: original.length, measuredLufs, gainDb: 0, ...measured() };
  }
  let gainDb = settings.targetLufs - measuredLufs;
  // The envelope is gain-independent. Below `quiet` (6 dB under where the first pass's gain
  // reaches the ceiling) samples are taken as they are: inter-sample peaks of band-limited
  // speech stay well within 6 dB of their neighbours, and the passes add a decibel at most.
  const envelope = peakEnvelope(original, (0.5 * ceiling) / Math.pow(10, gainDb / 20));
  const gains = workArray("gains", Float32Array, envelope.length);
  const scratch = limiterScratch(envelope.length);
  const loudnessAt = (/** @type {number} */ db) => {
    cellGains(envelope, Math.pow(10, db / 20), ceiling, sampleRate, gains, scratch);
    return estimatedLoudness(cellEnergies, gains, Math.pow(10, db / 20), step, sampleRate, original.length);
  };
  // Limiting lowers loudness, so more gain is needed than the unlimited signal suggests, and
  // each extra decibel buys less (about half a decibel of loudness for speech peaking near
  // full scale). Secant steps on the estimate find the gain in three or four tries.
  let previous = { gainDb, loudness: loudnessAt(gainDb) };
  let slope = 1;
  for (let attempt = 0; attempt < 8 && Math.abs(settings.targetLufs - previous.loudness) >= 0.02; attempt++) {
    const next = previous.gainDb + (settings.targetLufs - previous.loudness) / slope;
    const loudness = loudnessAt(next);
    if (Math.abs(next - previous.gainDb) > 1e-6) slope = Math.min(1.5, Math.max(0.1, (loudness - previous.loudness) / (next - previous.gainDb)));
    previous = { gainDb: next, loudness };
  }
  gainDb = previous.gainDb;
  cellGains(envelope, Math.pow(10, gainDb / 20), ceiling, sampleRate, gains, scratch);
  // One pass over the samples: the mastered signal into the sink, measured exactly as it goes.
  render(gainDb, gains);
  return { trimmedStart: start, sampleCount: original.length, measuredLufs, gainDb, ...measured() };
}

/**
 * `masterSpeechInBlocks` collected into one Float32Array (tests, short clips).
 * @param {Pcm} input
 * @param {number} sampleRate
 * @param {{ targetLufs: number, ceilingDbtp: number, leadMs: number, tailMs: number }} settings
 */
export function masterSpeech(input, sampleRate, settings) {
  /** @type {Float32Array[]} */
  const blocks = [];
  const result = masterSpeechInBlocks(input, sampleRate, settings, (block) => blocks.push(block.slice()));
  const samples = new Float32Array(result.sampleCount);
  let offset = 0;
  for (const block of blocks) {
    samples.set(block, offset);
    offset += block.length;
  }
  return { ...result, samples };
}
