// Which link targets the EPUB and the PDF keep as links: one rule for both outputs.

/**
 * URL schemes a reader can follow safely from a book or a PDF: the web and e-mail. Any
 * other scheme (`javascript:`, `data:`, `file:`, `vbscript:`, `ftp:`, `tel:`) is dropped,
 * its text kept, so a hostile or unusable link never reaches a reader (WCAG 2.4.4: a link
 * must do what it says).
 */
export const followableSchemes: readonly string[] = ["http", "https", "mailto"];

/** What a link's URL is, as far as both outputs are concerned. */
export type LinkTarget =
  /** `http:`, `https:` or `mailto:`: kept as a link. */
  | { readonly kind: "followable" }
  /** `#name`: a place in the same document; each output resolves it its own way. */
  | { readonly kind: "fragment"; readonly fragment: string }
  /** Any other scheme: dropped, with a warning (`link-unsafe-dropped`). */
  | { readonly kind: "unsafe"; readonly scheme: string }
  /** A path to another file (`notes.md`, `../index.html`): not part of the output (`link-relative-dropped`). */
  | { readonly kind: "relative" };

const schemePattern = /^([a-z][a-z0-9+.-]*):/i;

export function classifyLink(url: string): LinkTarget {
  // Browsers ignore leading and trailing spaces and control characters in a URL, so
  // ` javascript:…` is still a script: look at what they would.
  const trimmed = url.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  if (trimmed.startsWith("#")) return { kind: "fragment", fragment: trimmed.slice(1) };
  const scheme = schemePattern.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: "relative" };
  return followableSchemes.includes(scheme) ? { kind: "followable" } : { kind: "unsafe", scheme };
}

/** The warning for a link dropped because of its scheme (rule `link-unsafe-dropped`), the same in every output. */
export function unsafeLinkReason(url: string): string {
  return `link to \`${shorten(url)}\` is not a web or mail address; its text is kept without the link`;
}

function shorten(url: string): string {
  const trimmed = url.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 59)}…` : trimmed;
}

/**
 * A followable URL as an attribute can carry it (EPUBCheck RSC-020: `href` must be a valid
 * URL): spaces, controls and the characters URLs may not hold bare (`<>"{}|\^` and the
 * backtick) percent-encoded, the rest as written. Undefined when even that is not a URL
 * (`https://exa mple.com`: a host cannot hold a space), so the caller keeps the text alone.
 */
export function followableHref(url: string): string | undefined {
  const trimmed = url.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  if (classifyLink(trimmed).kind !== "followable") return undefined;
  const encoded = trimmed.replace(/[\u0000-\u0020\u007F<>"{}|\\^`]/g, (character) => encodeURIComponent(character));
  return URL.canParse(encoded) ? encoded : undefined;
}
