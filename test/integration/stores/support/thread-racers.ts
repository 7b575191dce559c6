import { Worker } from 'node:worker_threads';

/**
 * Runs TypeScript modules in worker threads, each with its own SQLite connection, and releases
 * them at the same instant: the only way to race better-sqlite3, whose calls are synchronous and
 * so never interleave inside one thread.
 *
 * Worker threads cannot load .ts files by themselves; this small bootstrap compiles them on
 * `require` with the project's own TypeScript compiler (types are erased, nothing is checked).
 */
const bootstrap = `
const { readFileSync } = require('node:fs');
const ts = require('typescript');
const { workerData } = require('node:worker_threads');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, filename);
};
require(workerData.entry);
`;

/** The slots of the shared start barrier. */
export const READY = 0;
export const GO = 1;

export interface RacerData<Task> {
  /** The worker module (a .ts file). */
  entry: string;
  /** Int32Array slots: READY counts racers at the line, GO flips to 1 to start them all. */
  barrier: SharedArrayBuffer;
  task: Task;
}

/**
 * Starts one thread per task, waits until every one is at the start line (set up, connection
 * open), then releases them together and collects what each posts back.
 */
export async function raceThreads<Task, Result>(entry: string, tasks: readonly Task[]): Promise<Result[]> {
  const barrier = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const slots = new Int32Array(barrier);
  const workers = tasks.map(
    (task) =>
      new Worker(bootstrap, { eval: true, workerData: { entry, barrier, task } satisfies RacerData<Task> }),
  );
  try {
    const results = workers.map(
      (worker) =>
        new Promise<Result>((resolve, reject) => {
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`racer exited with code ${code} before answering`)));
          worker.on('message', (message: { ready?: true; result?: Result; error?: string }) => {
            if (message.error !== undefined) reject(new Error(message.error));
            else if (message.result !== undefined) resolve(message.result);
          });
        }),
    );
    await waitUntil(() => Atomics.load(slots, READY) === tasks.length, results);
    Atomics.store(slots, GO, 1);
    Atomics.notify(slots, GO);
    return await Promise.all(results);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/**
 * How long the racers may take to reach the start line: each thread loads TypeScript and compiles
 * the store modules first, which takes tens of seconds on a busy two-core machine.
 */
export const START_LINE_TIMEOUT_MS = 90_000;

/** Polls `done` without blocking this thread's event loop; fails early if a racer fails. */
async function waitUntil(done: () => boolean, racers: Promise<unknown>[]): Promise<void> {
  const failed = Promise.all(racers).then(() => undefined);
  const deadline = Date.now() + START_LINE_TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`racers did not reach the start line in ${START_LINE_TIMEOUT_MS / 1000} s`);
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 5)), failed]);
  }
}

/** In a racer: report ready, then block until every racer is released at once. */
export function awaitStart(barrier: SharedArrayBuffer): void {
  const slots = new Int32Array(barrier);
  Atomics.add(slots, READY, 1);
  Atomics.wait(slots, GO, 0);
}
