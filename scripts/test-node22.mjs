// `npm run test:node22`: the js-tests suite again on Node 22, the runtime of current Logto, while
// `npm test` stays on the running Node. Node 22 comes from npm, without root: the official
// binaries as the node-<os>-<cpu> packages (tests/node22/package.json pins them; its lock file
// fixes their integrity), installed into tests/node22/node_modules when missing.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { build, isStale } from './build.mjs';
import { jsTestArgs } from './js-tests.mjs';
import { ensureNodeModules, root, run } from './toolchain.mjs';

const directory = path.join(root, 'tests', 'node22');
const platformPackage = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
const binary = path.join(directory, 'node_modules', platformPackage, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');

/** Path of the pinned Node 22 binary, installed first if missing; undefined where npm has none. */
export const ensureNode22 = () => {
  const marker = path.join(directory, 'node_modules', '.package-lock.json');
  const lock = path.join(directory, 'package-lock.json');
  if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
    console.error('[node22] installing Node 22 from npm (npm ci in tests/node22)');
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: directory });
  }
  return existsSync(binary) ? binary : undefined;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureNodeModules();
  const node = ensureNode22();
  if (!node) {
    // CI runs on linux-x64, which has one; elsewhere say so and pass.
    console.error(`[node22] skipped: npm has no ${platformPackage} package for Node 22 (see tests/node22/package.json)`);
    process.exit(0);
  }
  if (isStale()) {
    build();
  }
  console.error(`[node22] ${path.relative(root, node)}: js-tests on Node 22`);
  run(node, jsTestArgs());
}
