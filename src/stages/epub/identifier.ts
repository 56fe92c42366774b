// A stable book identifier and modification date: the same input makes the same EPUB.
import { createHash } from "node:crypto";
import type { DocumentMetadata } from "../../document/model.js";
import { validTimestamp } from "../shared/dates.js";

/**
 * `urn:uuid:` of a name-based UUID (RFC 9562 §5.8, version 8 layout) hashed from the front
 * matter that identifies the work: title, author, language, date, source, publisher. Editing
 * the text keeps the identifier (it is the same publication); retitling makes a new one.
 */
export function bookIdentifier(metadata: DocumentMetadata): string {
  const fields = [metadata.title, metadata.author, metadata.language, metadata.date, metadata.source, metadata.publisher];
  const digest = createHash("sha256").update(JSON.stringify(fields)).digest();
  const bytes = Uint8Array.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString("hex");
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `dcterms:modified` (EPUB 3.3 §5.5.6: `CCYY-MM-DDThh:mm:ssZ`), from the pipeline's clock:
 * `options.now` is `SOURCE_DATE_EPOCH` when set, else the document's date, else the source
 * file's modification time, so rebuilding an unchanged source gives an identical book.
 */
export function formatModified(date: Date): string {
  // Held to four-digit years (a clock after 9999 would write `+012026-…`).
  return validTimestamp(date);
}
