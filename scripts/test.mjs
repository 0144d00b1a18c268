// `npm test`: the whole suite on a fresh machine. Installs what is missing without root (the wasm
// target, wasm-bindgen-cli, npm dev dependencies), checks formatting and lints, runs the Rust tests natively and in wasm, builds the package and runs the Node and
// Chromium tests against it.
import { build } from './build.mjs';
import { jsTestArgs } from './js-tests.mjs';
import {
  browserRequired,
  ensureNodeModules,
  ensureRustTarget,
  ensureWasmBindgen,
  findChromium,
  missingBrowserMessage,
  run,
} from './toolchain.mjs';

const step = (title) => console.error(`\n=== ${title}`);

step('setup');
ensureNodeModules();
ensureRustTarget();
ensureWasmBindgen();
if (!findChromium()) {
  if (browserRequired()) {
    throw new Error(`REQUIRE_BROWSER=1 but ${missingBrowserMessage}`);
  }
  console.error(`[setup] browser test will be skipped: ${missingBrowserMessage}`);
}

step('cargo fmt --check, clippy');
run('cargo', ['fmt', '--check']);
run('cargo', ['clippy', '--locked', '--all-targets', '--', '-D', 'warnings']);
run('cargo', ['clippy', '--locked', '--target', 'wasm32-unknown-unknown', '--all-targets', '--', '-D', 'warnings']);

step('cargo test (native)');
run('cargo', ['test', '--locked']);

step('cargo test (wasm32, in Node)');
run('cargo', ['test', '--locked', '--target', 'wasm32-unknown-unknown', '--test', 'wasm']);

step('build the npm package');
build();

step('node --test js-tests/');
run(process.execPath, jsTestArgs());
