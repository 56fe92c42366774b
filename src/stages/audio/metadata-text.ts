// One-line metadata text for the audio files' headers: ID3 frames, playlist lines, the WebVTT
// header. Each of these is read by other programs as a line or a NUL-terminated string.

/**
 * Characters that end, cut or disguise a one-line value: C0 and C1 controls (NUL ends an ID3
 * string, CR and LF end a playlist or WebVTT line, VT and FF are line breaks to some readers),
 * DEL, the line and paragraph separators, lone surrogates (not encodable in UTF-8 or UTF-16),
 * and format characters (bidi embeddings, overrides, isolates and marks, soft hyphens, BOMs,
 * invisible operators) — except ZWJ and ZWNJ, which emoji sequences and Persian, Kurdish and
 * Indic spellings need.
 */
const notOneLine = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]|(?![\u200C\u200D])\p{Cf}/gu;

/**
 * `text` as a one-line metadata value: every control and format character replaced by a space,
 * runs of white space collapsed to one, the ends trimmed. The M3U, WebVTT and ID3 writers all
 * use this one function, so a title reads the same in each and none can break its format.
 */
export function oneLineText(text: string): string {
  return text.replace(notOneLine, " ").replace(/\s+/g, " ").trim();
}
