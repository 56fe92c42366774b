// Pins the library's public exports: removing or renaming one is a breaking change.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as lectern from "../src/index.js";

describe("public API", () => {
  it("exports exactly these values", () => {
    expect(Object.keys(lectern).sort()).toEqual(
      [
        "LecternError",
        "build",
        "buildAll",
        "buildDocument",
        "findSources",
        "formatMessage",
        "parseSource",
        "readDocument",
        "sourceExtensions",
        "stageNames",
        "stages",
        "version",
      ].sort(),
    );
    expect(lectern.stageNames).toEqual(["epub", "pdf", "audio", "talking-epub"]);
  });

  it("the package entry points at the compiled library, built by `prepare` on install", () => {
    const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(packageJson.exports["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    expect(packageJson.scripts.prepare).toBe("tsc -p tsconfig.build.json");
    // After `npm install`/`npm ci` the build exists (CI runs exactly that).
    if (process.env.CI) expect(existsSync(new URL("../dist/index.js", import.meta.url))).toBe(true);
  });
});
