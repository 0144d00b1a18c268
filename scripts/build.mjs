// Assembles pkg/ (the npm package): Rust → wasm32 → wasm-bindgen `--target web` glue →
// wasm-opt -Oz, plus the hand-written JS, types, READMEs and logo from pkg-template/ and the LICENSE.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { ensureNodeModules, ensureRustTarget, ensureWasmBindgen, root, run } from './toolchain.mjs';

export const pkgDir = path.join(root, 'pkg');
const built = path.join(pkgDir, 'lib', 'wasm', 'tencent_sms_bg.wasm');
// Assembled beside pkg/ and swapped in at the end, so a test reading pkg/ never sees half a package.
const stagingDir = path.join(root, `.pkg-staging-${process.pid}`);

// The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
const targetFeatures = [
  '--enable-bulk-memory',
  '--enable-multivalue',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-sign-ext',
];

const newestChange = (entry) => {
  const stats = statSync(entry);
  if (!stats.isDirectory()) {
    return stats.mtimeMs;
  }
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
};

/** True when pkg/ is older than any source it is made from. */
export const isStale = () => {
  if (!existsSync(built) || !existsSync(path.join(pkgDir, 'package.json'))) {
    return true;
  }
  const sources = ['src', 'pkg-template', 'Cargo.toml', 'Cargo.lock', 'LICENSE'].map((name) => path.join(root, name));
  return Math.max(...sources.map(newestChange)) > statSync(built).mtimeMs;
};

export const build = () => {
  ensureNodeModules();
  ensureRustTarget();
  ensureWasmBindgen();
  run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown']);
  const wasmOut = path.join(stagingDir, 'lib', 'wasm');
  const stagedWasm = path.join(wasmOut, 'tencent_sms_bg.wasm');
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(wasmOut, { recursive: true });
  // Brings pkg-template/README.md, the operator's guide Logto's console renders beside the form.
  cpSync(path.join(root, 'pkg-template'), stagingDir, { recursive: true });
  // The repository's MPL-2.0 text, which npm ships whatever `files` says.
  cpSync(path.join(root, 'LICENSE'), path.join(stagingDir, 'LICENSE'));
  run('wasm-bindgen', [
    '--target', 'web',
    '--no-typescript',
    // __wbg_reset_state: a trapped instance is replaced synchronously from the compiled module.
    '--experimental-reset-state-function',
    // Tool names and versions nothing reads at run time (about 50 B gzip).
    '--remove-producers-section',
    '--out-dir', wasmOut,
    '--out-name', 'tencent_sms',
    path.join(root, 'target/wasm32-unknown-unknown/release/tencent_sms_connector.wasm'),
  ]);
  // --converge repeats the passes while they still shrink the module (about 250 B gzip).
  // --flatten --rereloop before them restructures control flow that -Oz then folds (about 500 B);
  // --low-memory-unused: Rust's data starts at 1 MiB above the stack, so the first 1 KiB is
  // reached only by a stack that deep, and offsets may fold into loads (about 400 B).
  // --merge-similar-functions first: one body for functions that differ only in constants.
  // --one-caller-inline-max-function-size: a function called once is inlined only when small;
  // inlining the big ones made their callers' code larger once gzipped (about 1 KB).
  const passes = ['--low-memory-unused', '--merge-similar-functions', '--flatten', '--rereloop', '-Oz', '-Oz', '--converge', '--one-caller-inline-max-function-size', '25'];
  run(path.join(root, 'node_modules/.bin/wasm-opt'), [...passes, ...targetFeatures, stagedWasm, '-o', stagedWasm]);
  // A child process: binaryen is a dev dependency that a fresh clone has only after
  // ensureNodeModules, so the build cannot import it when it loads.
  run(process.execPath, [path.join(root, 'scripts/reorder-functions.mjs'), stagedWasm]);
  // Re-reading the binary undoes the stack IR tidying -Oz wrote it with (about 100 B gzip).
  // --strip-debug (there is no debug info) only so that wasm-opt does not warn it has no pass.
  const stackIr = ['--strip-debug', '--generate-stack-ir', '--optimize-stack-ir', '--optimize-level=2', '--shrink-level=2'];
  run(path.join(root, 'node_modules/.bin/wasm-opt'), [...stackIr, ...targetFeatures, stagedWasm, '-o', stagedWasm]);
  // Two renames leave pkg/ missing only between them, never half-written.
  const previous = `${stagingDir}-old`;
  if (existsSync(pkgDir)) {
    renameSync(pkgDir, previous);
  }
  renameSync(stagingDir, pkgDir);
  rmSync(previous, { recursive: true, force: true });
  console.error(`[build] ${path.relative(root, pkgDir)}/ ready (${statSync(built).size} bytes of wasm)`);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  build();
}
