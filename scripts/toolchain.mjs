// Installs what a fresh machine lacks, each step only when needed: the wasm32 target, the
// wasm-bindgen CLI at the version Cargo.toml pins, npm dev dependencies, and Chromium.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const cargoBin = path.join(process.env.CARGO_HOME ?? path.join(homedir(), '.cargo'), 'bin');
if (!process.env.PATH?.split(path.delimiter).includes(cargoBin)) {
  process.env.PATH = `${cargoBin}${path.delimiter}${process.env.PATH ?? ''}`;
}

export const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
};

const output = (command, args) => {
  try {
    return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};

const log = (message) => console.error(`[setup] ${message}`);

export const pinnedWasmBindgen = () => {
  const match = readFileSync(path.join(root, 'Cargo.toml'), 'utf8').match(/wasm-bindgen = (?:\{ version = )?"=([\d.]+)"/);
  if (!match) {
    throw new Error('Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = "=X.Y.Z" or { version = "=X.Y.Z", … })');
  }
  return match[1];
};

export const ensureRustTarget = () => {
  if (!output('rustup', ['target', 'list', '--installed']).split('\n').includes('wasm32-unknown-unknown')) {
    log('adding the wasm32-unknown-unknown target');
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
  }
};

export const ensureWasmBindgen = () => {
  const version = pinnedWasmBindgen();
  const installed = output('wasm-bindgen', ['--version']).trim().split(' ')[1];
  if (installed !== version) {
    log(`installing wasm-bindgen-cli ${version} (found ${installed ?? 'none'}; takes about 2 minutes)`);
    run('cargo', ['install', 'wasm-bindgen-cli', '--version', version, '--locked', '--force']);
  }
};

export const ensureNodeModules = () => {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) {
    log('installing npm dev dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
};

const chromiumCandidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];
const chromiumNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * A Chromium or Chrome to drive: `CHROMIUM_PATH` first, then the usual install paths, then `PATH`.
 * Undefined when there is none; `npm test` never installs one (`.ci/run` does, as root).
 */
export const findChromium = () => {
  if (process.env.CHROMIUM_PATH) {
    return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  }
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .flatMap((directory) => chromiumNames.map((name) => path.join(directory, name)));
  return [...chromiumCandidates, ...onPath].find((candidate) => existsSync(candidate));
};

/** Chromium as the tests drive it: headless in a container, with no calls home. */
export const chromiumLaunchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** With REQUIRE_BROWSER=1 (set by `.ci/run`) a missing browser fails the run instead of skipping. */
export const browserRequired = () => process.env.REQUIRE_BROWSER === '1';

export const missingBrowserMessage =
  'no Chromium found: set CHROMIUM_PATH to a Chromium or Chrome binary (or install one, e.g. Debian\'s `chromium`) to run the browser test';
