// The shared audio worker pool: one set of threads per process, borrowed and given back.
import { describe, expect, it } from "vitest";
import { acquireAudioWorkerPool, AudioWorkerPool, sharedAudioWorkerPoolUsers } from "../../src/tts/worker-pool.js";

describe("acquireAudioWorkerPool", () => {
  it("lends the same pool to every user, grows it to the largest size asked, and closes it with the last release", async () => {
    const first = acquireAudioWorkerPool(1);
    const second = acquireAudioWorkerPool(2);
    expect(second.pool).toBe(first.pool);
    expect(first.pool.size).toBe(2);
    expect(sharedAudioWorkerPoolUsers()).toBe(2);

    await first.release();
    await first.release(); // idempotent: does not release the other user's share
    expect(sharedAudioWorkerPoolUsers()).toBe(1);
    await expect(second.pool.run("voices", {})).resolves.toMatchObject({ sampleRate: 22050 });

    await second.release();
    expect(sharedAudioWorkerPoolUsers()).toBe(0);
    await expect(second.pool.run("voices", {})).rejects.toThrow(/closed/);

    const third = acquireAudioWorkerPool(1);
    expect(third.pool).not.toBe(first.pool);
    await third.release();
  });
});

describe("AudioWorkerPool.warm", () => {
  it("starts every thread at once, each loading its WASM, without waiting for work", async () => {
    const pool = new AudioWorkerPool(2);
    try {
      expect(pool.threads).toBe(0);
      pool.warm();
      expect(pool.threads).toBe(2);
      pool.warm(); // already warm: no more threads
      expect(pool.threads).toBe(2);
      await expect(pool.run("warm", {})).resolves.toEqual({});
    } finally {
      await pool.close();
    }
  });
});
