// The layer rules (document/ below everything, tts/ and cache/ below the stages, audio/ at the
// bottom) and the import-cycle rule, as biome.jsonc states them: they hold over src/, and they
// fail on a planted violation of each, so a rule that stopped matching would be noticed.
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const biome = join(root, "node_modules", ".bin", "biome");
const layerRules = ["--only=suspicious/noImportCycles", "--only=style/noRestrictedImports"];

interface Finding {
  readonly rule: string;
  readonly file: string;
}

/** Runs Biome's linter with only the layer and cycle rules; one finding per diagnostic. */
function lintLayers(cwd: string, configPath: string, target: string): Promise<{ code: number; findings: Finding[]; output: string }> {
  return new Promise((resolve) => {
    execFile(biome, ["lint", "--reporter=github", "--max-diagnostics=none", `--config-path=${configPath}`, ...layerRules, target], { cwd }, (error, stdout, stderr) => {
      const findings = [...stdout.matchAll(/^::error title=lint\/([\w/]+),file=([^,]+),/gm)].map((match) => ({ rule: match[1]!, file: relative(cwd, match[2]!) }));
      resolve({ code: typeof error?.code === "number" ? error.code : 0, findings, output: stdout + stderr });
    });
  });
}

describe("layers that import downward only", () => {
  const folders: string[] = [];
  afterAll(async () => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

  it("src/ has no import cycle and no import against the layers", async () => {
    const result = await lintLayers(root, join(root, "biome.jsonc"), "src");
    expect(result.findings, result.output).toEqual([]);
    expect(result.code, result.output).toBe(0);
  });

  it("a planted cycle and an import against each layer rule fail the check", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-layers-"));
    folders.push(folder);
    // The project's own rules, on a tree that is not a git checkout.
    // biome.jsonc has whole-line // comments only (the reason for each rule turned off).
    const configText = (await readFile(join(root, "biome.jsonc"), "utf8")).replace(/^\s*\/\/.*$/gm, "");
    const config = JSON.parse(configText) as { vcs?: unknown; files?: unknown; $schema?: string };
    delete config.vcs;
    delete config.$schema;
    config.files = { includes: ["src/**"] };
    await writeFile(join(folder, "biome.json"), JSON.stringify(config));
    const files: Record<string, string> = {
      "src/document/model.ts": 'import { stageNames } from "../stages/index.js";\nexport const names = stageNames;\n',
      "src/document/speech/index.ts": 'import { speak } from "../../tts/engine.js";\nexport const say = speak;\n',
      "src/tts/engine.ts": 'import { frames } from "../stages/audio/mp3-frames.js";\nexport const speak = frames;\n',
      "src/cache/content-cache.ts": 'import type { Stage } from "../stages/stage.js";\nexport type Cached = Stage;\n',
      "src/audio/mastering.ts": 'import { speak } from "../tts/engine.js";\nexport const master = speak;\n',
      "src/stages/index.ts": 'import { later } from "./stage.js";\nexport const stageNames = [later];\n',
      "src/stages/stage.ts": 'import { stageNames } from "./index.js";\nexport const later = "x";\nexport const all = stageNames;\nexport interface Stage { name: string }\n',
      "src/stages/audio/mp3-frames.ts": "export const frames = 1;\n",
      "src/stages/fine.ts": 'import { master } from "../audio/mastering.js";\nimport { names } from "../document/model.js";\nexport const fine = [master, names];\n',
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(folder, path)), { recursive: true });
      await writeFile(join(folder, path), text);
    }
    const result = await lintLayers(folder, join(folder, "biome.json"), "src");
    expect(result.code, result.output).not.toBe(0);
    const restricted = result.findings
      .filter((finding) => finding.rule === "style/noRestrictedImports")
      .map((finding) => finding.file)
      .sort();
    expect(restricted, result.output).toEqual(
      ["src/audio/mastering.ts", "src/cache/content-cache.ts", "src/document/model.ts", "src/document/speech/index.ts", "src/tts/engine.ts"].map((path) =>
        join(...path.split("/")),
      ),
    );
    const cyclic = new Set(result.findings.filter((finding) => finding.rule === "suspicious/noImportCycles").map((finding) => finding.file));
    expect([...cyclic].sort(), result.output).toEqual([join("src", "stages", "index.ts"), join("src", "stages", "stage.ts")]);
  });
});
