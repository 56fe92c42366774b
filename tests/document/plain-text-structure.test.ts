// The plain-text reader on documents that are more than prose: RFCs (numbered headings,
// grammars, tables, page furniture, a centred title) and a Project Gutenberg book's title page.
import { readFileSync } from "node:fs";
import type { Code, Link, Nodes, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import type { LecternDocument } from "../../src/document/model.js";
import { parseSource } from "../../src/document/read.js";
import { parsePlainText } from "../../src/document/plain-text.js";

const fixture = (name: string) => new URL(`../fixtures/plain-text/${name}`, import.meta.url).pathname;

// These tests are about structure, compared with the sources' typed characters: typography
// (curly quotes, src/document/typography.ts) is off here and tested on its own.
function read(name: string): LecternDocument {
  const path = fixture(name);
  return parseSource(readFileSync(path, "utf8"), path, "text", [], { files: [] }, false);
}

function all(document: LecternDocument): RootContent[] {
  const nodes: RootContent[] = [];
  const visit = (node: Nodes) => {
    nodes.push(node as RootContent);
    if ("children" in node) for (const child of node.children as Nodes[]) visit(child);
  };
  for (const section of document.sections) for (const block of section.blocks) visit(block);
  return nodes;
}

const textOf = (document: LecternDocument) => document.sections.map((section) => [section.title, ...section.blocks.map((block) => toString(block))].join("\n")).join("\n");
const subHeadings = (document: LecternDocument) =>
  document.sections.flatMap((section) => section.blocks.filter((block) => block.type === "heading").map((block) => [block.depth, toString(block)] as const));

describe("plain text: RFC 2324 (numbered headings, grammars, a centred title)", () => {
  const document = read("rfc2324.txt");

  it("takes the centred title as the title and the header's right column as the author", () => {
    expect(document.metadata.title).toBe("Hyper Text Coffee Pot Control Protocol (HTCPCP/1.0)");
    expect(document.metadata.author).toBe("L. Masinter");
    // The title is not repeated in the body.
    expect(all(document).some((node) => node.type === "paragraph" && toString(node) === document.metadata.title)).toBe(false);
  });

  it("makes the numbered headings sections 1–11; the unnumbered front matter before them stays in the lead", () => {
    expect(document.sections.filter((section) => section.role === "body").map((section) => section.title)).toEqual([
      "1. Rationale and Scope",
      "2. HTCPCP Protocol",
      '3. The "coffee" URI scheme',
      '4. The "message/coffeepot" media type',
      "5. Operational constraints",
      "6. System management considerations",
      "7. Security Considerations",
      "8. Acknowledgements",
      "9. References",
      "10. Author's Address",
      "11. Full Copyright Statement",
    ]);
    expect(all(document).some((node) => node.type === "list" && /Rationale and Scope/.test(toString(node)))).toBe(false);
    const lead = document.sections[0]!;
    expect(lead.role).toBe("lead");
    // Sub-headings of the lead, deeper than the numbered top level.
    expect(lead.blocks.filter((block) => block.type === "heading").map((block) => [block.type === "heading" && block.depth, toString(block)])).toEqual([
      [3, "Status of this Memo"],
      [3, "Copyright Notice"],
      [3, "Abstract"],
    ]);
  });

  it("is described by its Abstract, not by the Status of this Memo boilerplate", () => {
    expect(document.metadata.description).toBe("This document describes HTCPCP, a protocol for controlling, monitoring, and diagnosing coffee pots.");
  });

  it("nests 2.1 under 2. and 2.2.1.1 deeper, by the number's level", () => {
    const protocol = document.sections.find((section) => section.title === "2. HTCPCP Protocol")!;
    expect(protocol.depth).toBe(2);
    expect(subHeadings(document)).toEqual(
      expect.arrayContaining([
        [3, "2.1 HTCPCP Added Methods"],
        [4, "2.1.1 The BREW method, and the use of POST"],
        [5, '2.2.1.1 The "safe" response header field'],
        [4, "2.3.2 418 I'm a teapot"],
        [3, "5.2 Crossing firewalls"],
      ]),
    );
    // The 16 numbered sub-headings and the lead's three front-matter headings.
    expect(subHeadings(document)).toHaveLength(19);
  });

  it("unwraps the indented paragraphs, keeps the address's lines", () => {
    const scope = document.sections.find((section) => section.title === "1. Rationale and Scope")!;
    const first = scope.blocks[0]!;
    expect(first.type).toBe("paragraph");
    expect("children" in first && first.children.some((child) => child.type === "break")).toBe(false);
    expect(toString(first)).toMatch(/^There is coffee all over the world\. .* the web-connected world transcends art\./);
    const address = document.sections.find((section) => section.title === "10. Author's Address")!.blocks[0]!;
    expect("children" in address && address.children.filter((child) => child.type === "break")).toHaveLength(3);
  });

  it("keeps the grammars as preformatted blocks with their line breaks and columns", () => {
    const code = all(document).filter((node): node is Code => node.type === "code");
    const safe = code.find((node) => node.value.startsWith("Safe "))!;
    expect(safe.value.split("\n")).toEqual([
      'Safe                = "Safe" ":" safe-nature',
      'safe-nature         = "yes" | "no" | conditionally-safe',
      'conditionally-safe  = "if-" safe-condition',
      'safe-condition      = "user-awake" | token',
    ]);
    expect(safe.lang ?? undefined).toBeUndefined();
    const scheme = code.find((node) => node.value.startsWith("coffee-url"))!;
    expect(scheme.value).toContain('coffee-scheme = ( "koffie"');
    expect(scheme.value).toContain('| "kafe"');
    expect(scheme.value.split("\n").length).toBeGreaterThan(25);
    // The coffee-scheme list is one block, its blank line kept, not prose.
    expect(textOf(document)).not.toMatch(/Afrikaans, Dutch \| /);
  });

  it("joins the URL cut across two lines into one working link", () => {
    const links = all(document).filter((node): node is Link => node.type === "link");
    expect(links.map((link) => link.url)).toContain("http://www-cse.ucsd.edu/users/bsy/coke.history.txt");
    expect(links.map((link) => link.url)).not.toContain("http://www-");
    expect(links.map((link) => link.url)).toContain("http://www.cl.cam.ac.uk/coffee/coffee.html");
  });
});

describe("plain text: RFC 3986 (paginated, with a table of contents)", () => {
  const document = read("rfc3986.txt");
  const body = document.sections.filter((section) => section.role === "body");

  it("drops the page feet, page heads and form feeds", () => {
    const text = textOf(document);
    expect(text).not.toMatch(/\[Page \d+\]/);
    expect(text).not.toMatch(/RFC 3986 +URI Generic Syntax +January 2005/);
    expect(text).not.toContain("\f");
    // A paragraph that runs on over a page break stays one paragraph.
    expect(text).toContain("Nevertheless, nothing in this specification prevents an application from limiting itself");
  });

  it("finds sections 1–10, the appendices and the back matter, with sub-sections inside, once each", () => {
    expect(body.map((section) => section.title)).toEqual([
      "1. Introduction",
      "2. Characters",
      "3. Syntax Components",
      "4. Usage",
      "5. Reference Resolution",
      "6. Normalization and Comparison",
      "7. Security Considerations",
      "8. IANA Considerations",
      "9. Acknowledgements",
      "10. References",
      "Appendix A. Collected ABNF for URI",
      "Appendix B. Parsing a URI Reference with a Regular Expression",
      "Appendix C. Delimiting a URI in Context",
      "Appendix D. Changes from RFC 2396",
      "Index",
      "Authors' Addresses",
      "Full Copyright Statement",
      "Intellectual Property",
      "Acknowledgement",
    ]);
    const headings = subHeadings(document);
    expect(headings).toContainEqual([5, "6.2.2.1. Case Normalization"]);
    expect(headings).toContainEqual([3, "D.2. Modifications"]);
    expect(headings.filter(([, text]) => text === "1.1. Overview of URIs")).toHaveLength(1);
  });

  it("drops the table of contents, whose page numbers point nowhere, and keeps the index, a part the authors wrote", () => {
    const text = textOf(document);
    expect(text).not.toMatch(/Table of Contents/);
    expect(text).not.toMatch(/\. \. \. \./);
    expect(textOf({ ...document, sections: body.filter((section) => section.title === "Index") })).toMatch(/absolute-path {2}26/);
  });

  it("is described by the first paragraph of its Abstract", () => {
    expect(document.metadata.description).toMatch(/^A Uniform Resource Identifier \(URI\) is a compact sequence of characters that identifies an abstract or physical resource\./);
  });

  it("keeps the ABNF, the ASCII table and the diagram preformatted", () => {
    const code = all(document).filter((node): node is Code => node.type === "code");
    const grammar = code.find((node) => node.value.startsWith("URI         = scheme"))!;
    expect(grammar.value).toContain('\n\nhier-part   = "//" authority path-abempty\n            / path-absolute\n');
    const table = code.find((node) => node.value.startsWith("+----"))!;
    expect(table.value).toMatch(/^\| obsolete rule {2}\| translation/m);
    const diagram = code.find((node) => node.value.includes("foo://example.com:8042/over/there?name=ferret#nose"))!;
    expect(diagram.value).toMatch(/\\_\/ {3}\\_+\//);
    expect(code.length).toBeGreaterThan(30);
  });

  it("makes RFC `o` bullets a list, and does not run a list item into the paragraph before a page break", () => {
    const lists = all(document).filter((node) => node.type === "list");
    const transcription = lists.find((node) => /^A URI is a sequence of characters that is not always represented/.test(toString(node)));
    expect(transcription && "children" in transcription ? transcription.children : []).toHaveLength(3);
    const fixes = document.sections.find((section) => section.title.startsWith("Appendix D"))!;
    const before = fixes.blocks.find((block) => toString(block).startsWith("The resolving relative references algorithm"))!;
    expect(toString(before)).toMatch(/fix the following issues:$/);
  });

  it("reads the authors from the header, the centred title as the title", () => {
    expect(document.metadata.title).toBe("Uniform Resource Identifier (URI): Generic Syntax");
    expect(document.metadata.author).toBe("T. Berners-Lee, R. Fielding and L. Masinter");
    const lead = document.sections[0]!;
    expect(lead.role).toBe("lead");
    expect(toString(lead.blocks[0]!)).toMatch(/Network Working Group.*Request for Comments: 3986/);
  });

  it("keeps the hyphen of words cut at a hyphen (`percent-⏎encoded` is `percent-encoded`)", () => {
    const text = textOf(document);
    expect(text).toContain("normalizers should use uppercase hexadecimal digits for all percent-encodings");
    expect(text).not.toMatch(/percent- encod/);
  });
});

describe("plain text: a Project Gutenberg title page (Frankenstein)", () => {
  const document = read("frankenstein-opening.txt");

  it("takes title and author from the header, and drops the book's own title page and contents", () => {
    expect(document.metadata.title).toBe("Frankenstein; Or, The Modern Prometheus");
    expect(document.metadata.author).toBe("Mary Wollstonecraft Shelley");
    const text = textOf(document);
    expect(text).not.toMatch(/or, the Modern Prometheus/);
    expect(text).not.toMatch(/by Mary Wollstonecraft \(Godwin\) Shelley/);
    expect(text).not.toMatch(/CONTENTS|Chapter 24/);
  });

  it("opens with Letter 1, described by its first sentence", () => {
    expect(document.sections.map((section) => section.title)).toEqual(["Letter 1. To Mrs. Saville, England.", "Letter 2. To Mrs. Saville, England."]);
    expect(document.metadata.description).toMatch(/^You will rejoice to hear that no disaster has accompanied the commencement of an enterprise/);
  });

  it("drops the licence after the END line, even when that line is indented", () => {
    expect(textOf(document)).not.toMatch(/Updated editions will replace/);
  });
});

describe("plain text: heuristics on small inputs", () => {
  const blocksOf = (source: string) => parsePlainText(source).tree.children;

  it("a numbered list of sentences set out with blank lines stays a list, one list", () => {
    const children = blocksOf(
      ["Lemon Cake", "", "1. Preheat the oven to 200 degrees.", "", "2. Mix the flour, the sugar and the butter.", "", "3. Bake it for forty minutes.", ""].join("\n"),
    );
    expect(children.some((node) => node.type === "heading" && /Preheat/.test(toString(node)))).toBe(false);
    const lists = children.filter((node) => node.type === "list");
    expect(lists).toHaveLength(1);
    expect(lists[0]!.type === "list" && lists[0]!.children.map((item) => toString(item))).toEqual([
      "Preheat the oven to 200 degrees.",
      "Mix the flour, the sugar and the butter.",
      "Bake it for forty minutes.",
    ]);
  });

  it("numbered headings in unindented text: followed by their text, in sequence, nested by level", () => {
    const long = "The survey covered forty villages along the river, and every household in them answered the same twelve questions over two summers.";
    const children = blocksOf(["1. Background", "", long, "", "1.1 The Villages", "", long, "", "2. Findings", "", long, "", "7. Not Next in Sequence", "", long].join("\n"));
    expect(children.filter((node) => node.type === "heading").map((node) => [node.type === "heading" && node.depth, toString(node)])).toEqual([
      [2, "1. Background"],
      [3, "1.1 The Villages"],
      [2, "2. Findings"],
    ]);
    // Out of sequence (2 → 7): a numbered line, kept as a list.
    expect(children.some((node) => node.type === "list" && toString(node) === "Not Next in Sequence")).toBe(true);
  });

  it("underlined titles: the one `===` among the first blocks is the title, `---` a level-2 heading", () => {
    const source = ["Field Notes", "===========", "", "Spring", "------", "The first swallows came back in April this year, a week later than usual.", ""].join("\n");
    const parsed = parsePlainText(source);
    expect(parsed.title).toBe("Field Notes");
    expect(parsed.tree.children.filter((node) => node.type === "heading").map((node) => [node.type === "heading" && node.depth, toString(node)])).toEqual([[2, "Spring"]]);
    // Two `===` headings are parts, not a title.
    const twice = parsePlainText(`${source}\nAutumn\n======\nThe swallows left in September, as they do every year, for the south.\n`);
    expect(twice.title).toBeUndefined();
    expect(twice.tree.children.filter((node) => node.type === "heading" && node.depth === 1).map((node) => toString(node))).toEqual(["Field Notes", "Autumn"]);
    // A title-like line before it is the title; the underlined line is the first part.
    const titled = parsePlainText(`A Year by the River\n\n${source}`);
    expect(titled.title).toBe("A Year by the River");
  });

  it("a hyphen at a line end goes when the text writes the word whole elsewhere, and stays otherwise", () => {
    const wrap = [
      "In this paragraph the example shows how the rule works, and an exam-",
      "ple of it follows: a word like well-known, written on one line, and a well-",
      "known word cut at its own hyphen, which keeps it, as a well-known word should.",
    ];
    const children = blocksOf([...wrap, "", ...wrap].join("\n"));
    expect(children[0]!.type === "paragraph" && children[0]!.children.some((child) => child.type === "break")).toBe(false);
    expect(toString(children[0]!)).toBe(
      "In this paragraph the example shows how the rule works, and an example of it follows: a word like well-known, written on one line, and a well-known word cut at its own hyphen, which keeps it, as a well-known word should.",
    );
  });

  const prose = (words: string) => `${words} The parties agree that the terms of this paragraph apply to every copy made, and that no copy may be sold or given away without them.`;

  it("an RFC's title after its header block is the title though not centred; the header's organisation and date are no author", () => {
    const source = [
      "Network Working Group                                    Y. Shafranovich",
      "Request for Comments: 4180                SolidMatrix Technologies, Inc.",
      "Category: Informational                                     October 2005",
      "",
      "",
      "   Common Format and MIME Type for Comma-Separated Values (CSV) Files",
      "",
      "Status of This Memo",
      "",
      "   This memo provides information for the Internet community.  It does",
      "   not specify an Internet standard of any kind.  Distribution of this",
      "   memo is unlimited.",
      "",
      "Abstract",
      "",
      "   This RFC documents the format used for Comma-Separated Values (CSV)",
      '   files and registers the associated MIME type "text/csv".',
      "",
      "1.  Introduction",
      "",
      `   ${prose("The format is old.")}`,
      "",
      "2.  Definition of the CSV Format",
      "",
      `   ${prose("Each record is one line.")}`,
      "",
      "Author's Address",
      "",
      "   Yakov Shafranovich",
      "   SolidMatrix Technologies, Inc.",
      "",
    ].join("\n");
    const document = parseSource(source, "memo.txt", "text", [], { files: [] }, false);
    expect(document.metadata.title).toBe("Common Format and MIME Type for Comma-Separated Values (CSV) Files");
    expect(document.metadata.author).toBe("Y. Shafranovich");
    expect(document.metadata.description).toBe('This RFC documents the format used for Comma-Separated Values (CSV) files and registers the associated MIME type "text/csv".');
    expect(document.sections.map((section) => [section.role, section.title])).toEqual([
      ["lead", "Common Format and MIME Type for Comma-Separated Values (CSV) Files"],
      ["body", "1. Introduction"],
      ["body", "2. Definition of the CSV Format"],
      ["body", "Author's Address"],
    ]);
    // Without an Abstract, the description is the first section's text, never the memo's boilerplate.
    const withoutAbstract = source.replace(/Abstract\n\n[\s\S]*?\n\n(?=1\.)/u, "");
    expect(withoutAbstract).not.toContain("Abstract");
    expect(parseSource(withoutAbstract, "memo.txt", "text").metadata.description).toMatch(/^The format is old\./);
  });

  it("an RFC header's authors include one on a line of the right column alone (RFC 7519)", () => {
    const source = [
      "Internet Engineering Task Force (IETF)                          M. Jones",
      "Request for Comments: 7519                                     Microsoft",
      "Category: Standards Track                                     J. Bradley",
      "ISSN: 2070-1721                                            Ping Identity",
      "                                                             N. Sakimura",
      "                                                                     NRI",
      "                                                                May 2015",
      "",
      "                          JSON Web Token (JWT)",
      "",
      "1.  Introduction",
      "",
      `   ${prose("JSON Web Token (JWT) is a compact claims representation format.")}`,
      "",
      "2.  Terminology",
      "",
      `   ${prose("The terms are defined by the JWS specification.")}`,
      "",
    ].join("\n");
    const parsed = parsePlainText(source);
    expect(parsed.title).toBe("JSON Web Token (JWT)");
    expect(parsed.author).toBe("M. Jones, J. Bradley and N. Sakimura");
  });

  it("numbered headings at the paragraphs' first-line indent, closing with a period, in title case (the GPL)", () => {
    const paragraph = (first: string) => [
      `  ${first} Each licensee is addressed as "you", and "recipients" may be`,
      "individuals or organizations, and the terms of this section apply to every",
      "copy of the work that you convey, in any medium, with or without changes.",
    ];
    const source = [
      "  0. Definitions.",
      "",
      ...paragraph("This License refers to version 3 of the licence."),
      "",
      ...paragraph("To modify a work means to copy from or adapt it."),
      "",
      "  1. Source Code.",
      "",
      ...paragraph("The source code for a work means its preferred form."),
      "",
      "  2. Basic Permissions.",
      "",
      ...paragraph("All rights granted under this License are granted."),
      "",
      "  3. Conveying verbatim copies of the work is allowed.",
      "",
    ].join("\n");
    const children = parsePlainText(source).tree.children;
    expect(children.filter((node) => node.type === "heading").map((node) => [node.type === "heading" && node.depth, toString(node)])).toEqual([
      [2, "0. Definitions"],
      [2, "1. Source Code"],
      [2, "2. Basic Permissions"],
    ]);
  });

  it("numbered clauses whose heading runs into their text (the Apache License) are headings, their text a paragraph", () => {
    const clause = (head: string) => [
      `   ${head} Subject to the terms and conditions of`,
      "      this License, each Contributor hereby grants to You a perpetual,",
      "      worldwide, non-exclusive, no-charge, royalty-free, irrevocable",
      "      license to reproduce and distribute the Work in Source form.",
      "",
    ];
    const source = [
      "   1. Definitions.",
      "",
      '      "License" shall mean the terms and conditions for use, reproduction,',
      "      and distribution as defined by Sections 1 through 9 of this document.",
      "",
      ...clause("2. Grant of Copyright License."),
      ...clause("3. Grant of Patent License."),
      ...clause("4. Redistribution."),
    ].join("\n");
    const children = parsePlainText(source).tree.children;
    expect(children.filter((node) => node.type === "heading").map((node) => toString(node))).toEqual([
      "1. Definitions",
      "2. Grant of Copyright License",
      "3. Grant of Patent License",
      "4. Redistribution",
    ]);
    const afterTwo = children[children.findIndex((node) => toString(node) === "2. Grant of Copyright License") + 1]!;
    expect(afterTwo.type).toBe("paragraph");
    expect(toString(afterTwo)).toMatch(/^Subject to the terms and conditions of this License, each Contributor/);
    // Numbered sentences with hanging lines are a list, not run-in headings.
    const list = parsePlainText(
      ["1. Preheat the oven. Then butter a tin", "   and line it with paper.", "", "2. Mix the flour. Add the sugar", "   and the butter.", ""].join("\n"),
    ).tree.children;
    expect(list.some((node) => node.type === "heading")).toBe(false);
  });

  it("a German Gutenberg title page (`VON`, a letter-spaced imprint) and its production credit are not the book; `I.` is `I` like `II`", () => {
    const chapter = (text: string) =>
      `${text}\nEr lag auf seinem panzerartig harten Rücken und sah, wenn er den Kopf\nein wenig hob, seinen gewölbten, braunen, von bogenförmigen\nVersteifungen geteilten Bauch.`;
    const source = [
      "Title: Die Verwandlung",
      "Author: Franz Kafka",
      "Language: German",
      "",
      "*** START OF THE PROJECT GUTENBERG EBOOK DIE VERWANDLUNG ***",
      "",
      "Produced by Jana Srna, Alexander Bauer and the Online",
      "Distributed Proofreading Team at http://www.pgdp.net",
      "",
      "                          DIE VERWANDLUNG",
      "",
      "                                VON",
      "",
      "                            FRANZ KAFKA",
      "",
      "                  K U R T  W O L F F  V E R L A G",
      "",
      "                           L E I P Z I G",
      "",
      "            COPYRIGHT KURT WOLFF VERLAG · LEIPZIG. 1917",
      "",
      "I.",
      "",
      chapter("Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte, fand er\nsich in seinem Bett zu einem ungeheueren Ungeziefer verwandelt."),
      "",
      "II",
      "",
      chapter("Erst in der Abenddämmerung erwachte Gregor aus seinem schweren\nohnmachtähnlichen Schlaf."),
      "",
      "*** END OF THE PROJECT GUTENBERG EBOOK DIE VERWANDLUNG ***",
      "",
    ].join("\n");
    const document = parseSource(source, "kafka.txt", "text");
    expect(document.sections.map((section) => section.title)).toEqual(["I", "II"]);
    expect(textOf(document)).not.toMatch(/Produced by|L E I P Z I G|VERLAG|VON|FRANZ KAFKA/);
    expect(document.metadata.description).toMatch(/^Als Gregor Samsa eines Morgens/);
  });

  it("a Gutenberg title page's printer's line and a drawn dedication (`[Illustration: …]`) do not describe the book", () => {
    const source = [
      "Title: Pride and Prejudice",
      "Author: Jane Austen",
      "",
      "*** START OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***",
      "",
      "                                PRIDE.",
      "                                  and",
      "                               PREJUDICE",
      "",
      "                                  by",
      "                             Jane Austen,",
      "",
      "                                London",
      "                             George Allen.",
      "",
      "             CHISWICK PRESS:--CHARLES WHITTINGHAM AND CO.",
      "                  TOOKS COURT, CHANCERY LANE, LONDON.",
      "",
      "                            [Illustration:",
      "",
      "                          _To J. Comyns Carr",
      "                      in acknowledgment of all I",
      "                       owe to his friendship and",
      "                      advice, these illustrations are",
      "                         gratefully inscribed_",
      "",
      "                            _Hugh Thomson_",
      "                                   ]",
      "",
      "Chapter I.",
      "",
      "It is a truth universally acknowledged, that a single man in possession",
      "of a good fortune must be in want of a wife.",
      "",
      "Chapter II.",
      "",
      "Mr. Bennet was among the earliest of those who waited on Mr. Bingley. He",
      "had always intended to visit him.",
      "",
      "*** END OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***",
      "",
    ].join("\n");
    const document = parseSource(source, "pride.txt", "text");
    expect(document.metadata.description).toBe("It is a truth universally acknowledged, that a single man in possession of a good fortune must be in want of a wife.");
    const text = textOf(document);
    expect(text).not.toMatch(/CHISWICK|George Allen/);
    // The dedication is the book's, kept whole with its brackets.
    expect(text).toMatch(/\[Illustration:[\s\S]*Comyns Carr[\s\S]*\]/);
  });

  it("a centred heading straight after a Gutenberg title page (`PREFACE`) is no imprint", () => {
    const source = [
      "Title: A Christmas Carol",
      "Author: Charles Dickens",
      "",
      "*** START OF THE PROJECT GUTENBERG EBOOK A CHRISTMAS CAROL ***",
      "",
      "                          A CHRISTMAS CAROL",
      "",
      "                                 by",
      "",
      "                           Charles Dickens",
      "",
      "                               PREFACE",
      "",
      "I HAVE endeavoured in this Ghostly little book, to raise the Ghost of an",
      "Idea, which shall not put my readers out of humour with themselves, with",
      "each other, with the season, or with me.  May it haunt their houses",
      "pleasantly, and no one wish to lay it.",
      "",
      "STAVE I: MARLEY'S GHOST",
      "",
      "MARLEY was dead: to begin with. There is no doubt whatever about that.",
      "The register of his burial was signed by the clergyman, the clerk, the",
      "undertaker, and the chief mourner.",
      "",
      "*** END OF THE PROJECT GUTENBERG EBOOK A CHRISTMAS CAROL ***",
      "",
    ].join("\n");
    const text = textOf(parseSource(source, "carol.txt", "text"));
    expect(text).toContain("PREFACE");
    expect(text).not.toMatch(/CHRISTMAS CAROL|Charles Dickens/);
  });

  it("`_italics_` over several kept lines is one emphasis, its line breaks kept", () => {
    const prosePair = (word: string) => [
      `${word} words of the text, which run on for a good while around the poem here.`,
      "And then they go on to a second line of wrapped text, as prose does.",
      "",
    ];
    const children = blocksOf(
      [...prosePair("Opening"), "    _To J. Comyns Carr", "    in acknowledgment of all I", "    owe to his friendship_", "", ...prosePair("Closing")].join("\n"),
    );
    const dedication = children[1]!;
    expect(dedication.type === "paragraph" && dedication.children.map((child) => child.type)).toEqual(["emphasis"]);
    expect(dedication.type === "paragraph" && dedication.children[0]!.type === "emphasis" && dedication.children[0]!.children.map((child) => child.type)).toEqual([
      "text",
      "break",
      "text",
      "break",
      "text",
    ]);
    expect(toString(dedication)).not.toContain("_");
  });

  it("a letter-spaced line is never a heading", () => {
    const children = blocksOf(
      ["Some opening words of the text, which go on for a while here.", "", "L E I P Z I G", "", prose("A long paragraph follows the letter-spaced line."), ""].join("\n"),
    );
    expect(children.filter((node) => node.type === "heading")).toEqual([]);
  });

  it("a box of asterisks is drawing: the underlined, numbered heading inside it is one of the sequence", () => {
    const source = [
      "Sample Licence",
      "==============",
      "",
      "1. Definitions",
      "--------------",
      "",
      '1.1. "Licence"',
      "    means this document.",
      "",
      "2. Disclaimer",
      "-------------",
      "",
      prose("Nothing here is warranted."),
      "",
      "************************************************************************",
      "*                                                                      *",
      "*  3. Limitation of Liability                                          *",
      "*  --------------------------                                          *",
      "*                                                                      *",
      "*  Under no circumstances shall any Contributor be liable to You for   *",
      "*  any damages of any character arising from the use of the software.  *",
      "*                                                                      *",
      "************************************************************************",
      "",
      "4. Litigation",
      "-------------",
      "",
      prose("Any litigation is brought in the courts of the defendant."),
      "",
    ].join("\n");
    const document = parseSource(source, "licence.txt", "text");
    expect(document.metadata.title).toBe("Sample Licence");
    expect(document.sections.map((section) => section.title)).toEqual(["1. Definitions", "2. Disclaimer", "3. Limitation of Liability", "4. Litigation"]);
    const limitation = document.sections[2]!;
    expect(limitation.blocks.map((block) => toString(block))).toEqual([
      "Under no circumstances shall any Contributor be liable to You for any damages of any character arising from the use of the software.",
    ]);
    expect(textOf(document)).not.toMatch(/\*/);
  });

  it("a line seen once is no page furniture", () => {
    const source = [
      "   A paragraph of body text that runs to the margin of the page here.",
      "",
      "Masinter                     Informational                      [Page 1]",
      "",
    ].join("\n");
    expect(toString({ type: "root", children: blocksOf(source) })).toContain("[Page 1]");
  });
});
