// Reads and edits content-cache records the way someone with write access to the cache
// folder could: for the tests that treat the cache as untrusted input. The format is
// content-cache.ts's: `lectern-cache-record <format> <sha256 of the body>\n<body JSON>`.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The stage-output entry's meta, as the tests edit it. */
export interface StageOutputMetaForTests {
  files: { path: string; bytes: number; sha256: string }[];
  reads: { source: string; directory: string; outcome: string }[];
  warnings: unknown[];
  manifest: Record<string, unknown>;
}

export interface RecordFile {
  readonly key: string;
  readonly recordPath: string;
  readonly dataPath: string;
  readonly meta: StageOutputMetaForTests;
}

interface RecordBody {
  key: string;
  data: { bytes: number; sha256: string };
  meta: unknown;
}

const header = /^lectern-cache-record (\d+) ([0-9a-f]{64})\n/;

export function parseRecord(text: string): { format: number; digest: string; body: RecordBody } {
  const match = header.exec(text);
  if (!match) throw new Error("not a format-2 record");
  return { format: Number(match[1]), digest: match[2]!, body: JSON.parse(text.slice(match[0].length)) as RecordBody };
}

/** A record's text; with `digest`, that digest instead of the body's true one (a careless edit). */
export function serialiseRecord(format: number, body: RecordBody, digest?: string): string {
  const text = JSON.stringify(body);
  return `lectern-cache-record ${format} ${digest ?? createHash("sha256").update(text).digest("hex")}\n${text}`;
}

/** Every record in the cache whose meta looks like a stage-output entry's. */
export async function stageOutputRecords(cacheDir: string): Promise<RecordFile[]> {
  const found: RecordFile[] = [];
  for (const shard of await readdir(cacheDir)) {
    for (const name of await readdir(join(cacheDir, shard)).catch(() => [] as string[])) {
      const match = /^([0-9a-f]{64})\.json$/.exec(name);
      if (!match) continue;
      const recordPath = join(cacheDir, shard, name);
      const meta = parseRecord(await readFile(recordPath, "utf8")).body.meta as StageOutputMetaForTests;
      if (!Array.isArray(meta?.files)) continue;
      found.push({ key: match[1]!, recordPath, dataPath: join(cacheDir, shard, `${match[1]}.bin`), meta });
    }
  }
  return found;
}

/**
 * Edits the record's meta in place. `rehash`: recompute the record's own digest, as a careful
 * forger would (else the old digest stays). `dataSha256`: also claim the entry's data has this hash.
 */
export async function editRecord(record: RecordFile, edit: (meta: StageOutputMetaForTests) => void, options: { rehash?: boolean; dataSha256?: string } = {}): Promise<void> {
  const parsed = parseRecord(await readFile(record.recordPath, "utf8"));
  edit(parsed.body.meta as StageOutputMetaForTests);
  if (options.dataSha256) parsed.body.data.sha256 = options.dataSha256;
  await writeFile(record.recordPath, serialiseRecord(parsed.format, parsed.body, options.rehash ? undefined : parsed.digest));
}
