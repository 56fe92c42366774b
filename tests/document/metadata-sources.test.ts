// Metadata from outside the document: overrides, a metadata file, `<name>.yaml` beside it — the
// same checks as front matter, one precedence, and the source of each value recorded.
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readDocument, type ReadOptions } from "../../src/document/read.js";
import { LecternError } from "../../src/messages.js";

let folder: string;
let count = 0;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "lectern-metadata-"));
});

/** A fresh folder holding `files` (name → text); returns its path. */
async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = join(folder, `case-${++count}`);
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const plainText = "A first paragraph of plain text, long enough to read as a paragraph of prose.\n\nA second paragraph follows it here.\n";
const markdown =
  "---\ntitle: Front Matter Title\nauthor: Front Author\nlang: en-GB\ndate: 2020-01-01\ndescription: From front matter.\n---\n\nA first paragraph of Markdown text, with enough words in it.\n";

async function failure(path: string, options: ReadOptions): Promise<LecternError> {
  const error = await readDocument(path, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LecternError);
  const format = (error as LecternError).format();
  expect(format).not.toContain("\n");
  return error as LecternError;
}

describe("each override sets its field, on a .txt and on a .md", () => {
  const metadata = {
    title: "Given Title",
    authors: ["Ann Writer", "Bob Author"],
    language: "fr-CA",
    date: "January 5, 2026",
    description: "Given description.",
    source: "https://example.org/given",
    publisher: "Given Press",
  };
  it.each([
    ["notes.txt", plainText],
    ["notes.md", markdown],
  ])("%s", async (name, text) => {
    const dir = await folderWith({ [name]: text });
    const { document } = await readDocument(join(dir, name), { metadata });
    expect(document.metadata).toMatchObject({
      title: "Given Title",
      author: "Ann Writer and Bob Author",
      language: "fr-CA",
      date: "2026-01-05",
      description: "Given description.",
      source: "https://example.org/given",
      publisher: "Given Press",
    });
    expect(document.metadataSources).toMatchObject({ title: "options", author: "options", language: "options", date: "options", description: "options", publisher: "options" });
  });
});

describe("precedence: overrides > front matter > metadata file > inferred", () => {
  it("a .md: each level wins over the ones below it, field by field", async () => {
    const dir = await folderWith({
      "doc.md": "---\ntitle: Front Matter Title\nlang: en-GB\n---\n\n# Heading Title\n\nSome words of the body for the reader to read.\n",
      "doc.yaml": "title: Sidecar Title\nlang: de\nauthor: Sidecar Author\npublisher: Sidecar Press\n",
      "shared.yaml": "title: Shared Title\nauthor: Shared Author\npublisher: Shared Press\nsource: https://example.org/shared\ndate: 2021-03-04\n",
    });
    const { document } = await readDocument(join(dir, "doc.md"), { metadata: { title: "Override Title" }, metadataFile: join(dir, "shared.yaml") });
    expect(document.metadata).toMatchObject({
      title: "Override Title",
      language: "en-GB",
      author: "Sidecar Author",
      publisher: "Sidecar Press",
      source: "https://example.org/shared",
      date: "2021-03-04",
    });
    expect(document.metadataSources).toEqual({
      title: "options",
      language: "front matter",
      author: "doc.yaml",
      publisher: "doc.yaml",
      source: "shared.yaml",
      date: "shared.yaml",
      description: "inferred",
    });
  });

  it("a .txt: the metadata file wins over the title page, the title page over the file name", async () => {
    const text = "The Title Page Line\n\nby Inferred Author\n\n" + plainText;
    const dir = await folderWith({ "book.txt": text, "meta.yaml": "author: File Author\n" });
    const inferred = await readDocument(join(dir, "book.txt"));
    expect(inferred.document.metadata.title).toBe("The Title Page Line");
    expect(inferred.document.metadataSources).toMatchObject({ title: "inferred", language: "default" });

    const withFile = await readDocument(join(dir, "book.txt"), { metadataFile: join(dir, "meta.yaml") });
    expect(withFile.document.metadata).toMatchObject({ title: "The Title Page Line", author: "File Author" });
    expect(withFile.document.metadataSources).toMatchObject({ title: "inferred", author: "meta.yaml" });

    const overridden = await readDocument(join(dir, "book.txt"), { metadata: { authors: ["Given Author"] }, metadataFile: join(dir, "meta.yaml") });
    expect(overridden.document.metadata.author).toBe("Given Author");
  });

  it("a `<name>.yaml` (or `.yml`) beside a .txt sets what a text file cannot say: its language", async () => {
    const dir = await folderWith({ "a.txt": plainText, "a.yml": "lang: pt-BR\ntitle: Sidecar\n" });
    const { document } = await readDocument(join(dir, "a.txt"));
    expect(document.metadata).toMatchObject({ language: "pt-BR", title: "Sidecar" });
    expect(document.metadataSources).toMatchObject({ language: "a.yml", title: "a.yml" });
  });

  it("with both `<name>.yaml` and `<name>.yml`, the `.yaml` is read and a warning names the `.yml`", async () => {
    const dir = await folderWith({ "b.txt": plainText, "b.yaml": "title: From Yaml\n", "b.yml": "title: From Yml\n" });
    const { document, messages } = await readDocument(join(dir, "b.txt"));
    expect(document.metadata.title).toBe("From Yaml");
    expect(messages.find((message) => message.rule === "metadata-file-ignored")).toMatchObject({ file: join(dir, "b.yml") });
  });

  it("the metadata changes the source digest, so a cached EPUB or PDF is not reused under another title", async () => {
    const dir = await folderWith({ "c.txt": plainText });
    const plain = await readDocument(join(dir, "c.txt"));
    const titled = await readDocument(join(dir, "c.txt"), { metadata: { title: "Another" } });
    expect(titled.document.sourceDigest).not.toBe(plain.document.sourceDigest);
  });
});

describe("the same checks and cleaning as front matter", () => {
  it("an override title loses its control and bidi characters and is cut at 300 characters with a warning", async () => {
    const dir = await folderWith({ "t.txt": plainText });
    const long = `Evil\u202E\u0007 ${"word ".repeat(100)}`;
    const { document, messages } = await readDocument(join(dir, "t.txt"), { metadata: { title: long } });
    expect(document.metadata.title).not.toMatch(/[\u202E\u0007]/);
    expect(document.metadata.title.length).toBeLessThanOrEqual(300);
    expect(messages.some((message) => message.rule === "metadata-too-long" && message.reason.includes("metadata.title"))).toBe(true);
  });

  it("a metadata file's values are cleaned the same way", async () => {
    const dir = await folderWith({ "t.txt": plainText, "t.yaml": 'title: "Evil\\u202E Title\\u0007"\n' });
    const { document } = await readDocument(join(dir, "t.txt"));
    expect(document.metadata.title).toBe("Evil Title");
  });

  it("`en_US` in an override is read as `en-US`, with a warning", async () => {
    const dir = await folderWith({ "t.txt": plainText });
    const { document, messages } = await readDocument(join(dir, "t.txt"), { metadata: { language: "en_US" } });
    expect(document.metadata.language).toBe("en-US");
    expect(messages.map((message) => message.rule)).toContain("metadata-lang-normalized");
  });
});

describe("a bad value names where it came from, in one line", () => {
  it("an override language that is no BCP 47 tag: a CONFIG error naming `metadata.language`", async () => {
    const dir = await folderWith({ "t.txt": plainText });
    const error = await failure(join(dir, "t.txt"), { metadata: { language: "not a tag!" } });
    expect(error.code).toBe("CONFIG");
    expect(error.format()).toMatch(/`metadata\.language`.*BCP 47.*`not a tag!`/);
  });

  it("an override date not on the calendar names `metadata.date` and why", async () => {
    const dir = await folderWith({ "t.txt": plainText });
    const error = await failure(join(dir, "t.txt"), { metadata: { date: "2026-02-30" } });
    expect(error.format()).toMatch(/`metadata\.date`.*February 2026 has 28 days, not 30/);
  });

  it("an empty override title is an error, not a silent fallback", async () => {
    const dir = await folderWith({ "t.txt": plainText });
    const error = await failure(join(dir, "t.txt"), { metadata: { title: " \u202E " } });
    expect(error.format()).toMatch(/`metadata\.title`/);
  });

  it("a metadata file value of the wrong kind: CONFIG, file and line", async () => {
    const dir = await folderWith({ "t.txt": plainText, "meta.yaml": "# metadata\nlang: fr\ntitle: [a, b]\n" });
    const error = await failure(join(dir, "t.txt"), { metadataFile: join(dir, "meta.yaml") });
    expect(error.code).toBe("CONFIG");
    expect(error.format()).toMatch(/meta\.yaml:3: Expected `title` in meta\.yaml to be text/);
  });

  it("a metadata file language that is no tag: a warning with the file and line, `en` used", async () => {
    const dir = await folderWith({ "t.txt": plainText, "t.yaml": "title: Fine\nlang: no such tag\n" });
    const { document, messages } = await readDocument(join(dir, "t.txt"));
    expect(document.metadata.language).toBe("en");
    const warning = messages.find((message) => message.rule === "metadata-lang-invalid");
    expect(warning).toMatchObject({ file: join(dir, "t.yaml"), line: 2 });
    expect(warning?.reason).toContain("in t.yaml");
  });

  it("a metadata file that is not YAML: its own file and line", async () => {
    const dir = await folderWith({ "t.txt": plainText, "t.yaml": "title: ok\nauthor: [unclosed\n" });
    const error = await failure(join(dir, "t.txt"), {});
    expect(error.format()).toMatch(/t\.yaml:\d+: t\.yaml is not valid YAML/);
  });

  it("a missing metadata file, and one that is a symbolic link, are refused", async () => {
    const dir = await folderWith({ "t.txt": plainText, "real.yaml": "title: Elsewhere\n" });
    expect((await failure(join(dir, "t.txt"), { metadataFile: join(dir, "none.yaml") })).format()).toMatch(/none\.yaml: no such metadata file/);
    await symlink(join(dir, "real.yaml"), join(dir, "t.yaml"));
    expect((await failure(join(dir, "t.txt"), {})).format()).toMatch(/t\.yaml: the metadata file is a symbolic link/);
  });

  it("a front matter value keeps its own origin in messages", async () => {
    const dir = await folderWith({ "f.md": "---\ntitle: [x]\n---\n\nText of the body.\n" });
    expect((await failure(join(dir, "f.md"), { metadata: { authors: ["A"] } })).format()).toMatch(/f\.md:2: Expected `title` in front matter to be text/);
  });
});
