// Front matter dates are checked against the calendar, and language tags are BCP 47 before they reach the model.
import { describe, expect, it } from "vitest";
import { normalizeDate } from "../../src/document/front-matter.js";
import { parseSource } from "../../src/document/read.js";
import type { Message } from "../../src/messages.js";

function read(frontMatter: string) {
  const messages: Message[] = [];
  const document = parseSource(`---\ntitle: T\n${frontMatter}\n---\n\nSome words.\n`, "/tmp/dates.md", "markdown", messages);
  return { document, messages };
}

describe("dates", () => {
  it("2026-02-30 is no date: a warning naming the field, value and why, with its line; never 2 March", () => {
    const { document, messages } = read("date: 2026-02-30");
    expect(document.metadata.date).toBeUndefined();
    const warning = messages.find((message) => message.rule === "front-matter-date-invalid");
    expect(warning?.reason).toBe("`date` `2026-02-30` is not a date: February 2026 has 28 days, not 30; it is ignored");
    expect(warning?.line).toBe(3);
  });

  it.each([
    ["2026-13-01", /there is no month 13/],
    ["10000-01-01", /the year 10000 is outside 1–9999/],
    ["Feb 30, 2026", /February 2026 has 28 days, not 30/],
    ["2100-02-29", /February 2100 has 28 days, not 29/],
    ["20260", /years past 9999/],
  ])("`%s` is refused with a reason", (value, reason) => {
    const { document, messages } = read(`date: "${value}"`);
    expect(document.metadata.date).toBeUndefined();
    expect(messages.find((message) => message.rule === "front-matter-date-invalid")?.reason).toMatch(reason);
  });

  it("real dates in the accepted forms are normalised", () => {
    expect(normalizeDate("2024-02-29")).toBe("2024-02-29");
    expect(normalizeDate("2026-01-05T10:00:00Z")).toBe("2026-01-05");
    expect(normalizeDate("January 5, 2026")).toBe("2026-01-05");
    expect(normalizeDate("5 Jan 2026")).toBe("2026-01-05");
    expect(normalizeDate("2026/1/5")).toBe("2026-01-05");
    expect(normalizeDate("2026")).toBe("2026");
    expect(normalizeDate("2026-01-05 and more")).toBeUndefined();
    expect(normalizeDate("next tuesday")).toBeUndefined();
    expect(read("date: 2026-02-13").document.metadata.date).toBe("2026-02-13");
  });
});

describe("language tags", () => {
  it("`en_US` is read as `en-US` with a warning saying so", () => {
    const { document, messages } = read("lang: en_US");
    expect(document.metadata.language).toBe("en-US");
    const warning = messages.find((message) => message.rule === "front-matter-lang-normalized");
    expect(warning?.reason).toMatch(/POSIX locale name, not a BCP 47 tag; it is read as `en-US`/);
    expect(warning?.line).toBe(3);
  });

  it.each(["en--US", "x", "i-klingon", `en-${"abcdefgh-".repeat(10)}x`, "fr_"])("`%s` never reaches the model", (tag) => {
    const { document, messages } = read(`lang: "${tag}"`);
    expect(document.metadata.language).toBe("en");
    expect(messages.map((message) => message.rule)).toContain("front-matter-lang-invalid");
  });
});

describe("values quoted in messages", () => {
  it("are cleaned and cut: a hostile value neither rewrites the terminal nor fills it", () => {
    const { messages } = read(`lang: "\\e[2J\\u202Eevil${"x".repeat(5000)}"\ndate: "\\e]0;title\\u0007\\u2066soon"`);
    const reasons = messages.filter((message) => message.rule.startsWith("front-matter-")).map((message) => message.reason);
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) {
      expect(reason).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
      expect(reason.length).toBeLessThan(200);
    }
  });
});
