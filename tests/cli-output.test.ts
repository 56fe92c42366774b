// What the command prints and how it behaves as a process: terminal-safe text, closed pipes,
// odd install paths, signals. Each test runs the real command in a child process.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { constants as osConstants, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { LecternDocument } from "../src/document/model.js";
import type { PipelineEventBody } from "../src/pipeline.js";
import { isMainModule, main, OutputStream, ProgressDisplay, terminalText } from "../src/cli.js";

const root = new URL("..", import.meta.url).pathname;
const cli = join(root, "src/cli.ts");

/** Bytes a terminal would act on: ESC, the C0/C1 controls but line feed, DEL, bidi controls, line/paragraph separators. */
const terminalControls = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

async function folder(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `lectern-${prefix}-`));
}

/** A finished child: exit code (or signal) and what it printed. */
interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], options: { stdio?: ("pipe" | "ignore")[]; closeStdout?: boolean; closeStderr?: boolean; script?: string } = {}): Promise<Finished> {
  const child = spawn(process.execPath, ["--import", "tsx", options.script ?? cli, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  // Closing our end of the pipe before the child writes: every write of the child fails with EPIPE.
  if (options.closeStdout) child.stdout.destroy();
  else child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("latin1")));
  if (options.closeStderr) child.stderr.destroy();
  else child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("latin1")));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

const hostileTitle = "Evil \u001b[31mRED\u001b]0;pwned\u0007 \u009b2J \u202Eabc\u2066 \u2028next\u000bline\u007f";

describe("terminal escapes in what the command prints", () => {
  it("terminalText shows every control as an escape and keeps ordinary text", () => {
    expect(terminalText("a\u001b[31mb")).toBe("a\\x1B[31mb");
    expect(terminalText("\u009b\u007f\u0000\t\r\n")).toBe("\\x9B\\x7F\\x00\\x09\\x0D\\x0A");
    expect(terminalText("\u202Eabc\u2069\u2028")).toBe("\\u202Eabc\\u2069\\u2028");
    expect(terminalText("Al-Hol — العربية 👨‍👩‍👧 C:\\docs")).toBe("Al-Hol — العربية 👨‍👩‍👧 C:\\docs");
  });

  it("a document whose title, headings and file name hold escapes: stderr carries none of them", async () => {
    const dir = await folder("escapes");
    const source = join(dir, "evil\u001b[2J\u202E.md");
    await writeFile(source, `---\ntitle: ${JSON.stringify(hostileTitle)}\nlang: en\n---\n\n## Intro \u001b[5m\n\nHello there. ![](missing\u001b[1m.png)\n`);
    const result = await run(["build", source, "--out", join(dir, "out\u009b"), "--formats", "epub"]);
    // Whatever the document reader leaves of the title, the out folder's name (in the summary line) is printed escaped.
    expect(result.stderr).toContain("out\\x9B");
    expect(result.stderr).not.toMatch(terminalControls);
    // And an error line: the path of a file that is not there.
    const missing = await run(["build", join(dir, "gone\u001b]0;x\u0007.md")]);
    expect(missing.code).toBe(65);
    expect(missing.stderr).toMatch(/gone\\x1B\]0;x\\x07\.md/);
    expect(missing.stderr).not.toMatch(terminalControls);
  });
});

/** A real writable stream that keeps what is written to it, for the display's own tests. */
function collector(isTTY: boolean): { stream: Writable & { isTTY: boolean; columns: number }; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    }),
    { isTTY, columns: 80 },
  );
  return { stream, text: () => chunks.join("") };
}

describe("the command's output streams", () => {
  it("a write that fails (EPIPE) stops printing instead of throwing", async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const output = new OutputStream(failing);
    output.line("first");
    await new Promise((resolve) => setImmediate(resolve));
    expect(output.open).toBe(false);
    expect(() => output.line("second")).not.toThrow();
  });

  it("usage errors go through the same safe printer", async () => {
    const out = collector(false);
    const err = collector(false);
    const code = await main(["build", "a.md", "--formats", "\u001b[31mepub"], { stdout: new OutputStream(out.stream), stderr: new OutputStream(err.stream) });
    expect(code).toBe(2);
    expect(err.text()).toContain("\\x1B[31mepub");
    expect(err.text()).not.toMatch(terminalControls);
  });
});

describe("fuzz: every print path", () => {
  /** Strings rich in what terminals act on: escapes, CSI (7- and 8-bit), OSC, bidi controls, separators. */
  const hostile = fc.string({
    unit: fc.oneof(
      fc.constantFrom(
        "\u001b",
        "\u001b[",
        "\u001b]0;",
        "\u009b",
        "\u0090",
        "\u009d",
        "\u0007",
        "\r",
        "\n",
        "\t",
        "\u000b",
        "\u0000",
        "\u007f",
        "\u202a",
        "\u202e",
        "\u2066",
        "\u2069",
        "\u2028",
        "\u2029",
        "\ud800",
      ),
      fc.string({ maxLength: 3 }),
      fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
    ),
    maxLength: 40,
  });

  it("the progress display, live and plain, never writes a control it did not mean", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), hostile, hostile, hostile, hostile, hostile, (live, quiet, title, slug, reason, file, error) => {
        const out = collector(live);
        const display = new ProgressDisplay(new OutputStream(out.stream), quiet);
        const document = { slug, metadata: { title }, sections: [], words: 3 } as unknown as LecternDocument;
        const events: PipelineEventBody[] = [
          { type: "document", document },
          { type: "stage-start", stage: "epub" },
          { type: "stage-progress", stage: "audio", done: 1, total: 3 },
          { type: "message", message: { severity: "warning", rule: reason, reason, source: slug, file, line: 3, column: 4 } },
          { type: "stage-end", stage: "pdf", status: "failed", seconds: 1, error },
          { type: "stage-end", stage: "epub", status: "ok", seconds: 1 },
        ];
        for (const event of events) display.handle({ ...event, source: file });
        display.log(`${file}: written`, true);
        display.trace(`Error: ${error}\n    at ${file}`);
        display.finish();
        // The only escape sequence written is the display's own line redraw, and only when live.
        const text = out.text().replaceAll("\r\u001b[2K", "");
        if (!live) expect(out.text()).not.toContain("\u001b[2K");
        expect(text.replaceAll("\n", "")).not.toMatch(terminalControls);
      }),
      { numRuns: 300 },
    );
  });

  it("errors (usage, input, interrupted) print one safe line each", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (value, path) => {
        const err = collector(false);
        const streams = { stdout: new OutputStream(collector(false).stream), stderr: new OutputStream(err.stream) };
        await main(["build", "a.md", "--formats", value], streams);
        await main(["build", "a.md", "--rate", value], streams);
        await main([value || "x", path], streams);
        await main(["build", `/nonexistent-${path}.md`, "--formats", "epub"], streams);
        expect(err.text()).not.toMatch(terminalControls);
      }),
      { numRuns: 40 },
    );
  });
});

describe("a closed pipe does not take the build down", () => {
  const document = "---\ntitle: Piped\nlang: en\n---\n\n## One\n\nA short paragraph.\n\n## Two\n\nAnother one.\n";

  it.each([
    ["standard error", { closeStderr: true }],
    ["standard output and standard error", { closeStdout: true, closeStderr: true }],
  ])("%s closed before the build writes: the EPUB, the PDF and the manifest are written, exit 0", async (_name, streams) => {
    const dir = await folder("epipe");
    const source = join(dir, "piped.md");
    await writeFile(source, document);
    const out = join(dir, "out");
    const result = await run(["build", source, "--out", out, "--formats", "epub,pdf"], streams);
    expect(result.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(["manifest.json", "piped.epub", "piped.pdf"]);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.stages.epub.status).toBe("ok");
    expect(manifest.stages.pdf.status).toBe("ok");
  });

  it("`lectern --help` into a closed pipe exits 0", async () => {
    const result = await run(["--help"], { closeStdout: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("`lectern build … 2>&1 | head -1`: one line shown, the build finishes, the command's exit code is the build's", async () => {
    const dir = await folder("head");
    const source = join(dir, "piped.md");
    await writeFile(source, document);
    const out = join(dir, "out");
    const command = `"${process.execPath}" --import tsx "${cli}" build "${source}" --out "${out}" --formats epub 2>&1 | head -1; exit \${PIPESTATUS[0]}`;
    const result = spawnSync("bash", ["-c", command], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(result.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(result.status).toBe(0);
    expect((await readdir(out)).sort()).toEqual(["manifest.json", "piped.epub"]);
  });
});

describe("installed under an unusual path", () => {
  const oddFolder = "lectern #1 ?x=%41 ü";

  it("isMainModule compares real paths, not URLs", () => {
    expect(isMainModule(new URL("../src/cli.ts", import.meta.url).href, cli)).toBe(true);
    expect(isMainModule(new URL("../src/cli.ts", import.meta.url).href, join(root, "src/index.ts"))).toBe(false);
    expect(isMainModule(new URL("../src/cli.ts", import.meta.url).href, undefined)).toBe(false);
  });

  it("the compiled command under a path with `#`, `?`, `%`, a space and `ü` runs, directly and through a symbolic link (npm's bin link)", async () => {
    const dir = join(await folder("path"), oddFolder);
    // Compiled here from this checkout's src/ (tsc takes a second or two), so the test runs this code, not a stale dist/.
    const compiled = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", join(root, "tsconfig.build.json"), "--outDir", join(dir, "dist")], {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(existsSync(join(dir, "dist/cli.js")), compiled.stdout).toBe(true);
    await cp(join(root, "package.json"), join(dir, "package.json"));
    await symlink(join(root, "node_modules"), join(dir, "node_modules"));
    await mkdir(join(dir, "bin"));
    await symlink(join(dir, "dist/cli.js"), join(dir, "bin/lectern"));
    for (const command of [join(dir, "dist/cli.js"), join(dir, "bin/lectern")]) {
      const result = spawnSync(process.execPath, [command, "--version"], { encoding: "utf8", timeout: 60_000 });
      expect(result.stdout).toMatch(/^lectern \d+\.\d+\.\d+\n$/);
      expect(result.status).toBe(0);
    }
    await rm(dirname(dir), { recursive: true, force: true });
  });
});

describe("signals", () => {
  /** Starts a build and sends each signal once stderr matches its pattern; waits for the end. */
  async function interrupted(args: readonly string[], steps: readonly (readonly [RegExp, NodeJS.Signals])[]): Promise<Finished & { signalled: boolean }> {
    const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let sent = 0;
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (code, signal) => resolve([code, signal])));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      // One signal per step, each only after the command has answered the one before (signals of one kind do not queue).
      while (sent < steps.length && steps[sent]![0].test(stderr)) child.kill(steps[sent++]![1]);
    });
    const [code, signal] = await closed;
    // The exit status as a shell reports it: a command that quits by re-raising the signal
    // (its forced quit does) ends with 128 + the signal's number, like any signalled process.
    const status = code ?? (signal ? 128 + osConstants.signals[signal] : null);
    return { code: status, signal, stdout: "", stderr, signalled: sent === steps.length };
  }

  const documentLine = /sections?, \d+ words/;

  async function bookSource(): Promise<{ source: string; dir: string }> {
    const dir = await folder("signal");
    const source = join(dir, "book.md");
    const chapters = Array.from({ length: 8 }, (_, index) => `## Chapter ${index + 1}\n\n${"The rabbit ran on through the long grass and the wood. ".repeat(12)}\n`);
    await writeFile(source, `---\ntitle: Book\nlang: en\n---\n\n${chapters.join("\n")}`);
    return { source, dir };
  }

  it("the first SIGTERM stops the build: exit 143", async () => {
    const { source, dir } = await bookSource();
    const result = await interrupted(["build", source, "--out", join(dir, "out"), "--formats", "audio", "--no-cache", "--concurrency", "1"], [[documentLine, "SIGTERM"]]);
    expect(result.signalled).toBe(true);
    expect(result.code).toBe(143);
    expect(result.stderr).toMatch(/SIGTERM: stopping/);
  });

  it("a second signal quits at once", async () => {
    const { source, dir } = await bookSource();
    const result = await interrupted(
      ["build", source, "--out", join(dir, "out"), "--formats", "audio", "--no-cache", "--concurrency", "1"],
      [
        [documentLine, "SIGINT"],
        [/SIGINT: stopping/, "SIGINT"],
      ],
    );
    expect(result.signalled).toBe(true);
    expect(result.code).toBe(130);
  });

  it("a build stuck in a file-system call that never returns (`--cache-dir /proc/self/x`) still ends on the first SIGTERM", async () => {
    const { source, dir } = await bookSource();
    const result = await interrupted(["build", source, "--out", join(dir, "out"), "--formats", "epub", "--cache-dir", "/proc/self/x"], [[documentLine, "SIGTERM"]]);
    // Node's recursive mkdir loops for ever on such a path in a libuv thread: the build cannot
    // notice the signal there, so the command quits after its grace period. (Should the cache
    // stop using that mkdir, the build ends by itself: then with the signal's code or its own.)
    if (result.signalled) expect(result.code).toBe(143);
    else expect(result.code).not.toBeNull();
  });

  it("a build stuck in a file-system call (`--out /proc/self/x`) still ends on the first SIGTERM", async () => {
    const { source } = await bookSource();
    const result = await interrupted(["build", source, "--out", "/proc/self/x", "--formats", "epub"], [[documentLine, "SIGTERM"]]);
    // Either the build found the folder cannot be written before the signal took effect (exit
    // 73: it fails at once, so the signal sent on the document line can arrive while it exits),
    // or the signal ended it (143, within the command's grace period): it never runs on.
    expect(result.signalled ? [73, 143] : [73]).toContain(result.code);
  });
});
