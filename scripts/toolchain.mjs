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
  const match = readFileSync(path.join(root, 'Cargo.toml'), 'utf8').match(/wasm-bindgen = "=([\d.]+)"/);
  if (!match) {
    throw new Error('Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = "=X.Y.Z")');
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

export const chromiumPath = '/usr/bin/chromium';

export const ensureChromium = () => {
  if (!existsSync(chromiumPath)) {
    log('installing Debian chromium for the browser tests');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
};
