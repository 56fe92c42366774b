// Image files for every output: confined to the document's folder, never fetched, typed by their bytes.
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageAssets } from "../../src/stages/epub/assets.js";
import { readImageFile, sniffImageType } from "../../src/stages/shared/image-files.js";

const redSquare = join(import.meta.dirname, "../fixtures/every-construct/images/red-square.png");

describe("readImageFile", () => {
  let root: string;
  let folder: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "lectern-image-files-"));
    folder = join(root, "book");
    await mkdir(join(folder, "images"), { recursive: true });
    await copyFile(redSquare, join(folder, "images", "red square.png"));
    await copyFile(redSquare, join(folder, "images", "a#b.png"));
    await copyFile(redSquare, join(root, "secret.png"));
    await writeFile(join(folder, "images", "notes.txt"), "not an image");
    await symlink(join(root, "secret.png"), join(folder, "images", "escape.png"));
    await symlink(join(folder, "images", "red square.png"), join(folder, "images", "alias.png"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ["images/red%20square.png", "file"],
    ["images/red square.png?v=2#frag", "file"],
    ["images/a%23b.png", "file"],
    ["https://example.org/x.png", "image-remote-dropped"],
    ["//example.org/x.png", "image-remote-dropped"],
    ["data:image/png;base64,AAAA", "image-remote-dropped"],
    ["../secret.png", "image-outside-folder"],
    ["images/escape.png", "image-outside-folder"],
    ["images/missing.png", "image-missing"],
    ["images", "image-missing"],
    ["images/%E0%A4%A.png", "image-missing"],
  ])("%s → %s", async (source, expected) => {
    const result = await readImageFile(source, folder);
    expect(result.kind === "file" ? "file" : result.rule).toBe(expected);
    if (result.kind === "unavailable") expect(result.reason).toContain(source.slice(0, 20));
  });

  it("takes absolute paths and file: URLs only inside the folder", async () => {
    expect((await readImageFile(join(root, "secret.png"), folder)).kind).toBe("unavailable");
    expect(await readImageFile(pathToFileURL(join(root, "secret.png")).href, folder)).toMatchObject({ rule: "image-outside-folder" });
    expect(await readImageFile(pathToFileURL(join(folder, "images", "red square.png")).href, folder)).toMatchObject({ kind: "file", mediaType: "image/png" });
  });

  it("types files by their bytes, not their names", async () => {
    expect(await readImageFile("images/notes.txt", folder)).toMatchObject({ kind: "file", mediaType: undefined });
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffImageType(new TextEncoder().encode('\uFEFF <svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe("image/svg+xml");
    expect(sniffImageType(new Uint8Array([0x89, 0x50]))).toBeUndefined();
  });

  it("EPUB: one file under two names (a symbolic link inside the folder) is packaged once", async () => {
    const assets = new ImageAssets(folder);
    const first = await assets.resolve("images/red%20square.png");
    const second = await assets.resolve("images/alias.png");
    expect(first).toEqual(second);
    expect(assets.images).toHaveLength(1);
  });
});
