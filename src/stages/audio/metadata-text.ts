// One-line metadata text for the audio files' headers: ID3 frames, playlist lines, the WebVTT
// header. Each of these is read by other programs as a line or a NUL-terminated string.
import { cleanDisplayText } from "../../document/display-text.js";

/**
 * `text` as a one-line metadata value, by the document's one rule for text on display
 * (`cleanDisplayText`: controls, line and paragraph separators, bidi and other format
 * characters gone, ZWJ/ZWNJ and emoji flag sequences kept, white space collapsed), with each
 * control character read as a word break first: NUL ends an ID3 string and CR, LF, VT and FF
 * end a playlist or WebVTT line, so `a\u0000b` is two words, not one. Titles arrive clean
 * from the document; this holds for any string a writer is handed.
 */
export function oneLineText(text: string): string {
  return cleanDisplayText(text.replace(/\p{Cc}/gu, " "));
}
