// MP3 → PCM, for speech an engine delivers only as MP3 (Edge), so it is mastered like any other.
import { MPEGDecoder } from "mpg123-decoder";

/**
 * Decodes MPEG audio frames to mono 16-bit PCM with mpg123 (WebAssembly). The output keeps the
 * stream's own timeline: sample n of the result is sample n of the decoded stream, encoder
 * delay included, which is the timeline engines report their word timings in.
 */
export async function decodeMp3(frames: Uint8Array): Promise<{ samples: Int16Array; sampleRate: number }> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const decoded = decoder.decode(frames);
    if (decoded.samplesDecoded === 0) throw new Error("the speech engine's MP3 audio could not be decoded");
    const channels = decoded.channelData;
    const samples = new Int16Array(decoded.samplesDecoded);
    for (let index = 0; index < samples.length; index++) {
      // Down-mix when a service sends stereo; speech tracks are mono.
      let value = 0;
      for (const channel of channels) value += channel[index] ?? 0;
      value /= channels.length;
      samples[index] = Math.max(-32768, Math.min(32767, Math.round(value * 32768)));
    }
    return { samples, sampleRate: decoded.sampleRate };
  } finally {
    decoder.free();
  }
}
