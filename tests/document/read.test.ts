import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { LecternError } from "../../src/messages.js";

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "lectern-read-"));
});

async function expectInputError(path: string, pattern: RegExp) {
  const failure = await readDocument(path).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(LecternError);
  const error = failure as LecternError;
  expect(error.format()).toMatch(pattern);
  expect(error.format()).not.toContain("\n");
  expect(error.exitCode).toBeGreaterThan(0);
}

describe("readDocument refuses what is not a document, in one line", () => {
  it("a missing file", () => expectInputError(join(folder, "nope.md"), /nope\.md: no such file/));
  it("a folder", async () => {
    await mkdir(join(folder, "dir.md"));
    await expectInputError(join(folder, "dir.md"), /is a folder/);
  });
  it("an unsupported extension", async () => {
    await writeFile(join(folder, "doc.docx"), "x");
    await expectInputError(join(folder, "doc.docx"), /unsupported file type `\.docx`/);
  });
  it("an empty file", async () => {
    await writeFile(join(folder, "empty.md"), "");
    await expectInputError(join(folder, "empty.md"), /is empty/);
  });
  it("white space only", async () => {
    await writeFile(join(folder, "blank.txt"), "  \n\n\t\n");
    await expectInputError(join(folder, "blank.txt"), /only white space/);
  });
  it("front matter only", async () => {
    await writeFile(join(folder, "fm.md"), "---\ntitle: Only\n---\n");
    await expectInputError(join(folder, "fm.md"), /has no text/);
  });
  it("a binary file", async () => {
    await writeFile(join(folder, "bin.txt"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]));
    await expectInputError(join(folder, "bin.txt"), /binary file/);
  });
  it("an unreadable file", async () => {
    if (process.getuid?.() === 0) return; // root reads everything; nothing to test
    await writeFile(join(folder, "secret.md"), "text");
    await chmod(join(folder, "secret.md"), 0o000);
    await expectInputError(join(folder, "secret.md"), /cannot read/);
  });
});

describe("readDocument decodes invalid UTF-8 with a warning that counts the bytes", () => {
  it("replaces and reports", async () => {
    const bytes = Buffer.concat([Buffer.from("Caf"), Buffer.from([0xe9]), Buffer.from(" au lait and more words.\nLine two "), Buffer.from([0xff, 0xfe]), Buffer.from(" end.\n")]);
    await writeFile(join(folder, "latin1.txt"), bytes);
    const { document, messages } = await readDocument(join(folder, "latin1.txt"));
    const warning = messages.find((message) => message.rule === "invalid-utf8");
    expect(warning?.reason).toMatch(/3 invalid byte sequences were replaced/);
    expect(warning?.line).toBe(1);
    expect(document.words).toBeGreaterThan(5);
  });
});

describe("readDocument names UTF-16 and finds NUL bytes anywhere", () => {
  const utf16 = (text: string, order: "le" | "be", bom: boolean) => {
    const le = Buffer.from(text, "utf16le");
    const bytes = order === "le" ? le : Buffer.from(le.map((_, index) => le[index ^ 1]!));
    return Buffer.concat([bom ? Buffer.from(order === "le" ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), bytes]);
  };
  for (const [order, bom] of [
    ["le", true],
    ["be", true],
    ["le", false],
    ["be", false],
  ] as const) {
    it(`UTF-16 ${order.toUpperCase()} ${bom ? "with" : "without"} a byte order mark is refused as UTF-16, with how to re-save it`, async () => {
      const path = join(folder, `utf16-${order}-${bom}.md`);
      await writeFile(path, utf16("# Title\n\nSome words in a document saved as Unicode by Notepad.\n", order, bom));
      await expectInputError(path, new RegExp(`is UTF-16 text \\(${order === "le" ? "little" : "big"}-endian.*re-save it as UTF-8`));
    });
  }
  // UTF-32 LE with a BOM starts FF FE like UTF-16 LE: naming it UTF-16 sent users to an iconv
  // command that gives garbage. Each form is named, with the iconv source encoding that decodes it.
  const text = "# Title\n\nSome words in a document saved as UTF-32.\n";
  const encodings = [
    { name: "UTF-32", order: "le", bom: true, source: "UTF-32" },
    { name: "UTF-32", order: "be", bom: true, source: "UTF-32" },
    { name: "UTF-32", order: "le", bom: false, source: "UTF-32LE" },
    { name: "UTF-32", order: "be", bom: false, source: "UTF-32BE" },
    { name: "UTF-16", order: "le", bom: false, source: "UTF-16LE" },
    { name: "UTF-16", order: "be", bom: false, source: "UTF-16BE" },
    { name: "UTF-16", order: "le", bom: true, source: "UTF-16" },
  ] as const;
  const encode = (name: "UTF-16" | "UTF-32", order: "le" | "be", bom: boolean): Buffer => {
    if (name === "UTF-16") return utf16(text, order, bom);
    const units = Array.from(bom ? `\uFEFF${text}` : text).map((character) => character.codePointAt(0)!);
    const bytes = Buffer.alloc(units.length * 4);
    units.forEach((unit, index) => (order === "le" ? bytes.writeUInt32LE(unit, index * 4) : bytes.writeUInt32BE(unit, index * 4)));
    return bytes;
  };
  for (const { name, order, bom, source } of encodings) {
    it(`${name} ${order.toUpperCase()} ${bom ? "with" : "without"} a byte order mark is named so, with the iconv command that decodes it`, async () => {
      const path = join(folder, `${name}-${order}-${bom}.md`);
      const bytes = encode(name, order, bom);
      await writeFile(path, bytes);
      await expectInputError(path, new RegExp(`is ${name} text \\(${order === "le" ? "little" : "big"}-endian.*iconv -f ${source} -t UTF-8 `));
    });
  }
  it("UTF-32 without a mark is named also when its text is not ASCII (Chinese, Greek)", async () => {
    for (const order of ["le", "be"] as const) {
      const units = Array.from("# 标题\n\n中文的文字，还有 Ελληνικά.\n".repeat(20)).map((character) => character.codePointAt(0)!);
      const bytes = Buffer.alloc(units.length * 4);
      units.forEach((unit, index) => (order === "le" ? bytes.writeUInt32LE(unit, index * 4) : bytes.writeUInt32BE(unit, index * 4)));
      const path = join(folder, `utf32-cjk-${order}.md`);
      await writeFile(path, bytes);
      await expectInputError(path, new RegExp(`is UTF-32 text \\(${order === "le" ? "little" : "big"}-endian\\).*iconv -f UTF-32${order.toUpperCase()} `));
    }
  });
  it("fuzz: any text saved as UTF-32 (either order, with a mark, or without one below U+10000) is named UTF-32, never UTF-16", async () => {
    // Characters below U+10000 whose low byte is not NUL (U+4E00's is): without a mark, the low byte tells the order.
    const bmp = fc
      .integer({ min: 1, max: 0xffff })
      .filter((code) => (code & 0xff) !== 0 && (code < 0xd800 || code > 0xdfff))
      .map((code) => String.fromCodePoint(code));
    const anyCharacter = fc
      .integer({ min: 1, max: 0x10ffff })
      .filter((code) => code < 0xd800 || code > 0xdfff)
      .map((code) => String.fromCodePoint(code));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.constantFrom("le", "be"),
        fc.array(bmp, { minLength: 2, maxLength: 200 }),
        fc.array(anyCharacter, { minLength: 1, maxLength: 200 }),
        async (bom, order, plain, any) => {
          const characters = bom ? ["\uFEFF", ...any] : plain;
          const bytes = Buffer.alloc(characters.length * 4);
          characters.forEach((character, index) =>
            order === "le" ? bytes.writeUInt32LE(character.codePointAt(0)!, index * 4) : bytes.writeUInt32BE(character.codePointAt(0)!, index * 4),
          );
          const path = join(folder, `utf32-fuzz-${run++}.md`);
          await writeFile(path, bytes);
          await expectInputError(path, new RegExp(`is UTF-32 text \\(${order === "le" ? "little" : "big"}-endian`));
        },
      ),
      { numRuns: 60 },
    );
  });
  it("little-endian UTF-32 opening with U+FFFE (FE FF 00 00) is UTF-32, not UTF-16 with a big-endian mark", async () => {
    // fast-check's counterexample (seed -43740250): no mark, U+FFFE then two U+0001.
    const path = join(folder, "utf32-fffe.md");
    const bytes = Buffer.alloc(12);
    [0xfffe, 1, 1].forEach((code, index) => bytes.writeUInt32LE(code, index * 4));
    await writeFile(path, bytes);
    await expectInputError(path, /is UTF-32 text \(little-endian/);
  });
  it("a NUL byte after the first 64 KB is refused with its line", async () => {
    const path = join(folder, "late-nul.md");
    await writeFile(path, Buffer.concat([Buffer.from("Words and more words.\n".repeat(4000)), Buffer.from([0]), Buffer.from("\nEnd.\n")]));
    await expectInputError(path, /late-nul\.md:4001: is a binary file, not text \(a NUL byte at byte 88,000\)/);
  });
  it("a file of UTF-8 text with a byte order mark still reads", async () => {
    const path = join(folder, "bom.md");
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Words here.\n")]));
    expect((await readDocument(path)).document.words).toBe(2);
  });
});
