// `.lectern.lock`: one build per output folder, a dead owner's lock taken over (also when its
// pid now names another live process, as PID 1 does in every container), never an empty lock.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import type { LecternDocument } from "../../src/document/model.js";
import { LecternError, type Message } from "../../src/messages.js";
import { writeFileAtomic } from "../../src/output/atomic-write.js";
import { build, buildDocument } from "../../src/pipeline.js";
import type { Stage, StageName } from "../../src/stages/index.js";

const root = new URL("../..", import.meta.url).pathname;
const article = join(root, "content/al-hol-emptied.md");

function writing(name: StageName, during?: (outDir: string) => Promise<void>): Stage {
  return {
    name,
    async write(doc, context) {
      const path = join(context.outDir, `${doc.slug}.${name}`);
      await context.run(name, async () => {
        await during?.(context.outDir);
        await writeFileAtomic(path, name);
      });
      return { manifest: {}, files: [path] };
    },
  };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** A separate Node process that does nothing for a minute: a live pid that is not a Lectern build. */
async function idleProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000); console.log('ready')"], { stdio: ["ignore", "pipe", "ignore"] });
  children.push(child);
  await once(child.stdout!, "data");
  return child;
}

/** A separate process that takes the folder's lock with Lectern's own code and holds it; resolves with what it printed. */
function lockingProcess(outDir: string): { child: ChildProcess; said: Promise<string> } {
  const script = `import(${JSON.stringify(join(root, "src/output/lock.ts"))}).then((m) => m.lockOutputFolder(${JSON.stringify(outDir)})).then(
    () => { console.log("locked"); setTimeout(() => {}, 60000); },
    (error) => { console.log("refused " + error.code + " " + error.message); process.exit(3); })`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const said = new Promise<string>((resolve) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("close", () => resolve(out.trim()));
  });
  return { child, said };
}

function startTicks(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
}

async function lockError(promise: Promise<unknown>): Promise<LecternError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(LecternError);
  return error as LecternError;
}

describe("output folder lock: stale locks", () => {
  it("takes over a bare-pid lock older than the live process that now has that pid (PID 1 in a new container)", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    await writeFile(join(outDir, ".lectern.lock"), "1");
    await utimes(join(outDir, ".lectern.lock"), 0, 0); // written before PID 1 started
    const result = await build(article, { outDir, cacheDir: false, stages: [writing("epub")] });
    expect(result.ok).toBe(true);
    expect(await readdir(outDir)).not.toContain(".lectern.lock");
  });

  it("takes over a bare-pid lock whose pid was reused by a process started after it", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    const other = await idleProcess();
    await writeFile(join(outDir, ".lectern.lock"), String(other.pid));
    await utimes(join(outDir, ".lectern.lock"), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const result = await build(article, { outDir, cacheDir: false, stages: [writing("epub")] });
    expect(result.ok).toBe(true);
  });

  it("takes over a lock whose pid is alive but started at another time; refuses one whose pid and start time match", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    const other = await idleProcess();
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const owner = { lectern: "output-lock", pid: other.pid, boot, host: "a-container-long-gone", token: "t" };
    await writeFile(join(outDir, ".lectern.lock"), JSON.stringify({ ...owner, started: "1" }));
    expect((await build(article, { outDir, cacheDir: false, stages: [writing("epub")] })).ok).toBe(true);

    await writeFile(join(outDir, ".lectern.lock"), JSON.stringify({ ...owner, started: startTicks(other.pid!) }));
    const error = await lockError(build(article, { outDir, cacheDir: false, stages: [writing("epub")] }));
    expect(error.exitCode).toBe(73);
    expect(error.format()).toBe(`${outDir}: another Lectern build (pid ${other.pid}) is writing to this folder (wait for it to finish, or choose another --out folder)`);
  });

  it("an empty lock (one being written, or not Lectern's) is not taken for stale", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    await writeFile(join(outDir, ".lectern.lock"), "");
    const error = await lockError(build(article, { outDir, cacheDir: false, stages: [writing("epub")] }));
    expect(error.exitCode).toBe(73);
    expect(error.format()).toMatch(/is not one Lectern wrote \(if no Lectern build is running, delete .*\.lectern\.lock\)$/);
    expect(await readdir(outDir)).toEqual([".lectern.lock"]);
  });

  it("a folder, a link or a huge file at the lock's name is refused in one line, and left alone", async () => {
    for (const plant of [(path: string) => mkdir(path), (path: string) => symlink("/dev/zero", path), (path: string) => writeFile(path, "x".repeat(100_000))]) {
      const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
      await plant(join(outDir, ".lectern.lock"));
      const error = await lockError(build(article, { outDir, cacheDir: false, stages: [writing("epub")] }));
      expect(error.exitCode).toBe(73);
      expect(error.format()).toBe(`${outDir}: the lock file .lectern.lock is not one Lectern wrote (if no Lectern build is running, delete ${join(outDir, ".lectern.lock")})`);
      expect(await readdir(outDir)).toEqual([".lectern.lock"]);
    }
  });
});

describe("output folder lock: ownership", () => {
  it("releases only its own lock: a lock replaced during the build is left in place", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    const someoneElse = JSON.stringify({ lectern: "output-lock", pid: 1, host: "elsewhere", token: "not-ours" });
    const result = await build(article, {
      outDir,
      cacheDir: false,
      stages: [writing("epub", (folder) => writeFile(join(folder, ".lectern.lock"), someoneElse))],
    });
    expect(result.ok).toBe(true);
    expect(await readFile(join(outDir, ".lectern.lock"), "utf8")).toBe(someoneElse);
  });

  it("a lock held by another process refuses the build naming its pid; once that process is killed, the lock is taken over", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    const holder = lockingProcess(outDir);
    expect(await holder.said).toBe("locked");
    const lock = JSON.parse(await readFile(join(outDir, ".lectern.lock"), "utf8"));
    expect(lock).toMatchObject({ lectern: "output-lock", pid: holder.child.pid, started: startTicks(holder.child.pid!), token: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const error = await lockError(build(article, { outDir, cacheDir: false, stages: [writing("epub")] }));
    expect(error.message).toBe(`another Lectern build (pid ${holder.child.pid}) is writing to this folder`);
    holder.child.kill("SIGKILL");
    await once(holder.child, "close");
    expect((await build(article, { outDir, cacheDir: false, stages: [writing("epub")] })).ok).toBe(true);
    expect((await readdir(outDir)).sort()).toEqual(["al-hol-emptied.epub", "manifest.json"]);
  });

  it("the command, refused by a live lock: exit 73 and one line naming the folder and the other build", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    const holder = lockingProcess(outDir);
    expect(await holder.said).toBe("locked");
    const command = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli.ts"), "build", article, "--out", outDir, "--formats", "epub", "--no-cache"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    command.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(command, "close")) as [number | null];
    expect(code).toBe(73);
    expect(stderr.split("\n").filter((line) => line.startsWith("error:"))).toEqual([
      `error: ${outDir}: another Lectern build (pid ${holder.child.pid}) is writing to this folder (wait for it to finish, or choose another --out folder)`,
    ]);
  });

  it("four processes locking one folder at once: exactly one gets it, the others are told why", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    const contenders = Array.from({ length: 4 }, () => lockingProcess(outDir));
    const said = await Promise.all(contenders.map((contender) => contender.said));
    expect(said.filter((line) => line === "locked")).toHaveLength(1);
    for (const line of said.filter((text) => text !== "locked")) expect(line).toMatch(/^refused OUTPUT another Lectern build \(pid \d+\) is writing to this folder$/);
    expect((await readdir(outDir)).sort()).toEqual([".lectern.lock"]);
  });
});

describe("output folder lock: one process", () => {
  it("a second build of this process into the same folder, named through a symbolic link, is refused", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-lock-"));
    const outDir = join(folder, "out");
    await mkdir(outDir);
    await symlink(outDir, join(folder, "same-out"));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = build(article, { outDir, cacheDir: false, stages: [writing("epub", () => gate)] });
    while (!(await readdir(outDir)).includes(".lectern.lock")) await new Promise((resolve) => setImmediate(resolve));
    const error = await lockError(build(article, { outDir: join(folder, "same-out"), cacheDir: false, stages: [writing("epub")] }));
    expect(error.message).toBe("this process is already building into this folder");
    open();
    expect((await first).ok).toBe(true);
  });
});

describe("output folder lock: concurrent builds in one process (property)", () => {
  let document: LecternDocument;
  let readMessages: readonly Message[];
  beforeAll(async () => {
    ({ document, messages: readMessages } = await readDocument(article));
  });

  it("of several builds into one folder exactly one proceeds; the others fail with exit 73 naming the folder; no file lost; the lock is gone after", async () => {
    const root = await mkdtemp(join(tmpdir(), "lectern-lock-fuzz-"));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.array(fc.nat({ max: 3 }), { minLength: 6, maxLength: 6 }), async (count, delays) => {
        run += 1;
        const outDir = join(root, `run-${run}`);
        // Each build starts after a few turns of the event loop, so they meet the lock at
        // different points; a build that got in waits until every other has been refused (or
        // has got in too), so none can come after the winner released the folder.
        let refused = 0;
        let inside = 0;
        let open!: () => void;
        const gate = new Promise<void>((resolve) => (open = resolve));
        const check = () => refused + inside === count && open();
        const holding = writing("epub", async () => {
          inside += 1;
          check();
          await gate;
        });
        const builds = Array.from({ length: count }, async (_, index) => {
          for (let turn = 0; turn < delays[index]!; turn++) await new Promise((resolve) => setImmediate(resolve));
          return buildDocument(document, readMessages, { outDir, cacheDir: false, stages: [holding, writing("pdf")] }).catch((error: unknown) => {
            refused += 1;
            check();
            throw error;
          });
        });
        const settled = await Promise.allSettled(builds);
        const won = settled.filter((outcome) => outcome.status === "fulfilled");
        const lost = settled.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
        expect(won).toHaveLength(1);
        for (const { reason } of lost) {
          expect(reason).toBeInstanceOf(LecternError);
          expect((reason as LecternError).exitCode).toBe(73);
          expect((reason as LecternError).file).toBe(outDir);
          expect((reason as LecternError).message).toBe("this process is already building into this folder");
        }
        expect((await readdir(outDir)).sort()).toEqual(["al-hol-emptied.epub", "al-hol-emptied.pdf", "manifest.json"]);
      }),
      { numRuns: 25 },
    );
  });
});

describe("a lock's temporary file left empty by a killed build", () => {
  it("is removed by the next build's cleanup, old or just made (SIGKILL between creating and filling it)", async () => {
    const { mkdtemp, writeFile, readdir, utimes } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { removeLeftoverTemporaries } = await import("../../src/output/stale-files.js");
    const folder = await mkdtemp(join(tmpdir(), "lectern-lock-tmp-"));
    // tests/interrupt.test.ts found it: a SIGKILL 8 ms in left `.lectern-tmp-.lectern.lock-…` empty.
    const old = join(folder, ".lectern-tmp-.lectern.lock-e04adcc3");
    await writeFile(old, "");
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(old, longAgo, longAgo);
    await writeFile(join(folder, ".lectern-tmp-.lectern.lock-5eed5eed"), "");
    await removeLeftoverTemporaries(folder);
    expect(await readdir(folder)).toEqual([]);
  });
});
