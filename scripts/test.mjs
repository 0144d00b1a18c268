// `npm test`: the whole suite on a fresh machine. Installs what is missing without root (the wasm
// target, wasm-bindgen-cli, npm dev dependencies), checks formatting and lints, runs the Rust tests natively and in wasm, builds the package and runs the Node and
// Chromium tests against it.
import path from 'node:path';

import { build } from './build.mjs';
import { jsTestArgs, jsTestFiles } from './js-tests.mjs';
import {
  browserRequired,
  ensureNodeModules,
  ensureRustTarget,
  ensureWasmBindgen,
  findChromium,
  missingBrowserMessage,
  root,
  run,
} from './toolchain.mjs';

const step = (title) => console.error(`\n=== ${title}`);

// `npm test -- rust|wasm|js|browser …` runs only those layers, for a fast loop; no layer means all.
const layers = {
  rust: 'cargo fmt --check, clippy, and the Rust tests natively',
  wasm: 'the Rust wasm tests in Node',
  js: 'the Node tests against the built package',
  browser: 'the Chromium test of the admin page, against the built package',
};
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !Object.hasOwn(layers, name));
if (unknown.length > 0) {
  console.error(`unknown test layer ${unknown.join(', ')}; choose from:`);
  for (const [name, what] of Object.entries(layers)) console.error(`  ${name}: ${what}`);
  process.exit(2);
}
const wanted = (name) => asked.length === 0 || asked.includes(name);

step('setup');
ensureNodeModules();
ensureRustTarget();
ensureWasmBindgen();
if (wanted('browser') && !findChromium()) {
  if (browserRequired()) {
    throw new Error(`REQUIRE_BROWSER=1 but ${missingBrowserMessage}`);
  }
  console.error(`[setup] browser test will be skipped: ${missingBrowserMessage}`);
}

if (wanted('rust')) {
  step('cargo fmt --check, clippy');
  run('cargo', ['fmt', '--check']);
  run('cargo', ['clippy', '--locked', '--all-targets', '--', '-D', 'warnings']);
  run('cargo', ['clippy', '--locked', '--target', 'wasm32-unknown-unknown', '--all-targets', '--', '-D', 'warnings']);

  step('cargo test (native)');
  run('cargo', ['test', '--locked']);
}

if (wanted('wasm')) {
  step('cargo test (wasm32, in Node)');
  run('cargo', ['test', '--locked', '--target', 'wasm32-unknown-unknown', '--test', 'wasm']);
}

if (wanted('js') || wanted('browser')) {
  step('build the npm package');
  build();
}

const browserDirectory = path.join(root, 'js-tests', 'browser') + path.sep;
const selected = jsTestFiles().filter((file) => (file.startsWith(browserDirectory) ? wanted('browser') : wanted('js')));
if (selected.length > 0) {
  step(`node --test (${[wanted('js') && 'js', wanted('browser') && 'browser'].filter(Boolean).join(', ')})`);
  run(process.execPath, jsTestArgs(selected));
}
