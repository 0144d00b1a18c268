// Vite's own way to a file's URL, needing no config in its dev server or build.
import wasmUrl from 'connector-tencent-sms-wasm/tencent_sms_bg.wasm?url';

import { run } from './run.js';

run(wasmUrl);
