// Zero configuration: init() finds the .wasm the bundler emitted beside the module.
import { run } from './run.js';

run();
