// Size and install-footprint measurements for scripts/bench.mjs: npm pack, npm install into temp
// projects, disk usage and package counts. Everything runs through the ordinary npm client.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const npm = (args, cwd) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });

/** `npm pack` of a directory or registry spec into `destination`: tarball path, sizes, name. */
export function pack(spec, destination) {
  const [result] = JSON.parse(npm(['pack', spec, '--json', '--pack-destination', destination], destination));
  return {
    name: result.name,
    tarball: path.join(destination, result.filename),
    packedBytes: result.size,
    // The sum of the files in the tarball.
    unpackedBytes: result.files.reduce((sum, file) => sum + file.size, 0),
  };
}

export const npmInstall = (projectDir, specs) => npm(['install', ...specs], projectDir);

/** Disk usage in bytes, as `du` counts it (allocated blocks). */
export const diskBytes = (dir) => Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split(/\s/)[0]) * 1024;

/** Installed packages under a node_modules, nested ones included (not stray package.json files). */
export function countPackages(nodeModules) {
  let count = 0;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) {
      continue;
    }
    const dir = path.join(nodeModules, entry.name);
    const packageDirs = entry.name.startsWith('@')
      ? readdirSync(dir, { withFileTypes: true })
          .filter((scoped) => scoped.isDirectory())
          .map((scoped) => path.join(dir, scoped.name))
      : [dir];
    for (const packageDir of packageDirs) {
      if (existsSync(path.join(packageDir, 'package.json'))) {
        count += 1;
      }
      const nested = path.join(packageDir, 'node_modules');
      if (existsSync(nested)) {
        count += countPackages(nested);
      }
    }
  }
  return count;
}

export const gzipBytes = (file) => gzipSync(readFileSync(file)).length;

/** Gzip bytes of each `.js` file directly in `dir`, summed (how they are stored and loaded: one by one). */
export const jsGzipBytes = (dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.js'))
    .reduce((sum, name) => sum + gzipBytes(path.join(dir, name)), 0);
