// Grapheme clusters (UAX #29): the unit text is cut, measured, reversed or given a font by, so
// a combining mark never leaves its base character (é as e + U+0301, Arabic harakat, emoji sequences).
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The grapheme clusters of `text`, in order. */
export function graphemes(text: string): string[] {
  // Pure ASCII without combining sequences (the common case) is one cluster per character.
  // (CR LF is one cluster, so a string with CR goes through the segmenter.)
  if (/^[\x20-\x7E]*$/.test(text)) return text.split("");
  return Array.from(segmenter.segment(text), (segment) => segment.segment);
}

/**
 * The longest prefix of `clusters` (at least `minimum` clusters) whose text `fits`, found by
 * galloping then binary search on the cut point: O(log k) measurements of at most 2k
 * clusters for a cut at k, instead of one measurement per cluster (a 22 KB title, a
 * 20,000-character word). `fits` must be monotonic (a prefix of a fitting prefix fits).
 */
export function longestFittingPrefix(clusters: readonly string[], fits: (text: string) => boolean, minimum = 1): number {
  const ends: number[] = [0];
  for (const cluster of clusters) ends.push(ends.at(-1)! + cluster.length);
  const whole = clusters.join("");
  const fitsAt = (count: number): boolean => fits(whole.slice(0, ends[count]));
  // Gallop: the largest power of two that fits bounds the search from below, the next one from above.
  let low = 0;
  let high = 1;
  while (high <= clusters.length && fitsAt(high)) {
    low = high;
    high *= 2;
  }
  high = Math.min(high - 1, clusters.length);
  // Invariant: a cut at `low` fits (or is 0); every cut above `high` does not.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fitsAt(middle)) low = middle;
    else high = middle - 1;
  }
  return Math.max(low, Math.min(minimum, clusters.length));
}
