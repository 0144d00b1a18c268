// esbuild (file loader) and anything else that hands out the .wasm's URL: pass it to init().
import wasmUrl from 'connector-tencent-sms-wasm/tencent_sms_bg.wasm';

import { run } from './run.js';

run(new URL(wasmUrl, import.meta.url));
