// How much CPU this machine actually gives two busy threads right now. On a shared virtual
// machine two "cores" can deliver far less than two cores' worth (measured here: 0.7 to 1.9),
// which moves every wall-clock figure; the benchmark records it next to its results.
import { Worker } from "node:worker_threads";

const spinner = `
const { parentPort, workerData } = require("node:worker_threads");
const until = Date.now() + workerData;
let x = 0;
while (Date.now() < until) for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);
parentPort.postMessage(x);
`;

/** CPU seconds obtained per wall second by `threads` threads spinning for `milliseconds`. */
export async function effectiveCores(threads: number, milliseconds = 1500): Promise<number> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(spinner, { eval: true, workerData: milliseconds });
          worker.once("message", () => void worker.terminate().then(resolve, reject));
          worker.once("error", reject);
        }),
    ),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return (cpu.user + cpu.system) / 1e6 / ((performance.now() - started) / 1000);
}
