// `npm run corpus [file…]`: a one-screen structure report per corpus document, for a person
// checking what Lectern makes of real documents (tests/corpus/). It reads each document as
// `lectern build` would (`readDocument`, no EPUB/PDF/audio) and prints its metadata with where
// each value came from, its sections with their sub-headings, and the messages reading
// produced. Long documents are summarised (first 10 and last 3 sections) so each report stays
// about 25 lines. Names on the command line are corpus file names or paths.
import { existsSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Heading } from "mdast";
import { formatMessage, LecternError } from "../src/messages.js";
import type { LecternDocument, Section } from "../src/document/model.js";
import { readDocument } from "../src/document/read.js";
import { headingText } from "../src/document/sections.js";

const corpusDir = new URL("../tests/corpus/", import.meta.url).pathname;
/** Files in tests/corpus/ that describe the corpus rather than belong to it. */
const notDocuments = new Set(["SOURCES.md", "expected.json"]);

const sectionsShownFirst = 10;
const sectionsShownLast = 3;
const subHeadingsShown = 3;
const messagesShown = 4;

/** The files to report on: those named (a corpus file name or a path from where npm was run), else the whole corpus. */
function documentsToReport(names: readonly string[]): string[] {
  if (names.length === 0) {
    return readdirSync(corpusDir)
      .filter((name) => !notDocuments.has(name))
      .sort()
      .map((name) => join(corpusDir, name));
  }
  // Under `npm run`, the current folder is the repository; INIT_CWD is where the user typed the command.
  const from = process.env.INIT_CWD ?? process.cwd();
  return names.map((name) => {
    const asPath = resolve(from, name);
    return existsSync(asPath) ? asPath : join(corpusDir, name);
  });
}

function cut(text: string, length: number): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

function withSource(value: string | undefined, source: string | undefined): string {
  if (value === undefined) return "(none)";
  return source ? `${value}  [${source}]` : value;
}

function sectionLine(section: Section): string {
  const subHeadings = section.blocks
    .filter((block): block is Heading => block.type === "heading")
    .map((heading) => `${"#".repeat(heading.depth)} ${cut(headingText(heading), 40)}`);
  const shown = subHeadings.slice(0, subHeadingsShown).join(" · ");
  const more = subHeadings.length > subHeadingsShown ? ` · +${subHeadings.length - subHeadingsShown}` : "";
  const role = section.role === "body" ? "" : ` (${section.role})`;
  const head = `  ${String(section.index).padStart(3)}  h${section.depth}  ${cut(section.title, 60)}${role}  ${section.words}w`;
  return subHeadings.length ? `${head}\n         ${cut(shown, 100)}${more}` : head;
}

function report(document: LecternDocument, messages: readonly { severity: string }[], formatted: readonly string[]): string {
  const { metadata } = document;
  const sources = document.metadataSources ?? {};
  const lines = [
    `━━ ${basename(document.path)}  (${document.format}, ${document.words} words, ${document.sections.length} sections)`,
    `  title:       ${withSource(metadata.title, sources.title)}`,
    `  author:      ${withSource(metadata.author, sources.author)}`,
    `  language:    ${withSource(metadata.language, sources.language)}`,
    `  description: ${metadata.description === undefined ? "(none)" : cut(metadata.description, 100)}`,
  ];
  const sections = document.sections;
  const shown =
    sections.length <= sectionsShownFirst + sectionsShownLast + 1 ? sections : [...sections.slice(0, sectionsShownFirst), undefined, ...sections.slice(-sectionsShownLast)];
  for (const section of shown) {
    lines.push(section ? sectionLine(section) : `         … ${sections.length - sectionsShownFirst - sectionsShownLast} more`);
  }
  if (messages.length) {
    const counts = ["error", "warning", "info"].map((severity) => [severity, messages.filter((message) => message.severity === severity).length] as const);
    lines.push(
      `  messages: ${counts
        .filter(([, n]) => n > 0)
        .map(([severity, n]) => `${n} ${severity}`)
        .join(", ")}`,
    );
    for (const line of formatted.slice(0, messagesShown)) lines.push(`    ${cut(line, 120)}`);
    if (formatted.length > messagesShown) lines.push(`    … ${formatted.length - messagesShown} more`);
  }
  return lines.join("\n");
}

// `npm run corpus | head` closes the pipe early: stop quietly, as `lectern` does.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

let failed = false;
for (const file of documentsToReport(process.argv.slice(2))) {
  try {
    const { document, messages } = await readDocument(file);
    const repository = resolve(corpusDir, "../..");
    console.log(
      report(
        document,
        messages,
        messages.map((message) => formatMessage(message, repository)),
      ),
    );
  } catch (error) {
    // A document Lectern refuses is a finding of the report, not a crash of it.
    if (!(error instanceof LecternError)) throw error;
    failed = true;
    console.log(`━━ ${basename(file)}\n  refused: ${error.format(resolve(corpusDir, "../.."))}`);
  }
  console.log("");
}
process.exitCode = failed ? 1 : 0;
