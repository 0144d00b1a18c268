// `npm run test:consumers`: the packed tarball as library users get it, built by each bundler into
// a tiny page and run in Chromium, imported by Node and compiled by TypeScript, then checked by
// publint and @arethetypeswrong/cli. The bundlers are dev dependencies of tests/consumers only
// (its own package.json and lock file), installed there with `npm ci` when missing.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import { build, isStale, pkgDir } from './build.mjs';
import { browserRequired, ensureNodeModules, findChromium, missingBrowserMessage, root, run } from './toolchain.mjs';

const directory = path.join(root, 'tests', 'consumers');
const out = path.join(directory, '.out');
const installed = path.join(directory, 'node_modules', 'connector-tencent-sms-wasm');

ensureNodeModules();
if (isStale()) {
  build();
}

const marker = path.join(directory, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || statSync(path.join(directory, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs) {
  console.error('[consumers] installing the pinned bundlers (npm ci in tests/consumers)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: directory });
}

if (!findChromium()) {
  if (browserRequired()) {
    throw new Error(`REQUIRE_BROWSER=1 but ${missingBrowserMessage}`);
  }
  console.error(`[consumers] pages are built but not run: ${missingBrowserMessage}`);
}

// The tarball npm would publish, installed as `npm install <tarball>` would lay it out (its two
// dependencies, connector-kit and zod, are pinned beside the bundlers).
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
run('npm', ['pack', pkgDir, '--pack-destination', out, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
const tarball = path.join(out, readdirSync(out).find((name) => name.endsWith('.tgz')));
rmSync(installed, { recursive: true, force: true });
mkdirSync(installed, { recursive: true });
run('tar', ['-xzf', tarball, '--strip-components=1', '-C', installed]);

run(process.execPath, ['--test', '--test-concurrency=1', path.join(directory, 'consumers.test.js')], {
  env: { ...process.env, CONSUMER_TARBALL: tarball },
});
