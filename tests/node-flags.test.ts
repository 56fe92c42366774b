// The `lectern` command starts Node with a small young generation (src/cli.ts, first line):
// the npm scripts that start it must pass the same flags, and the line must work as written.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { version } from "../src/version.js";

const root = new URL("..", import.meta.url).pathname;
const shebang = readFileSync(join(root, "src/cli.ts"), "utf8").split("\n", 1)[0]!;
const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("the Node flags the command runs with", () => {
  const match = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)+)$/.exec(shebang);
  const flags = match?.[1]?.trim() ?? "";

  it("are on the command's first line, in the form `env -S` reads", () => {
    expect(match).not.toBeNull();
    expect(flags).toContain("--max-semi-space-size=");
  });

  it.each(["start", "lectern"])("are passed by `npm %s`", (name) => {
    expect(scripts[name]).toMatch(new RegExp(`\\bnode ${flags.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `));
  });

  it("are accepted by this Node: the compiled command runs through its own first line", () => {
    const compiled = join(root, "dist/cli.js");
    // dist/ is compiled by `npm install` (the `prepare` script); without it there is nothing to run.
    if (!existsSync(compiled)) return;
    expect(readFileSync(compiled, "utf8").split("\n", 1)[0]).toBe(shebang);
    const result = spawnSync("/usr/bin/env", ["-S", `node ${flags}`, compiled, "--version"], { encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(version);
  });
});
