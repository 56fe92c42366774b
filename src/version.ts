// Lectern's version, recorded in manifests, EPUB/PDF producer fields and cache keys.
import { createRequire } from "node:module";

const packageJson = createRequire(import.meta.url)("../package.json") as { version: string };

export const version: string = packageJson.version;
