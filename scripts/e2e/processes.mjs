// Child processes the end-to-end run owns: each is tracked by PID and stopped at the end, and
// every wait is bounded in attempts and time so a stuck server fails the run instead of hanging it.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Map(); // pid -> handle of a process not yet exited

/** A port that was free on 127.0.0.1 a moment ago. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Polls `probe` until it returns a truthy value; throws after `attempts` tries or `timeoutMs`. */
export const waitFor = async (what, probe, { attempts = 120, intervalMs = 500, timeoutMs = 60_000 } = {}) => {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (let attempt = 0; attempt < attempts && Date.now() < deadline; attempt += 1) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
};

/** Runs a command to completion with its output in `logFile`; throws with the log's tail on failure. */
export const runLogged = (name, command, args, { logFile, timeoutMs = 600_000, ...options }) => {
  const fd = openSync(logFile, 'a');
  try {
    const result = spawnSync(command, args, { stdio: ['ignore', fd, fd], timeout: timeoutMs, ...options });
    if (result.status !== 0) {
      throw new Error(`${name} failed (exit ${result.status ?? result.signal}); last lines of ${logFile}:\n${tail(logFile)}`);
    }
  } finally {
    closeSync(fd);
  }
};

export const tail = (logFile, lines = 30) => {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

/** Starts a long-running server with its output in `logFile`; `stopSignal` is how it is asked to stop. */
export const startProcess = (name, command, args, { logFile, stopSignal = 'SIGTERM', ...options }) => {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], ...options });
  closeSync(fd);
  return adoptProcess(name, child, { stopSignal });
};

/** Tracks a child someone else spawned (e.g. Playwright's Chromium) so stopAll() stops it too. */
export const adoptProcess = (name, child, { stopSignal = 'SIGTERM' } = {}) => {
  if (child.pid === undefined) {
    throw new Error(`could not start ${name}`);
  }
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child.pid);
      resolve({ code, signal });
    }),
  );
  const handle = { name, pid: child.pid, exited, stopSignal, isRunning: () => running.has(child.pid) };
  running.set(child.pid, handle);
  return handle;
};

/** Stops one process by PID: its stop signal first, SIGKILL if it is still there after `graceMs`. */
export const stopProcess = async ({ pid, exited, stopSignal }, { graceMs = 10_000 } = {}) => {
  if (!running.has(pid)) {
    return;
  }
  process.kill(pid, stopSignal);
  const stopped = await Promise.race([exited.then(() => true), sleep(graceMs, false, { ref: false })]);
  if (!stopped && running.has(pid)) {
    process.kill(pid, 'SIGKILL');
    await exited;
  }
};

/** Stops everything still running, newest first (core before the database it uses). */
export const stopAll = async () => {
  for (const handle of [...running.values()].reverse()) {
    await stopProcess(handle);
  }
};
