// A small pool of audio worker threads: each instantiates its WASM once and takes jobs in turn.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { AudioJobKind, AudioJobReply, AudioJobRequest, AudioJobs } from "./audio-jobs.js";

/** The worker's entry file, resolved beside this module in src/ (tsx, vitest) and in dist/. */
const workerUrl = new URL("./audio-worker.mjs", import.meta.url);

interface PendingJob {
  readonly kind: AudioJobKind;
  readonly signal: AbortSignal | undefined;
  readonly job: AudioJobs[AudioJobKind]["job"];
  readonly transfer: readonly ArrayBuffer[];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface PoolWorker {
  readonly thread: Worker;
  busy: PendingJob | undefined;
}

/**
 * espeak-ng's data package (24 MB: every voice and dictionary), read once per process into
 * shared memory that every worker's espeak reads its files from, instead of a copy per worker
 * (docs/performance.md). Undefined when it cannot be read: each worker then loads its own.
 */
let espeakData: SharedArrayBuffer | undefined | null = null;

function sharedEspeakData(): SharedArrayBuffer | undefined {
  if (espeakData !== null) return espeakData;
  try {
    const bytes = readFileSync(new URL("espeak-ng.data", import.meta.resolve("@echogarden/espeak-ng-emscripten")));
    espeakData = new SharedArrayBuffer(bytes.length);
    new Uint8Array(espeakData).set(bytes);
  } catch {
    espeakData = undefined;
  }
  return espeakData;
}

/** Audio worker threads this process has started, over all pools (tests check a batch starts one pool's worth). */
let threadsStarted = 0;

export function audioWorkerThreadsStarted(): number {
  return threadsStarted;
}

/** Runs audio jobs on up to `size` worker threads, started on demand and reused. */
export class AudioWorkerPool {
  #size: number;
  readonly #workers: PoolWorker[] = [];
  readonly #queue: PendingJob[] = [];
  #nextId = 1;
  #closed = false;

  /** @param size Threads at most; default: CPU count, at least 1. */
  constructor(size = availableParallelism()) {
    if (!Number.isInteger(size) || size < 1) throw new TypeError(`Expected \`size\` to be a positive integer, got \`${String(size)}\` (${typeof size})`);
    this.#size = size;
  }

  /** Threads at most. */
  get size(): number {
    return this.#size;
  }

  /** Threads running now (started and not stopped). */
  get threads(): number {
    return this.#workers.length;
  }

  /** Allows up to `size` threads (never fewer than now): a larger user joined a shared pool. */
  grow(size: number): void {
    if (size > this.#size) this.#size = size;
    this.#dispatch();
  }

  /**
   * Starts every thread now and instantiates its WASM modules, so the first sections do not
   * wait for them: called while the EPUB and PDF are still being written. Never rejects.
   */
  warm(): void {
    for (let i = this.#workers.length; i < this.#size; i++) this.run("warm", {}).catch(() => undefined);
  }

  /**
   * Runs one job; `transfer` lists buffers handed to the worker without a copy. When `signal`
   * aborts, a queued job is dropped and a running one is stopped by terminating its thread
   * (a synchronous WASM call cannot be interrupted any other way); the pool starts a new one.
   */
  run<K extends AudioJobKind>(kind: K, job: AudioJobs[K]["job"], transfer: readonly ArrayBuffer[] = [], signal?: AbortSignal): Promise<AudioJobs[K]["result"]> {
    type Result = AudioJobs[K]["result"];
    if (this.#closed) return Promise.reject(new Error("the audio worker pool is closed"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Result>((resolve, reject) => {
      // The abort listener goes when the job settles: one signal serves every section of a run.
      const onAbort = (): void => this.#abort(pending);
      const settle = (): void => signal?.removeEventListener("abort", onAbort);
      const pending: PendingJob = {
        kind,
        job,
        transfer,
        signal,
        resolve: (value) => {
          settle();
          // The worker answers a job with its own kind's result (audio-jobs.ts).
          resolve(value as Result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(pending);
      this.#dispatch();
    });
  }

  #abort(pending: PendingJob): void {
    const queued = this.#queue.indexOf(pending);
    if (queued !== -1) {
      this.#queue.splice(queued, 1);
      pending.reject(pending.signal?.reason);
      return;
    }
    const worker = this.#workers.find((candidate) => candidate.busy === pending);
    if (!worker) return;
    worker.busy = undefined;
    this.#workers.splice(this.#workers.indexOf(worker), 1);
    pending.reject(pending.signal?.reason);
    void worker.thread.terminate();
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let worker = this.#workers.find((candidate) => candidate.busy === undefined);
      if (!worker && this.#workers.length < this.#size) worker = this.#spawn();
      if (!worker) return;
      const pending = this.#queue.shift()!;
      worker.busy = pending;
      const request = { id: this.#nextId++, kind: pending.kind, job: pending.job } as AudioJobRequest;
      worker.thread.postMessage(request, [...pending.transfer]);
    }
  }

  #spawn(): PoolWorker {
    threadsStarted++;
    const worker: PoolWorker = { thread: new Worker(workerUrl, { workerData: { espeakData: sharedEspeakData() } }), busy: undefined };
    worker.thread.on("message", (reply: AudioJobReply) => {
      const pending = worker.busy;
      worker.busy = undefined;
      if (pending) {
        if (reply.ok) pending.resolve(reply.result);
        else pending.reject(new Error(reply.error));
      }
      this.#dispatch();
    });
    const fail = (error: Error): void => {
      const pending = worker.busy;
      worker.busy = undefined;
      const index = this.#workers.indexOf(worker);
      if (index !== -1) this.#workers.splice(index, 1);
      pending?.reject(error);
      this.#dispatch();
    };
    worker.thread.on("error", fail);
    worker.thread.on("exit", (code) => {
      if (worker.busy) fail(new Error(`the audio worker stopped (exit code ${code})`));
    });
    this.#workers.push(worker);
    return worker;
  }

  /** Stops every thread; queued jobs are rejected. The process can exit afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) pending.reject(new Error("the audio worker pool was closed"));
    await Promise.all(this.#workers.splice(0).map((worker) => worker.thread.terminate()));
  }
}

/**
 * The one pool every build in this process shares (a batch of ten books runs on one set of
 * threads, not ten), reference-counted: `acquireAudioWorkerPool` borrows it, creating it on
 * first use and growing it to the largest size asked for; the last `release` closes it, so a
 * finished build leaves no thread behind and the process can exit.
 */
let shared: { pool: AudioWorkerPool; users: number } | undefined;

export interface AudioWorkerPoolLease {
  readonly pool: AudioWorkerPool;
  /** Gives the pool back; the last user's release stops its threads. Idempotent. */
  release(): Promise<void>;
}

/** Borrows the shared pool with at least `size` threads (see `shared`). */
export function acquireAudioWorkerPool(size = availableParallelism()): AudioWorkerPoolLease {
  if (!shared) shared = { pool: new AudioWorkerPool(size), users: 0 };
  const entry = shared;
  entry.users++;
  entry.pool.grow(size);
  let released = false;
  return {
    pool: entry.pool,
    async release() {
      if (released) return;
      released = true;
      entry.users--;
      if (entry.users === 0) {
        if (shared === entry) shared = undefined;
        await entry.pool.close();
      }
    },
  };
}

/** How many builds hold the shared pool now (0 when it is closed). For tests and diagnostics. */
export function sharedAudioWorkerPoolUsers(): number {
  return shared?.users ?? 0;
}
