// Sectioning: one mdast tree plus metadata → the ordered sections every stage writes.
import { basename, extname } from "node:path";
import { slug } from "github-slugger";
import type { FootnoteDefinition, Heading, Nodes, Paragraph, PhrasingContent, Root, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import type { Message } from "../messages.js";
import { isBadge, isBadgeLink, isBadgeOnlyParagraph, markBadges } from "./badges.js";
import { showsImage } from "./html-headings.js";
import {
  boundDisplayText,
  cleanDisplayText,
  hasVisibleText,
  maxAuthorsLength,
  maxDescriptionLength,
  maxMetadataLineLength,
  maxTitleLength,
  plainTextOf,
  quotedValue,
} from "./display-text.js";
import { isToml } from "./front-matter.js";
import { english } from "./words/en.js";
import { wordsFor } from "./words/index.js";
import type { DocumentMetadata, LecternDocument, Section, SectionRole, SourceFormat } from "./model.js";

export interface SectionizeInput {
  readonly path: string;
  readonly directory: string;
  readonly format: SourceFormat;
  readonly tree: Root;
  /** Metadata known so far; `title` may be missing and then comes from a lone `# Title`. */
  readonly metadata: Omit<DocumentMetadata, "title"> & { title?: string };
  /** Used when neither metadata nor the text gives a title. */
  readonly fallbackTitle: string;
  /** Source lines of metadata the reader found in the text (for the warning when one is cut). */
  readonly metadataLines?: { readonly title?: number; readonly author?: number; readonly description?: number };
  /** Receives warnings (a title, author or description cut to its limit). */
  readonly messages?: Message[];
}

/** Most blocks (logos, badge rows, comments) looked through for a title heading below them. */
const maxPreambleBlocks = 20;

/** Longest slug kept, so file names stay readable on every file system. */
const maxSlugLength = 60;

/** Splits the tree into sections at its sectioning level (`sectioningLevel`) and assembles the document. */
export function sectionize(input: SectionizeInput): LecternDocument {
  // Every string an output shows outside the body is plain, clean and bounded from here on
  // (src/document/display-text.ts); stages take these facts and never re-derive them.
  const bound = (text: string | undefined, max: number, what: string, line: number | undefined): string | undefined => {
    const bounded = boundDisplayText(cleanDisplayText(text ?? ""), max);
    if (bounded.cut) {
      input.messages?.push({
        severity: "warning",
        rule: `${what.split(" ").at(-1)}-too-long`,
        reason: `the ${what} is ${bounded.length.toLocaleString("en")} characters long; its first ${max.toLocaleString("en")} are used in tables of contents, bookmarks, metadata, tags and file names${what.endsWith("title") ? " (the heading keeps its full text in the body)" : ""}`,
        source: "read",
        file: input.path,
        ...(line ? { line } : {}),
      });
    }
    return bounded.text || undefined;
  };
  const lines = input.metadataLines ?? {};
  const author = bound(input.metadata.author, maxAuthorsLength, "author", lines.author);
  const { title: _title, author: _author, description: _description, source: _source, publisher: _publisher, certifiedBy: _certifiedBy, ...other } = input.metadata;
  const cleanMetadata: Omit<DocumentMetadata, "title"> = {
    ...other,
    ...optional("author", author),
    ...optional("description", bound(input.metadata.description, maxDescriptionLength, "description", lines.description)),
    ...optional("source", bound(input.metadata.source, maxMetadataLineLength, "source", undefined)),
    ...optional("publisher", bound(input.metadata.publisher, maxMetadataLineLength, "publisher", undefined)),
    ...optional("certifiedBy", bound(input.metadata.certifiedBy, maxMetadataLineLength, "evaluator", undefined)),
  };

  const footnotes = new Map<string, FootnoteDefinition>();
  let blocks: RootContent[] = [];
  for (const node of input.tree.children) {
    if (node.type === "yaml" || isToml(node)) continue;
    if (node.type === "footnoteDefinition") footnotes.set(node.identifier, node);
    else blocks.push(node);
  }

  // A document's own title heading: `# Title` first — after any logo, badge row or comment,
  // which show no words (a GitHub README's `<a><picture>…</picture></a>`) — and the only
  // level-1 heading. It is the document's title, never a section level (Pandoc's and every
  // static-site generator's convention), so the sections are the `##` below it, even when
  // front matter names the title too.
  let title = bound(input.metadata.title, maxTitleLength, "title", lines.title);
  // Only the first few blocks can be a preamble: a file of a million logos is not parsed a million times.
  const firstIndex = blocks.findIndex((node, index) => index >= maxPreambleBlocks || !isPreamble(node));
  const first = blocks[firstIndex];
  const levelOneCount = blocks.filter((node) => node.type === "heading" && node.depth === 1).length;
  let titleHeading: Heading | undefined;
  if (first?.type === "heading" && first.depth === 1 && levelOneCount === 1) {
    titleHeading = first;
    markBadges(first);
    const text = headingText(first);
    if (title === undefined || sameText(title, text)) {
      // A title heading too long to be the title stays in the body, so its words are not lost;
      // its badges and logo stay in the body in its place.
      if (text.length <= maxTitleLength) {
        const pictures = headingPictures(first);
        blocks = [...blocks.slice(0, firstIndex), ...(pictures ? [pictures] : []), ...blocks.slice(firstIndex + 1)];
      }
      title ??= bound(text, maxTitleLength, "document title", first.position?.start.line);
    }
    // When the front matter's title differs, the heading stays where it is, at the top of the
    // lead section under the title: its words are what the author put on the page, and no
    // subtitle field is needed for every stage to show them.
  }
  // Neither the metadata nor the text names a title: it is the file name's (speech skips it).
  const titleFromFileName = !title;
  title ||= cleanDisplayText(input.fallbackTitle) || "Untitled";
  markOpeningBadges(blocks, titleHeading);

  const splitDepth = sectioningLevel(blocks, titleHeading);

  interface Draft {
    role: SectionRole;
    heading?: Heading;
    title: string;
    depth: number;
    blocks: RootContent[];
  }
  const drafts: Draft[] = [];
  let current: Draft = { role: "lead", title, depth: 0, blocks: [] };
  for (const node of blocks) {
    if (node.type === "heading" && node !== titleHeading && node.depth <= splitDepth) {
      if (current.role !== "lead" || hasContent(current.blocks)) drafts.push(current);
      const text = bound(headingText(node), maxTitleLength, "section title", node.position?.start.line) ?? "";
      current = { role: "body", heading: node, title: text, depth: node.depth, blocks: [] };
    } else {
      current.blocks.push(node);
    }
  }
  if (current.role !== "lead" || hasContent(current.blocks)) drafts.push(current);

  // Trailing author bio / copyright lines become their own end-matter section; when nothing
  // else named the author, the person the closing bio (or signature) names is the author.
  const last = drafts.at(-1);
  let inferredAuthor: string | undefined;
  if (last) {
    const endMatter = splitEndMatter(last.blocks, author);
    // A section of its own that holds nothing but the copyright or bio (a README's `## License`)
    // already is the end matter, under the author's own heading: it is not emptied.
    const wholeSection = last.role === "body" && endMatter !== undefined && !hasContent(endMatter.before);
    if (endMatter && endMatter.blocks.length > 0 && !wholeSection) {
      last.blocks = endMatter.before;
      if (last.role === "lead" && !hasContent(last.blocks)) drafts.pop();
      drafts.push({ role: "end-matter", title: endMatter.title, depth: 0, blocks: endMatter.blocks });
    }
    const leadBlocks = drafts[0]?.role === "lead" ? drafts[0].blocks : [];
    const found = author === undefined ? (bylineAuthor(leadBlocks) ?? endMatter?.author) : endMatter?.author;
    inferredAuthor = found && bound(found.name, maxAuthorsLength, "author", found.line);
    if (found && inferredAuthor) {
      input.messages?.push({
        severity: "info",
        rule: "author-from-bio",
        reason: `no author given; "${quotedValue(inferredAuthor)}" is taken from the ${found.from === "byline" ? "byline" : `closing ${found.from}`}${found.line ? ` at line ${found.line}` : ""}, use --author to set it`,
        source: "read",
        file: input.path,
        ...(found.line ? { line: found.line } : {}),
      });
    }
  }

  const takenSlugs = new Set<string>();
  const sections: Section[] = drafts.map((draft, offset) => {
    const index = offset + 1;
    const words = countWords(draft.heading ? [draft.heading, ...draft.blocks] : draft.blocks);
    const startNode = draft.heading ?? draft.blocks[0];
    const start = startNode?.position?.start;
    // An empty heading (`## `) still needs a name in the table of contents and the playlist.
    const sectionTitle = draft.title || `Section ${index}`;
    return {
      index,
      role: draft.role,
      title: sectionTitle,
      ...(draft.heading ? { heading: draft.heading } : {}),
      slug: uniqueSlug(takenSlugs, sectionTitle, `section-${index}`),
      depth: draft.depth,
      blocks: draft.blocks,
      words,
      ...(start ? { start: { line: start.line, column: start.column } } : {}),
    };
  });

  const description = cleanMetadata.description ?? describe(sections);
  const metadata: DocumentMetadata = {
    ...cleanMetadata,
    ...optional("author", inferredAuthor),
    title,
    ...(description ? { description } : {}),
  };
  return {
    path: input.path,
    directory: input.directory,
    format: input.format,
    // Outputs are named after the source file, as Pandoc and compilers do: predictable for the user.
    slug: uniqueSlug(new Set(), basename(input.path, extname(input.path)), uniqueSlug(new Set(), title, "document")),
    metadata,
    ...(titleFromFileName ? { titleFromFileName: true } : {}),
    sections,
    footnotes,
    words: sections.reduce((sum, section) => sum + section.words, 0),
  };
}

/** Share of the document's words above which one part is "most of it" (see `sectioningLevel`). */
const dominantShare = 0.6;
/**
 * Fewest words the parts of a deeper split must average: about half a minute of speech. Shorter
 * parts are notes under one heading, not chapters or audio tracks of their own.
 */
const minPartWords = 80;

/**
 * The deepest heading depth that opens a section: every top-level heading at this depth or
 * shallower starts one. It is the shallowest depth, unless that level does not divide the
 * document: when at most two headings are at that level (`## Conclusion` or `## Comments` at
 * the end) and the lead — the text above them — holds most of the words (over 60%) under at
 * least two headings of the next depth, those headings are the document's real parts (they
 * belong to no shallower heading), and the split goes one level deeper; again while the same
 * holds. Deeper headings under a shallower one are its subsections, as the author nested them
 * (a blog post's `## Schedule` with its `###` items, a README's `##` sections with `###`
 * inside), however long that section is. A deeper split whose parts would average under
 * `minPartWords` words is not made.
 */
function sectioningLevel(blocks: readonly RootContent[], titleHeading: Heading | undefined): number {
  const headings = blocks.filter((node): node is Heading => node.type === "heading" && node !== titleHeading);
  if (headings.length === 0) return 7;
  let level = Math.min(...headings.map((heading) => heading.depth));
  const total = countWords(blocks);
  for (;;) {
    if (headings.filter((heading) => heading.depth <= level).length > 2) return level;
    // The parts this level makes, each with the top-level headings inside it.
    const parts: { words: number; inner: Heading[] }[] = [{ words: 0, inner: [] }];
    for (const node of blocks) {
      if (node === titleHeading) continue;
      if (node.type === "heading" && node.depth <= level) parts.push({ words: 0, inner: [] });
      const part = parts.at(-1)!;
      part.words += countWords([node]);
      if (node.type === "heading" && node.depth > level) part.inner.push(node);
    }
    const largest = parts[0]!;
    if (largest.inner.length === 0 || largest.words <= total * dominantShare) return level;
    const next = Math.min(...largest.inner.map((heading) => heading.depth));
    const opened = largest.inner.filter((heading) => heading.depth === next).length;
    if (opened < 2 || largest.words / (opened + 1) < minPartWords) return level;
    level = next;
  }
}

/**
 * Plain text of a heading as a reader sees it (raw HTML parsed, its tags and scripts gone,
 * control and bidi characters removed; src/document/display-text.ts), not bounded: section
 * titles are this, cut to `maxTitleLength`. Stages naming a sub-heading (bookmarks, anchors)
 * use it too, so every output names a heading alike.
 */
export function headingText(heading: Heading): string {
  return plainTextOf(heading);
}

/** A sub-heading's name where a title is shown (a PDF bookmark): `headingText` cut to `maxTitleLength`. */
export function headingTitle(heading: Heading): string {
  return boundDisplayText(headingText(heading), maxTitleLength).text;
}

/**
 * What a title heading shows besides its words — its badges, and a logo (`# ![logo](l.png)
 * Name`, `<h1><img src="logo.png"> Name</h1>`) — as a paragraph that stays in the body at the
 * heading's place when the heading becomes the title. Undefined when it shows none.
 */
function headingPictures(heading: Heading): Paragraph | undefined {
  const kept: PhrasingContent[] = [];
  const collect = (nodes: readonly PhrasingContent[]): void => {
    for (const node of nodes) {
      const picture = isBadgeLink(node) || node.type === "image" || node.type === "imageReference" || (node.type === "html" && showsImage(node.value));
      if (picture) kept.push(...(kept.length > 0 ? [{ type: "text", value: " " } as const] : []), node);
      else if ("children" in node) collect(node.children as PhrasingContent[]);
    }
  };
  collect(heading.children);
  if (kept.length === 0) return undefined;
  return { type: "paragraph", children: kept, ...(heading.position ? { position: heading.position } : {}) };
}

/** `{ [key]: value }` when there is a value, else nothing: optional fields stay absent, not `undefined`. */
function optional<Key extends string>(key: Key, value: string | undefined): { [K in Key]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: string };
}

function sameText(a: string, b: string): boolean {
  const fold = (text: string) =>
    text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "");
  return fold(a) === fold(b);
}

/**
 * A slug unique among `taken`: GitHub's slug rule, accents folded, dashes collapsed, cut at a
 * word near 60 characters; `-1`, `-2`… added on a clash (checked after cutting, since two long
 * titles can share their first 60 characters).
 */
function uniqueSlug(taken: Set<string>, title: string, fallback: string): string {
  let base = slug(
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2012-\u2015/]/g, " "),
  );
  base = base.replace(/-{2,}/g, "-").replace(/^-+|-+$/g, "");
  if (base.length > maxSlugLength) {
    const cut = base.slice(0, maxSlugLength);
    base = (cut.includes("-") ? cut.slice(0, cut.lastIndexOf("-")) : cut).replace(/-+$/, "");
  }
  base ||= fallback;
  let candidate = base;
  for (let suffix = 1; taken.has(candidate); suffix++) candidate = `${base}-${suffix}`;
  taken.add(candidate);
  return candidate;
}

/**
 * What may sit above a title heading without being the document's opening: comments, raw HTML
 * that shows no words (a logo, an anchor, a line break) and rows of images or badges.
 */
function isPreamble(node: RootContent): boolean {
  if (isBlank(node)) return true;
  if (node.type !== "html" && node.type !== "paragraph") return false;
  return !hasVisibleText(node);
}

/**
 * Marks the badges of the document's opening (src/document/badges.ts): linked images in the
 * first paragraph with words and in any row of images before it, up to the first heading
 * other than the title (and within the first blocks, as the title is).
 */
function markOpeningBadges(blocks: readonly RootContent[], titleHeading: Heading | undefined): void {
  for (const node of blocks.slice(0, maxPreambleBlocks + 2)) {
    if (node.type === "heading" && node !== titleHeading) return;
    if (node.type !== "paragraph") continue;
    markBadges(node);
    if (!isBadgeOnlyParagraph(node) && hasVisibleText(node)) return;
  }
}

function isBlank(node: RootContent): boolean {
  return node.type === "html" && /^\s*<!--[\s\S]*-->\s*$/.test(node.value);
}

/** True when the blocks hold something a reader would see: words, an image, a table. */
function hasContent(blocks: readonly RootContent[]): boolean {
  return blocks.some((node) => !isBlank(node) && (countWords([node]) > 0 || containsType(node, "image")));
}

function containsType(node: Nodes, type: string): boolean {
  if (node.type === type) return true;
  return "children" in node && (node.children as Nodes[]).some((child) => containsType(child, type));
}

const wordPattern = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'’.\-]*/gu;

/** Words a reader would read: text, inline code and image descriptions, but not code blocks, raw HTML or badges. */
export function countWords(nodes: readonly Nodes[]): number {
  let count = 0;
  const visit = (node: Nodes): void => {
    switch (node.type) {
      case "code":
      case "html":
      case "yaml":
      case "footnoteDefinition":
        return;
      case "text":
      case "inlineCode":
        count += node.value.match(wordPattern)?.length ?? 0;
        return;
      case "image":
        if (!isBadge(node)) count += (node.alt ?? "").match(wordPattern)?.length ?? 0;
        return;
      default:
        if ("children" in node) for (const child of node.children as Nodes[]) visit(child);
    }
  };
  for (const node of nodes) visit(node);
  return count;
}

/**
 * A description from the opening paragraph (never a byline, nor a paragraph in capitals or
 * all bold, which read as headings): whole sentences up to about 220 characters, or
 * the first sentence alone when it is longer (up to 400); only a paragraph with no sentence
 * end that early is cut at a word, with an ellipsis.
 */
function describe(sections: readonly Section[]): string | undefined {
  for (const section of sections) {
    // A byline, a line in capitals or a bold line is not what the text is about.
    const paragraph = section.blocks.find(
      (node): node is Paragraph =>
        node.type === "paragraph" &&
        node.data?.lecternBoilerplate !== true &&
        countWords([node]) >= 8 &&
        !isByline(plainTextOf(node).trim()) &&
        !isHeadingLike(node, plainTextOf(node)),
    );
    if (!paragraph) continue;
    const text = plainTextOf(paragraph);
    if (text === "") continue;
    if (text.length <= 220) return text;
    const sentenceEnds = [...text.slice(0, 401).matchAll(/[.!?]["'’”)\]]*(?=\s|$)/g)].map((match) => match.index + match[0].length);
    const withinTarget = sentenceEnds.filter((end) => end <= 220 && end > 60).at(-1);
    const first = sentenceEnds.find((end) => end > 60);
    const end = withinTarget ?? first;
    if (end !== undefined) return text.slice(0, end);
    return `${text.slice(0, 200).replace(/\s+\S*$/, "")}…`;
  }
  return undefined;
}

/** Copyright lines and re-publication or licence notices. */
const copyrightPattern =
  /^(copyright\b|©|\(c\)\s*\d{4})|all rights reserved|\b(may be (re-?published|reprinted|reproduced)|licen[cs]ed under|creative commons|reprinted with permission)\b/i;
/** One word of a person's name: capitalised (`Jane`, `O’Brien`, `Smith-Jones`) or an initial (`J.`). */
const nameWord = String.raw`\p{Lu}(?:[\p{Ll}'’-][\p{L}'’-]*|\.)`;
/** A third-person bio's opening: two to four name words, then what the person is or does. */
const bioPattern = new RegExp(String.raw`^(${nameWord}(?:\s+${nameWord}){1,3}),?\s+(?:is|was|has|writes|serves|lives|teaches|works|covers|reports)\b`, "u");
/**
 * What a byline may say after the name: when it was written (`on March 3, 2024`, `, 2024-03-03`,
 * `· 5 min read`) — a short tail that holds a digit.
 */
const bylineDate = String.raw`(?:\s+on\s+|,\s*|\s+[|·•—–-]\s+)(?=[^\n]*\d)[^\n]{1,40}`;
/**
 * A byline under the title: `By Jane Doe`, `Contributed by Jane Doe`, `Written by…`,
 * `Posted by Jane Doe on March 3, 2024`, `Author: Jane Doe`, alone in its paragraph or heading.
 */
const bylinePattern = new RegExp(
  String.raw`^(?:(?:[Cc]ontributed|[Ww]ritten|[Pp]osted|[Aa]uthored|[Pp]ublished)\s+by|[Bb]y|BY|[Aa]uthor:)\s+(${nameWord}(?:\s+${nameWord}){1,3})(?:${bylineDate})?\.?$`,
  "u",
);
/** Blocks at the top of the lead looked through for a byline. */
const maxBylineBlocks = 4;
/** A closing signature: `— Jane Doe` alone on its line. */
const signaturePattern = new RegExp(String.raw`^(?:—|–|--?)\s*(${nameWord}(?:\s+${nameWord}){1,3})\.?$`, "u");
/**
 * Words that open sentences but no name: "The City is…", "It Was…" and "In March…" are not
 * people. A name's first word is never one of them.
 */
const notNameStarts = new Set(
  "a an the this that these those it its he she they we i you our his her their my your there here in on at of for from by with after before when while if as today yesterday now then but and or so also every each all some many most no one".split(
    " ",
  ),
);
/** What a bio says of its subject; a closing paragraph without a copyright line must say one of them to be a bio. */
const bioWords =
  /\b(author|writer|reporter|journalist|correspondent|editor|columnist|contributor|novelist|poet|essayist|professor|lecturer|researcher|scholar|historian|analyst|director|founder|fellow|photographer|blogger|books?|lives in|is based in)\b/i;

/** The person a bio or signature paragraph names (`Jane Doe`), or undefined. */
function bioName(text: string, pattern: RegExp): string | undefined {
  const name = pattern.exec(text)?.[1];
  if (name === undefined) return undefined;
  const words = name.split(/\s+/);
  return notNameStarts.has(words[0]!.toLowerCase()) || groupWords.has(words.at(-1)!.toLowerCase()) ? undefined : name;
}

/** Last words of a group's name ("Design Team", "The Editors", "Staff"): a byline by a group names no person to be the author. */
const groupWords = new Set(
  "team teams staff editors editorial contributors authors maintainers committee board desk group newsroom department office community project core".split(" "),
);

/** True when a block is a byline's shape (`By Design Team`, `Posted by Jane Doe on May 2, 2024`), person or group. */
function isByline(text: string): boolean {
  return bylinePattern.test(text);
}

/**
 * True when a paragraph reads as a heading, not as prose: written all in capitals, or all of
 * it bold or italic (`**What you will learn**`).
 */
function isHeadingLike(paragraph: Paragraph, text: string): boolean {
  if (!/\p{Ll}/u.test(text) && /\p{Lu}/u.test(text)) return true;
  const shown = paragraph.children.filter((child) => !(child.type === "text" && child.value.trim() === ""));
  return shown.length === 1 && (shown[0]!.type === "strong" || shown[0]!.type === "emphasis");
}

/** Where an inferred author was found, for the message that says so. */
export interface InferredAuthor {
  readonly name: string;
  readonly line?: number;
  readonly from: "bio" | "signature" | "byline";
}

/** The person a byline at the top of the lead names (`#### Contributed by Mark C. Miller`), if any. */
function bylineAuthor(blocks: readonly RootContent[]): InferredAuthor | undefined {
  for (const node of blocks.slice(0, maxBylineBlocks)) {
    if (node.type !== "paragraph" && node.type !== "heading") continue;
    const name = bioName(plainTextOf(node).trim(), bylinePattern);
    if (name !== undefined) return { name, ...(node.position ? { line: node.position.start.line } : {}), from: "byline" };
  }
  return undefined;
}

export interface EndMatter {
  readonly before: RootContent[];
  readonly blocks: RootContent[];
  readonly title: string;
  /** The person the bio or a closing signature names, when `author` was not given. */
  readonly author?: InferredAuthor;
}

/**
 * Finds trailing end matter: copyright lines, and an author bio — a third-person paragraph
 * that opens with the author's name, or with a person's name (two to four capitalised words,
 * not a sentence's common first word) when a copyright line follows it or, as the very last
 * paragraph, when it says what the person is (a reporter, the author of…). Only the last three
 * blocks are considered, and a thematic break right before them is dropped with them. Without
 * an `author`, the bio's name — or a closing `— Jane Doe` signature's, which stays in the
 * body — is returned as `author`.
 */
export function splitEndMatter(blocks: readonly RootContent[], author: string | undefined): EndMatter | undefined {
  let start = blocks.length;
  let sawCopyright = false;
  let sawBio = false;
  let named: InferredAuthor | undefined;
  const lineOf = (node: RootContent) => (node.position ? { line: node.position.start.line } : {});
  for (let index = blocks.length - 1; index >= Math.max(0, blocks.length - 3); index--) {
    const node = blocks[index]!;
    if (node.type !== "paragraph") break;
    const text = toString(node).replace(/\s+/g, " ").trim();
    const words = countWords([node]);
    if (copyrightPattern.test(text) && words <= 40) {
      sawCopyright = true;
      start = index;
      continue;
    }
    const byAuthor = author !== undefined && text.startsWith(author) && /^\S+(\s+\S+)*?\s+(is|was|has|writes|serves|lives)\b/.test(text);
    const person = author === undefined ? bioName(text, bioPattern) : undefined;
    const last = index === blocks.length - 1;
    if (words <= 150 && (byAuthor || (person !== undefined && (sawCopyright || (last && bioWords.test(text)))))) {
      sawBio = true;
      start = index;
      if (person !== undefined) named = { name: person, ...lineOf(node), from: "bio" };
      continue;
    }
    break;
  }
  if (start === blocks.length) {
    // A signature is the author's name under the text, not a part of its own: it stays in the body.
    const node = blocks.at(-1);
    const name = author === undefined && node?.type === "paragraph" ? bioName(toString(node).trim(), signaturePattern) : undefined;
    return name === undefined ? undefined : { before: [...blocks], blocks: [], title: "", author: { name, ...lineOf(node!), from: "signature" } };
  }
  let before = blocks.slice(0, start);
  if (before.at(-1)?.type === "thematicBreak") before = before.slice(0, -1);
  return {
    before: [...before],
    blocks: blocks.slice(start),
    // In English here: the language may be decided only once the sections exist
    // (src/document/language.ts); `localizeEndMatter` puts the title in it afterwards.
    title: english[sawBio ? "aboutTheAuthor" : sawCopyright ? "copyright" : "endMatter"],
    ...(named ? { author: named } : {}),
  };
}

/**
 * The document with its end-matter section titled in its language ("À propos de l’auteur"):
 * sectionize names it in English, before the language is known.
 */
export function localizeEndMatter(document: LecternDocument): LecternDocument {
  const { words } = wordsFor(document.metadata.language);
  const keys = ["aboutTheAuthor", "copyright", "endMatter"] as const;
  let changed = false;
  const sections = document.sections.map((section) => {
    const key = section.role === "end-matter" ? keys.find((candidate) => english[candidate] === section.title) : undefined;
    if (key === undefined || words[key] === section.title) return section;
    changed = true;
    return { ...section, title: words[key] };
  });
  return changed ? { ...document, sections } : document;
}
