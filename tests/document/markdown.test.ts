import { toString } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { parseSource, readDocument } from "../../src/document/read.js";
import { LecternError, type Message } from "../../src/messages.js";

const fixture = new URL("../fixtures/every-construct/document.md", import.meta.url).pathname;
const markdown = (source: string, messages: Message[] = []) => parseSource(source, "/tmp/doc.md", "markdown", messages);

describe("markdown reader", () => {
  it("reads the front matter into metadata, keeping & < and quotes (curled) in the title", async () => {
    const { document } = await readDocument(fixture);
    expect(document.metadata).toMatchObject({
      title: "Fish & Chips <A Field Guide> to “Quotes”",
      author: "Ada Lovelace",
      language: "en-GB",
      date: "2026-01-05",
      source: "https://example.org/every-construct",
    });
    expect(document.slug).toBe("document");
  });

  it("splits at the shallowest heading level; deeper headings stay inside their section", async () => {
    const { document } = await readDocument(fixture);
    expect(document.sections.map((section) => section.title)).toEqual([
      "Fish & Chips <A Field Guide> to “Quotes”",
      "Lists of Every Kind",
      "Tables and Quotes",
      "Images and Languages",
      "Hostile Content",
      "An Empty Section",
      "The Last Section",
    ]);
    const lists = document.sections[1]!;
    expect(lists.blocks.some((block) => block.type === "heading" && block.depth === 4)).toBe(true);
    expect(document.sections.find((section) => section.title === "An Empty Section")!.blocks).toHaveLength(0);
  });

  it("collects footnote definitions out of the blocks", async () => {
    const { document } = await readDocument(fixture);
    expect([...document.footnotes.keys()].sort()).toEqual(["lead", "second"]);
    const blockTypes = document.sections.flatMap((section) => section.blocks.map((block) => block.type));
    expect(blockTypes).not.toContain("footnoteDefinition");
  });

  it("takes the title from a lone level-1 heading and does not repeat it as a section", () => {
    const document = markdown("# My Title\n\nIntro text here.\n\n## One\n\nBody one.\n\n## Two\n\nBody two.\n");
    expect(document.metadata.title).toBe("My Title");
    expect(document.sections.map((section) => section.title)).toEqual(["My Title", "One", "Two"]);
    expect(document.sections[0]!.role).toBe("lead");
    expect(document.sections[1]!.depth).toBe(2);
  });

  it("gives duplicate headings unique slugs", () => {
    const document = markdown("## Notes\n\nA.\n\n## Notes\n\nB.\n");
    expect(document.sections.map((section) => section.slug)).toEqual(["notes", "notes-1"]);
  });

  it("moves a bio and copyright after a closing rule into end matter", () => {
    const document = markdown(
      "---\nauthor: Sam Reed\n---\n\n## Body\n\nThe story itself, in several sentences.\n\n---\n\nSam Reed is a reporter based in Lagos.\n\n© 2026 Sam Reed.\n",
    );
    const last = document.sections.at(-1)!;
    expect(last.role).toBe("end-matter");
    expect(last.blocks.map((block) => toString(block))).toEqual(["Sam Reed is a reporter based in Lagos.", "© 2026 Sam Reed."]);
    expect(document.sections.at(-2)!.blocks.map((block) => block.type)).toEqual(["paragraph"]);
  });

  it("rejects YAML that does not parse, with the line in the document", () => {
    try {
      markdown("---\ntitle: ok\nauthor: [unclosed\n---\n\nText.\n");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LecternError);
      expect((error as LecternError).code).toBe("CONFIG");
      expect((error as LecternError).message).toMatch(/front matter is not valid YAML/);
      expect((error as LecternError).line).toBeGreaterThanOrEqual(3);
    }
  });

  it("rejects a field of the wrong type, quoting the value and its type", () => {
    expect(() => markdown("---\ntitle: [1, 2]\n---\n\nText.\n")).toThrow(/Expected `title` in front matter to be text, got `\[1,2\]` \(list\)/);
  });

  it("warns about an unknown language tag and falls back to en", () => {
    const messages: Message[] = [];
    const document = markdown("---\nlang: not a language!\n---\n\nSome text.\n", messages);
    expect(document.metadata.language).toBe("en");
    expect(messages.map((message) => message.rule)).toContain("front-matter-lang-invalid");
  });

  it("normalises language tags and joins author lists", () => {
    const document = markdown("---\nlang: en_us\nauthor: [Ann Lee, Bo Chen, Cy Diaz]\n---\n\nSome text.\n");
    expect(document.metadata.language).toBe("en-US");
    expect(document.metadata.author).toBe("Ann Lee, Bo Chen and Cy Diaz");
  });
});
