// Right-to-left text in the PDF (UAX #9): numbers inside Arabic and Hebrew keep their order,
// brackets are mirrored, and the text copied or spoken is in reading order.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { flattenStructure, paintedLines, readPdfStructure, type PdfStructure } from "../helpers/pdf.js";

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-bidi-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

let counter = 0;
/** Renders a one-paragraph document; returns the painted lines of page 1 (visual order, spaces dropped) and the structure. */
async function render(body: string, lang = "ar"): Promise<{ painted: string[]; pdf: PdfStructure }> {
  const source = ["---", "title: Numbers", `lang: ${lang}`, "---", "", body, ""].join("\n");
  const document = parseSource(source, join(outDir, "numbers.md"), "markdown");
  const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: () => {} });
  const path = join(outDir, `bidi-${++counter}.pdf`);
  await writeFile(path, rendered.bytes);
  const raw = Buffer.from(rendered.bytes).toString("latin1");
  return { painted: paintedLines(raw)[0]!.map((line) => line.replace(/\s+/g, "")), pdf: await readPdfStructure(path) };
}

function paragraphText(pdf: PdfStructure): string {
  return flattenStructure(pdf.structure)
    .filter((node) => node.role === "P")
    .map((node) => node.readText)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("numbers inside right-to-left text (UAX #9 rules W1–W7, I1–I2)", () => {
  const body = "العدد ٤٥٦ والرقم ۱۲۳ و 123 و 1,234.5 في 12:30 (نعم) +٤٥ هنا.";
  let painted: string[];
  let pdf: PdfStructure;
  beforeAll(async () => {
    ({ painted, pdf } = await render(body));
  });

  it("paints every number left to right, the words around it right to left", () => {
    // Read left to right as painted: the sentence's last word is leftmost, each number reads forwards.
    const line = painted.find((text) => text.includes("123"))!;
    expect(line).toBe(".انه٤٥+(معن)12:30يف1,234.5و123و۱۲۳مقرلاو٤٥٦ددعلا");
    for (const number of ["٤٥٦", "۱۲۳", "123", "1,234.5", "12:30", "٤٥"]) expect(line).toContain(number);
    for (const reversed of ["٦٥٤", "۳۲۱", "321", "5.432,1", "03:21", "٥٤"]) expect(line).not.toContain(reversed);
  });

  it("mirrors brackets at an odd level (rule L4): (نعم) is painted with the opening bracket on its right", () => {
    const line = painted.find((text) => text.includes("123"))!;
    // The glyph at the right end of the bracketed word is the mirrored "(" (painted as ")" shape… read back as "(").
    expect(line).toContain("(معن)");
  });

  it("copies and speaks in reading order: /ActualText gives the source text, brackets as written", () => {
    expect(paragraphText(pdf)).toBe(body);
  });

  it("Hebrew with European numbers, and a Latin phrase with a number inside Hebrew", async () => {
    const hebrew = "שלום 2026 עולם, מחיר 1,234.50 ש״ח ו־ABC 123 כאן.";
    const { painted: lines, pdf: hebrewPdf } = await render(hebrew, "he");
    const line = lines.find((text) => text.includes("2026"))!;
    expect(line).toContain("2026");
    expect(line).toContain("1,234.50");
    expect(line).toContain("ABC123");
    expect(line.startsWith(".ןאכ")).toBe(true);
    expect(paragraphText(hebrewPdf)).toBe(hebrew);
  });

  it("an English paragraph keeps Arabic numbers and words in their places", async () => {
    const english = "The camp held ٤٥٦ families (العدد ٤٥٦ تقريبا) in 2019.";
    const { painted: lines, pdf: englishPdf } = await render(english, "en");
    const line = lines.find((text) => text.includes("2019"))!;
    expect(line.startsWith("Thecampheld٤٥٦families(")).toBe(true);
    expect(line).toContain("(ابيرقت٤٥٦ددعلا)");
    // (pdf.js adds a space where a left-to-right bracket follows the right-to-left run's far
    // edge: the comparison ignores spaces here; the right-to-left runs' /ActualText keeps theirs.)
    expect(paragraphText(englishPdf).replace(/ /g, "")).toBe(english.replace(/ /g, ""));
  });
});

describe("a right-to-left table", () => {
  it("runs its columns right to left, the first column rightmost; the structure keeps source order", async () => {
    const { painted, pdf } = await render(["نص.", "", "| الاسم | العدد | ملاحظة |", "| --- | --- | --- |", "| مخيم | ٤٥٦ | نص |"].join("\n"));
    // (Lam-alef is one ligature glyph, which ToUnicode maps back to "لا" in reading order.)
    expect(painted).toContain("ةظحلامددعلامسلاا");
    expect(painted).toContain("صن٤٥٦ميخم");
    const headers = flattenStructure(pdf.structure)
      .filter((node) => node.role === "TH")
      .map((node) => node.readText.trim());
    expect(headers).toEqual(["الاسم", "العدد", "ملاحظة"]);
  });
});

describe("right-to-left text inside code", () => {
  it("a comment in Arabic inside a line of code is ordered like text, the code left to right", async () => {
    const { painted, pdf } = await render(["Code below.", "", "```", "let x = 1; // العدد ٤٥٦ هنا", "```"].join("\n"), "en");
    expect(painted).toContain("letx=1;//انه٤٥٦ددعلا");
    const code = flattenStructure(pdf.structure).find((node) => node.role === "Code")!;
    expect(code.readText.replace(/\s+/g, "")).toBe("letx=1;//العدد٤٥٦هنا");
  });
});

describe("fuzz: random right-to-left text with numbers", () => {
  const arabicWord = fc.constantFrom("مخيم", "الهول", "عدد", "نعم", "في", "الأسر", "سنة");
  const hebrewWord = fc.constantFrom("שלום", "עולם", "מחיר", "שנה", "כאן");
  const digits = (zero: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 4 }).map((ds) => ds.map((d) => String.fromCodePoint(zero + d)).join(""));
  // Separators between digits (CS, ES: rule W4) and terminators after them (ET: rule W5, 45% or 12°).
  const europeanNumber = fc
    .tuple(digits(0x30), fc.constantFrom("", ".", ",", ":", "/", "+"), digits(0x30), fc.constantFrom("", "%", "°", "#"))
    .map(([a, s, b, t]) => `${s === "" ? a : `${a}${s}${b}`}${t}`);
  const arabicNumber = fc.tuple(digits(0x660), fc.constantFrom("", "٫", "٬", ","), digits(0x660)).map(([a, s, b]) => (s === "" ? a : `${a}${s}${b}`));
  const persianNumber = digits(0x6f0);
  const number = fc.oneof(europeanNumber, arabicNumber, persianNumber);

  it("every number is painted in its own left-to-right order, and the text reads back as written", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.oneof(fc.constant("word"), fc.constant("number")), { minLength: 2, maxLength: 10 }),
        fc.infiniteStream(fc.tuple(arabicWord, hebrewWord, number)),
        async (hebrew, shape, parts) => {
          const iterator = parts[Symbol.iterator]();
          const numbers: string[] = [];
          const words = shape.map((kind) => {
            const [arabic, hebrewOne, n] = iterator.next().value as [string, string, string];
            if (kind === "number") {
              numbers.push(n);
              return n;
            }
            return hebrew ? hebrewOne : arabic;
          });
          const text = `${hebrew ? "שלום" : "مخيم"} ${words.join(" ")}`;
          const { painted, pdf } = await render(text, hebrew ? "he" : "ar");
          const all = painted.join("");
          // Numbers separated by spaces alone may merge visually; each number's digits must read forwards.
          // (A terminator's side depends on context: after Arabic letters European digits are AN
          // (rule W2) and a % is a neutral that takes the Arabic side, as browsers draw it.)
          for (const n of numbers) expect(all).toContain(n.replace(/[%°#]$/, ""));
          expect(paragraphText(pdf)).toBe(text);
        },
      ),
      { numRuns: 20, seed: 12 },
    );
  });
});
