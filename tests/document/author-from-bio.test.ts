// The author named by a closing bio or signature, when nothing else names one.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Message } from "../../src/messages.js";
import { checkOverrides } from "../../src/document/metadata-sources.js";
import { parseSource } from "../../src/document/read.js";

const seedArticle = join(import.meta.dirname, "../corpus/000_14f3f3ed66253a4f.txt");
const alHol = join(import.meta.dirname, "../../content/al-hol-emptied.md");
const story = "The council met on Tuesday and voted to close the library on Sundays, after a debate that ran past midnight and left few people happy.";

function read(source: string, format: "markdown" | "text" = "markdown", file = "/tmp/story.md") {
  const messages: Message[] = [];
  const document = parseSource(source, file, format, messages);
  return { document, messages, bioLines: messages.filter((message) => message.rule === "author-from-bio") };
}

describe("the seed article: a bio above the copyright lines", () => {
  it("as plain text names Steven Emerson, inferred, with one INFO line pointing at the bio", async () => {
    const { document, bioLines } = read(await readFile(seedArticle, "utf8"), "text", seedArticle);
    expect(document.metadata.author).toBe("Steven Emerson");
    expect(document.metadataSources?.author).toBe("inferred");
    expect(bioLines).toEqual([
      {
        severity: "info",
        rule: "author-from-bio",
        reason: 'no author given; "Steven Emerson" is taken from the closing bio at line 43, use --author to set it',
        source: "read",
        file: seedArticle,
        line: 43,
      },
    ]);
    expect(document.sections.at(-1)).toMatchObject({ role: "end-matter", title: "About the Author" });
  });

  it("as Markdown without its front matter author, the same", async () => {
    const source = (await readFile(alHol, "utf8")).replace(/^author: .*\n/m, "");
    const { document, bioLines } = read(source, "markdown", alHol);
    expect(document.metadata.author).toBe("Steven Emerson");
    expect(document.metadataSources?.author).toBe("inferred");
    expect(bioLines).toHaveLength(1);
  });

  it("with its front matter author, or an author on the command line, the bio names no one", async () => {
    expect(read(await readFile(alHol, "utf8"), "markdown", alHol).bioLines).toEqual([]);
    const messages: Message[] = [];
    const overrides = checkOverrides({ authors: ["A. Editor"] }, "command line", seedArticle, messages);
    const document = parseSource(await readFile(seedArticle, "utf8"), seedArticle, "text", messages, { overrides, files: [] });
    expect(document.metadata.author).toBe("A. Editor");
    expect(document.metadataSources?.author).toBe("command line");
    expect(messages.filter((message) => message.rule === "author-from-bio")).toEqual([]);
  });
});

describe("a closing paragraph names the author only when it is a bio of a person", () => {
  it("the last paragraph saying who the person is: an About the Author section", () => {
    const { document, bioLines } = read(`${story}\n\n---\n\nJane Q. Doe is a reporter who covers city hall for the Evening Post.\n`);
    expect(document.metadata.author).toBe("Jane Q. Doe");
    expect(document.sections.map((section) => [section.role, section.title])).toEqual([
      ["lead", "Story"],
      ["end-matter", "About the Author"],
    ]);
    expect(bioLines[0]?.line).toBe(5);
  });

  it("a closing signature names the author and stays in the text", () => {
    const { document, bioLines } = read(`${story}\n\n— María José Carrasco\n`);
    expect(document.metadata.author).toBe("María José Carrasco");
    expect(bioLines[0]?.reason).toContain("from the closing signature at line 3");
    expect(document.sections).toHaveLength(1);
  });

  it.each([
    ["a sentence opening with a common word", "The City Hall is a place where the reporter and the editor meet every week."],
    ["a pronoun", "It Was the author of the motion who spoke last, and the reporter left early."],
    ["one capitalised word", "Doe is a reporter who covers city hall."],
    ["a name that says nothing of a person's work", "Jane Doe is not happy with the vote, and nor are her neighbours."],
    ["a signature of one word", "— Jane"],
  ])("not %s", (_, closing) => {
    const { document, bioLines } = read(`${story}\n\n${closing}\n`);
    expect(document.metadata.author).toBeUndefined();
    expect(document.metadataSources?.author).toBeUndefined();
    expect(bioLines).toEqual([]);
  });

  it("a bio that is not last needs the copyright line under it", () => {
    const bio = "Jane Doe is a reporter who covers city hall for the Evening Post.";
    expect(read(`${story}\n\n${bio}\n\n${story}\n`).document.metadata.author).toBeUndefined();
    expect(read(`${story}\n\n${bio}\n\nCopyright © 2026 The Evening Post. All rights reserved.\n`).document.metadata.author).toBe("Jane Doe");
  });
});
