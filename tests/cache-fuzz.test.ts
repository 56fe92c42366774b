// Random damage to a real cache — bytes flipped, files cut short, record fields set to hostile
// values (with the record's digest recomputed, as a forger would, or not), files swapped
// between entries, replaced by links to copies outside the cache or by folders — never
// changes what a build writes: the EPUB and PDF are byte for byte a clean build's, the build
// succeeds, and nothing appears or changes outside `--out` and the cache.
import { createHash } from "node:crypto";
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentCache } from "../src/cache/content-cache.js";
import { isArrayOf, isObjectOf, isString } from "../src/cache/record-shape.js";
import { build } from "../src/pipeline.js";
import { parseRecord, serialiseRecord } from "./helpers/cache-records.js";

const images = new URL("./fixtures/every-construct/images/", import.meta.url).pathname;
// Each damaged build makes the EPUB and PDF again (≈ 0.5 s): a handful of runs by default.
const runs = Number(process.env.LECTERN_FUZZ_RUNS ?? 6);
const seed = Number(process.env.LECTERN_FUZZ_SEED ?? 20261201);

let folder: string;
let book: string;
let template: string;
let clean: { epub: Buffer; pdf: Buffer };

beforeAll(async () => {
  folder = await realpath(await mkdtemp(join(tmpdir(), "lectern-cache-fuzz-")));
  await cp(images, join(folder, "book", "images"), { recursive: true });
  book = join(folder, "book", "note.md");
  // Small, with an image the stages read and one they report missing (reads and warnings in the records).
  await writeFile(
    book,
    "---\ntitle: A Small Note\nlang: en\ndate: 2026-01-01\n---\n\n## One\n\nA paragraph with a picture.\n\n![A red square](images/red-square.png)\n\n![Gone](images/missing.png)\n\n## Two\n\nThe end.\n",
  );
  template = join(folder, "template-cache");
  const cold = await build(book, { outDir: join(folder, "clean"), cacheDir: template, formats: ["epub", "pdf"] });
  expect(cold.ok).toBe(true);
  clean = { epub: await readFile(join(cold.outDir, "note.epub")), pdf: await readFile(join(cold.outDir, "note.pdf")) };
}, 60_000);

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Values a hostile record might hold where a path, a size, a hash or a list belongs. */
const hostileValue = fc.oneof(
  fc.constantFrom("../../escaped", "/tmp/absolute", "", "note\0.epub", "manifest.json", "note.pdf", "a/../../b", "..", "C:\\x", -1, 0, 1, 2 ** 53, 1e308, null, true, [], {}),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString("hex")),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), file: fc.nat(), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate" as const), file: fc.nat(), keep: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
  fc.record({ kind: fc.constant("field" as const), file: fc.nat(), walk: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), value: hostileValue, rehash: fc.boolean() }),
  fc.record({ kind: fc.constant("swap" as const), file: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant("link" as const), file: fc.nat() }),
  fc.record({ kind: fc.constant("folder" as const), file: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

async function cacheFiles(cacheDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const shard of (await readdir(cacheDir)).sort()) {
    for (const name of (await readdir(join(cacheDir, shard))).sort()) files.push(join(cacheDir, shard, name));
  }
  return files;
}

/** Sets the value at a random path inside the record's body (each step picks a key or index). */
function setAlongWalk(body: unknown, walk: readonly number[], value: unknown): void {
  let node = body as Record<string, unknown>;
  for (const [step, choice] of walk.entries()) {
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[choice % keys.length]!;
    const child = node[key];
    if (step === walk.length - 1 || child === null || typeof child !== "object") {
      node[key] = value;
      return;
    }
    node = child as Record<string, unknown>;
  }
}

async function mutate(files: readonly string[], change: Mutation, outside: string): Promise<void> {
  const file = files[change.file % files.length]!;
  // Already a link, a folder or gone after an earlier mutation: left as it is.
  if (!(await lstat(file).catch(() => undefined))?.isFile()) return;
  const bytes = await readFile(file);
  switch (change.kind) {
    case "flip": {
      if (bytes.length === 0) return;
      bytes[change.at % bytes.length]! ^= change.xor;
      await writeFile(file, bytes);
      return;
    }
    case "truncate":
      await truncate(file, Math.floor(bytes.length * change.keep));
      return;
    case "field": {
      if (!file.endsWith(".json")) return;
      let record;
      try {
        record = parseRecord(bytes.toString("utf8"));
      } catch {
        return;
      }
      setAlongWalk(record.body, change.walk, change.value);
      await writeFile(file, serialiseRecord(record.format, record.body, change.rehash ? undefined : record.digest));
      return;
    }
    case "swap": {
      const other = files[change.other % files.length]!;
      if (!(await lstat(other).catch(() => undefined))?.isFile()) return;
      const otherBytes = await readFile(other);
      await writeFile(file, otherBytes);
      await writeFile(other, bytes);
      return;
    }
    case "link": {
      // A genuine copy outside the cache: were the link followed, it would verify.
      const copy = join(outside, `${createHash("sha256").update(file).digest("hex").slice(0, 8)}-${file.split("/").pop()}`);
      await rename(file, copy);
      await symlink(copy, file);
      return;
    }
    case "folder":
      await rm(file);
      await mkdir(file);
      return;
  }
}

/** Every file under `root` with its bytes' hash and time (a link as `link`), skipping the named subfolders. */
async function snapshot(root: string, skip: readonly string[]): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const inside = path.slice(root.length + 1);
    if (skip.some((name) => inside === name || inside.startsWith(`${name}/`))) continue;
    // A file's bytes and its modification time: touching a file outside (say, through a link) is a change too.
    const info = await lstat(path);
    found[inside] = entry.isDirectory()
      ? "folder"
      : entry.isSymbolicLink()
        ? "link"
        : `${createHash("sha256")
            .update(await readFile(path))
            .digest("hex")} ${info.mtimeMs}`;
  }
  return found;
}

describe("a randomly damaged cache", () => {
  it("never changes the EPUB and PDF a build writes, nor anything outside --out", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (changes) => {
        run += 1;
        // Output two levels down, so `../../escaped` would land inside this run's folder.
        const place = join(folder, "runs", String(run));
        const cacheDir = join(place, "cache");
        const outside = join(place, "outside");
        await mkdir(outside, { recursive: true });
        await cp(template, cacheDir, { recursive: true });
        const files = await cacheFiles(cacheDir);
        for (const change of changes) await mutate(files, change, outside);
        const before = await snapshot(place, ["cache", "out"]);
        const bookBefore = await snapshot(join(folder, "book"), []);

        const result = await build(book, { outDir: join(place, "out", "note"), cacheDir, formats: ["epub", "pdf"] });
        const what = JSON.stringify(changes);
        expect(result.ok, what).toBe(true);
        expect((await readFile(join(result.outDir, "note.epub"))).equals(clean.epub), what).toBe(true);
        expect((await readFile(join(result.outDir, "note.pdf"))).equals(clean.pdf), what).toBe(true);
        expect((await readdir(result.outDir)).sort(), what).toEqual(["manifest.json", "note.epub", "note.pdf"]);
        expect(await snapshot(place, ["cache", "out"]), what).toEqual(before);
        expect(await snapshot(join(folder, "book"), []), what).toEqual(bookBefore);
        expect(await readdir(join(place, "out")), what).toEqual(["note"]);
        await rm(place, { recursive: true, force: true });
      }),
      { numRuns: runs, seed },
    );
  }, 120_000);

  it("never hands a caller data or meta other than what was stored, or of the wrong shape", async () => {
    const isMeta = isObjectOf({ sentences: isArrayOf(isString) });
    const cacheDir = join(folder, "entries");
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 64 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (data, sentences, changes) => {
          await rm(cacheDir, { recursive: true, force: true });
          const outside = join(folder, "entries-outside");
          await rm(outside, { recursive: true, force: true });
          await mkdir(outside, { recursive: true });
          const cache = new ContentCache(cacheDir);
          const key = ContentCache.key({ data: [...data], sentences });
          await cache.put(key, data, { sentences });
          await cache.put(ContentCache.key("a neighbour"), Buffer.from("neighbour"), { sentences: ["n"] });
          const files = await cacheFiles(cacheDir);
          for (const change of changes) await mutate(files, change, outside);
          const outsideBefore = await snapshot(outside, []);
          const entry = await cache.get(key, isMeta);
          if (entry) {
            // Only a forger who rewrote a sentence and the digest gets different meta through; it is still of the shape.
            expect(isMeta(entry.meta)).toBe(true);
            expect(Buffer.from(entry.data).equals(Buffer.from(data))).toBe(true);
          }
          await cache.prune(1, Date.now() + 1000);
          expect(await snapshot(outside, [])).toEqual(outsideBefore);
        },
      ),
      { numRuns: runs * 40, seed },
    );
  }, 60_000);
});
