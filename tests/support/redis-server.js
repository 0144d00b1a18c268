// A throw-away redis-server (Debian's) on a free loopback port, for the tests, the bench and the
// end-to-end run: nothing saved to disk, stopped by its PID. Found at REDIS_SERVER_PATH, in
// /usr/bin or on PATH; without one, callers skip with `missingRedisMessage` unless REQUIRE_REDIS=1.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from '../../scripts/e2e/processes.mjs';

export const missingRedisMessage =
  'no redis-server found (install Debian\'s redis-server, or set REDIS_SERVER_PATH); REQUIRE_REDIS=1 makes this a failure';

export const redisRequired = () => process.env.REQUIRE_REDIS === '1';

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The redis-server binary, or undefined. */
export const findRedisServer = () => {
  const candidates = [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'];
  const found = candidates.find((file) => file && executable(file));
  if (found) {
    return found;
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
};

/** redis-cli beside the server (Debian's redis-tools), for building a cluster; or undefined. */
export const findRedisCli = (server = findRedisServer()) => {
  const beside = server && path.join(path.dirname(server), 'redis-cli');
  return beside && executable(beside) ? beside : undefined;
};

/** One PING over a raw socket: true on +PONG within `timeoutMs`. */
const pings = (port, timeoutMs = 500) =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });

/**
 * Starts redis-server on a free loopback port and resolves once it answers PING. `extraArgs` are
 * more server options (e.g. cluster mode); `port` a port to reuse. The handle stops it by PID (`stop`), kills it hard
 * (`kill`), or freezes and thaws it (`pause`, `resume`) so a test can make it late.
 */
export const startRedisServer = async ({ binary = findRedisServer(), extraArgs = [], port: wanted } = {}) => {
  if (!binary) {
    throw new Error(missingRedisMessage);
  }
  const port = wanted ?? (await freePort());
  const directory = mkdtempSync(path.join(tmpdir(), 'redis-test-'));
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory, ...extraArgs],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-2_000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) {
      break;
    }
    if (await pings(port)) {
      const signal = (name) => {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(child.pid, name);
        }
      };
      const stopWith = async (name) => {
        signal('SIGCONT');
        signal(name);
        const timer = setTimeout(() => signal('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
        rmSync(directory, { recursive: true, force: true });
      };
      return {
        port,
        pid: child.pid,
        url: `redis://127.0.0.1:${port}`,
        stop: () => stopWith('SIGTERM'),
        kill: () => stopWith('SIGKILL'),
        pause: () => signal('SIGSTOP'),
        resume: () => signal('SIGCONT'),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.exitCode === null) {
    process.kill(child.pid, 'SIGKILL');
  }
  await exited;
  rmSync(directory, { recursive: true, force: true });
  throw new Error(`redis-server did not answer on port ${port}: ${stderr.trim()}`);
};
