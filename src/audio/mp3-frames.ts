// MPEG audio frames: reading headers, counting frames, and writing the Xing/LAME "Info" frame
// that tells players a CBR file's exact length and its encoder delay and padding (gapless).

export interface FrameHeader {
  /** 1 (MPEG-1), 2 (MPEG-2) or 2.5. */
  readonly version: 1 | 2 | 2.5;
  readonly bitrate: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Bytes in the whole frame, header included. */
  readonly size: number;
  /** PCM samples per channel that one frame decodes to. */
  readonly samples: number;
}

const layer3Bitrates = {
  1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
} as const;
const sampleRates = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;

/** The Layer III frame header at `offset`, or undefined when there is none there. */
export function readFrameHeader(bytes: Uint8Array, offset: number): FrameHeader | undefined {
  if (offset + 4 > bytes.length) return undefined;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  const b3 = bytes[offset + 3]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  if (versionBits === 1 || layerBits !== 1) return undefined; // reserved version, or not Layer III
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const bitrate = layer3Bitrates[version === 1 ? 1 : 2][(b2 >> 4) & 15] ?? 0;
  const sampleRate = sampleRates[version][(b2 >> 2) & 3];
  if (!bitrate || sampleRate === undefined) return undefined;
  const padding = (b2 >> 1) & 1;
  const samples = version === 1 ? 1152 : 576;
  const size = Math.floor(((samples / 8) * bitrate * 1000) / sampleRate) + padding;
  return { version, bitrate, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, size, samples };
}

/** Skips an ID3v2 tag at the start, if any; returns where the audio begins. */
export function audioStart(bytes: Uint8Array): number {
  if (bytes.length >= 10 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) {
    const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    return 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
  }
  return 0;
}

export interface FrameScan {
  readonly first: FrameHeader;
  /** Audio frames (an Info frame, when present, is not counted). */
  readonly frameCount: number;
  /** The audio frames' bytes, without tags or Info frame. */
  readonly frames: Uint8Array;
}

/** Walks every frame of an MPEG Layer III stream (tags skipped). Throws when there are none. */
export function scanFrames(bytes: Uint8Array): FrameScan {
  let offset = audioStart(bytes);
  let first: FrameHeader | undefined;
  let frameCount = 0;
  let begin = -1;
  let end = offset;
  while (offset < bytes.length) {
    const header = readFrameHeader(bytes, offset);
    if (!header) {
      if (first) break; // trailing tag or garbage
      offset++;
      continue;
    }
    if (!first && isInfoFrame(bytes, offset, header)) {
      offset += header.size;
      continue;
    }
    first ??= header;
    if (begin === -1) begin = offset;
    frameCount++;
    offset += header.size;
    end = Math.min(offset, bytes.length);
  }
  if (!first || begin === -1) throw new Error("no MPEG audio frames found");
  return { first, frameCount, frames: bytes.subarray(begin, end) };
}

function sideInfoSize(header: FrameHeader): number {
  if (header.version === 1) return header.channels === 1 ? 17 : 32;
  return header.channels === 1 ? 9 : 17;
}

function isInfoFrame(bytes: Uint8Array, offset: number, header: FrameHeader): boolean {
  const at = offset + 4 + sideInfoSize(header);
  const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
  return tag === "Info" || tag === "Xing";
}

/** LAME's own encoder delay; decoders add 529 samples of their own (1,105 in all, measured). */
export const lameEncoderDelay = 576;
/** Samples between the start of the decoded stream and the first input sample. */
export const decoderStartOffset = 1105;

/**
 * An Info frame (the CBR form of the Xing header) with the frame and byte counts, plus a LAME
 * tag carrying encoder delay and padding so gapless players trim them (gabriel.mp3-tech.org
 * "Mp3 Info Tag rev 1"). Players and parsers then read the exact duration instead of
 * estimating it from the file size.
 */
export function infoFrame(template: FrameHeader, templateBytes: Uint8Array, frameCount: number, frameBytes: number, sampleCount?: number): Uint8Array {
  // Same header as the audio, without padding and without CRC, so the size is predictable.
  const header = new Uint8Array(templateBytes.subarray(0, 4));
  header[1] = header[1]! | 0x01; // protection bit set: no CRC
  header[2] = header[2]! & ~0x02; // no padding
  const size = Math.floor(((template.samples / 8) * template.bitrate * 1000) / template.sampleRate);
  const frame = new Uint8Array(size);
  frame.set(header, 0);
  const view = new DataView(frame.buffer);
  let at = 4 + sideInfoSize(template);
  const ascii = (text: string): void => {
    for (let i = 0; i < text.length; i++) frame[at + i] = text.charCodeAt(i);
    at += text.length;
  };
  ascii("Info");
  view.setUint32(at, 0x3, false); // flags: frame count and byte count present
  view.setUint32(at + 4, frameCount, false);
  view.setUint32(at + 8, frameBytes + size, false);
  at += 12;
  if (at + 36 > size) return frame;
  ascii("LAME3.100");
  frame[at] = 0x01; // tag revision 0, VBR method 1 = constant bitrate
  at += 11; // method, lowpass, peak (4), radio and audiophile gain (2 + 2), flags
  frame[at++] = Math.min(255, template.bitrate);
  if (sampleCount !== undefined) {
    const padding = Math.max(0, Math.min(4095, frameCount * template.samples - lameEncoderDelay - sampleCount));
    frame[at] = lameEncoderDelay >> 4;
    frame[at + 1] = ((lameEncoderDelay & 0x0f) << 4) | (padding >> 8);
    frame[at + 2] = padding & 0xff;
  }
  at += 3 + 1 + 1 + 2; // delay/padding, misc, mp3 gain, preset
  view.setUint32(at, frameBytes + size, false); // music length in bytes
  return frame;
}

/** Frames with an Info frame in front: a complete MPEG stream, ready for an ID3 tag. */
export function withInfoFrame(scan: FrameScan, sampleCount?: number): Uint8Array {
  const info = infoFrame(scan.first, scan.frames, scan.frameCount, scan.frames.length, sampleCount);
  const stream = new Uint8Array(info.length + scan.frames.length);
  stream.set(info, 0);
  stream.set(scan.frames, info.length);
  return stream;
}
