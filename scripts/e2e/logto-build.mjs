// Unpacks, installs and builds Logto (core and CLI; on request the console and experience apps)
// once per source, under a git-ignored cache directory, so later runs start from a ready tree.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, createReadStream, existsSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

const frontEnds = ['console', 'experience'];

/**
 * Builds Logto's console and experience apps from `source` once (cached beside core's build as
 * `logto-<key>-frontends/<app>/dist`) and links them where production-mode core serves them from:
 * `node_modules/@logto/<app>/dist`, relative to packages/core (koa-spa-proxy).
 */
export const prepareFrontEnds = async ({ source, cacheRoot, logDir, env, logtoDir }) => {
  const { key, unpack } = await describeSource(source);
  const cacheDir = path.join(cacheRoot, `logto-${key}-frontends`);
  const readyMarker = path.join(cacheDir, 'ready');
  const cached = existsSync(readyMarker);
  if (!cached) {
    rmSync(cacheDir, { recursive: true, force: true });
    // A tree of its own: the vendored core package.json no longer depends on the apps, and
    // installing them into core's tree would make its cache depend on this step.
    const buildDir = path.join(cacheDir, 'logto');
    mkdirSync(buildDir, { recursive: true });
    const logFile = path.join(logDir, 'logto-frontends-build.log');
    const options = { cwd: buildDir, env, logFile, timeoutMs: 900_000 };
    const filters = frontEnds.flatMap((app) => ['--filter', `@logto/${app}...`]);
    console.error(`[e2e:logto] building Logto's console and experience apps into ${path.relative(process.cwd(), cacheDir)} (first run only, several minutes)`);
    unpack(buildDir, logFile);
    runLogged('pnpm install (front ends)', 'pnpm', ['install', ...filters, '--no-frozen-lockfile'], options);
    runLogged('build front ends', 'pnpm', ['-r', ...filters, 'build'], options);
    for (const app of frontEnds) {
      cpSync(path.join(buildDir, 'packages', app, 'dist'), path.join(cacheDir, app, 'dist'), { recursive: true });
    }
    rmSync(buildDir, { recursive: true, force: true }); // only the bundles are kept
    writeFileSync(readyMarker, `${new Date().toISOString()}\n`);
  }
  for (const app of frontEnds) {
    const link = path.join(logtoDir, 'packages', 'core', 'node_modules', '@logto', app);
    rmSync(link, { recursive: true, force: true });
    symlinkSync(path.relative(path.dirname(link), path.join(cacheDir, app)), link);
  }
  return { cached };
};
