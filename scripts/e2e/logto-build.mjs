// Unpacks, installs and builds Logto (core and CLI only) once per source, under a git-ignored
// cache directory, so later runs start from a ready tree.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { runLogged } from './processes.mjs';

const git = (directory, args) => spawnSync('git', ['-C', directory, ...args], { encoding: 'utf8' });

const sha256OfFile = (file) =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });

/** `{ key, unpack(into) }` for a `.tar.gz` (keyed by its hash) or a git checkout (keyed by HEAD). */
const describeSource = async (source) => {
  const absolute = path.resolve(source);
  if (!existsSync(absolute)) {
    throw new Error(`LOGTO_SOURCE ${source} does not exist`);
  }
  if (statSync(absolute).isFile()) {
    const key = `tgz-${(await sha256OfFile(absolute)).slice(0, 16)}`;
    // The tarball holds one top-level folder (logto/); strip it so every source unpacks alike.
    return { key, unpack: (into, logFile) => runLogged('tar', 'tar', ['-xzf', absolute, '-C', into, '--strip-components=1'], { logFile }) };
  }
  const head = git(absolute, ['rev-parse', 'HEAD']);
  if (head.status !== 0) {
    throw new Error(`LOGTO_SOURCE ${source} is a directory but not a git checkout; give a .tar.gz instead`);
  }
  if (git(absolute, ['status', '--porcelain']).stdout.trim()) {
    console.error(`[e2e:logto] note: ${source} has uncommitted changes; only its HEAD is used`);
  }
  const key = `git-${head.stdout.trim().slice(0, 16)}`;
  // `git archive` exports exactly HEAD, without the checkout's own node_modules or build output.
  return {
    key,
    unpack: (into, logFile) => runLogged('git archive', 'sh', ['-c', 'git -C "$1" archive HEAD | tar -x -C "$2"', 'sh', absolute, into], { logFile }),
  };
};

/**
 * Core's build copies its OpenAPI files with rsync, which many machines lack; the bundle itself is
 * built by tsup. Run tsup without that hook and copy the files here.
 */
const buildCore = (logtoDir, options) => {
  const coreDir = path.join(logtoDir, 'packages', 'core');
  runLogged('core build', 'pnpm', ['--filter', '@logto/core', 'exec', 'tsup', '--onSuccess', 'true'], options);
  cpSync(path.join(coreDir, 'src', 'routes'), path.join(coreDir, 'build', 'routes'), {
    recursive: true,
    filter: (entry) => statSync(entry).isDirectory() || entry.endsWith('.openapi.json'),
  });
};

/** The directory of a built Logto for `source`, building it first unless the cache has it. */
export const prepareLogto = async ({ source, cacheRoot, logDir, env }) => {
  const { key, unpack } = await describeSource(source);
  const cacheDir = path.join(cacheRoot, `logto-${key}`);
  const logtoDir = path.join(cacheDir, 'logto');
  const readyMarker = path.join(cacheDir, 'ready');
  if (existsSync(readyMarker)) {
    return { logtoDir, cached: true };
  }
  // A half-built tree from an interrupted run is not trusted: start over.
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(logtoDir, { recursive: true });
  const logFile = path.join(logDir, 'logto-build.log');
  const options = { cwd: logtoDir, env, logFile, timeoutMs: 900_000 };
  console.error(`[e2e:logto] building Logto from ${source} into ${path.relative(process.cwd(), cacheDir)} (first run only, a few minutes)`);
  unpack(logtoDir, logFile);
  runLogged('pnpm install', 'pnpm', ['install', '--filter', '@logto/core...', '--no-frozen-lockfile'], options);
  runLogged('build core dependencies', 'pnpm', ['-r', '--filter', '@logto/core^...', 'build'], options);
  buildCore(logtoDir, options);
  writeFileSync(readyMarker, `${new Date().toISOString()}\n`);
  return { logtoDir, cached: false };
};
