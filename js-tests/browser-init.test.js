// The browser entry's init(input) takes every source LIBRARY.md lists, and when the .wasm is not
// where it looks (a bundler that did not emit it, a dev server answering its HTML page) it says
// which URL it tried and what to do. Each case runs in a fresh Node process: the wasm loads once
// per process, as in a page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

const entry = new URL('../pkg/lib/browser.js', import.meta.url).href;
const wasmFile = new URL('../pkg/lib/wasm/tencent_sms_bg.wasm', import.meta.url);
const wasm = readFileSync(wasmFile);
const run = promisify(execFile);

let server;
let origin;
before(async () => {
  server = createServer((request, response) => {
    const answers = {
      '/tencent_sms_bg.wasm': [200, 'application/wasm', wasm],
      '/octet-stream.wasm': [200, 'application/octet-stream', wasm],
      '/spa-fallback.wasm': [200, 'text/html', '<!doctype html><title>app</title>'],
    };
    const [status, type, body] = answers[request.url] ?? [404, 'text/plain', 'not found'];
    response.writeHead(status, { 'content-type': type }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));

/** Runs `body` after importing the browser entry as `init` and `validateConfig`; its output, parsed. */
const inFreshProcess = async (body) => {
  const script = `
    import init, { validateConfig } from ${JSON.stringify(entry)};
    import { readFileSync } from 'node:fs';
    const origin = ${JSON.stringify(origin)};
    const bytes = readFileSync(new URL(${JSON.stringify(wasmFile.href)}));
    const outcome = async (input) => {
      try {
        await init(input);
        return { valid: validateConfig({}).valid, errors: validateConfig({}).errors.length > 0 };
      } catch (error) {
        return { error: String(error.message) };
      }
    };
    ${body}
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { timeout: 20_000 });
  return JSON.parse(stdout);
};

const loaded = { valid: false, errors: true };

const sources = {
  'a URL': 'new URL("/tencent_sms_bg.wasm", origin)',
  'a string URL': '`${origin}/tencent_sms_bg.wasm`',
  'a Request': 'new Request(`${origin}/tencent_sms_bg.wasm`)',
  'a Response': 'await fetch(`${origin}/tencent_sms_bg.wasm`)',
  'a promise of a Response': 'fetch(`${origin}/tencent_sms_bg.wasm`)',
  'a Response not typed application/wasm': 'fetch(`${origin}/octet-stream.wasm`)',
  'the bytes (Uint8Array)': 'new Uint8Array(bytes)',
  'the bytes (ArrayBuffer)': 'bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)',
  'a compiled WebAssembly.Module': 'await WebAssembly.compile(bytes)',
};

for (const [name, source] of Object.entries(sources)) {
  test(`init() loads the wasm from ${name}`, async () => {
    assert.deepEqual(await inFreshProcess(`console.log(JSON.stringify(await outcome(${source})));`), loaded);
  });
}

test('before init() the exports say to call it', async () => {
  const result = await inFreshProcess(`
    try { validateConfig({}); console.log('{}'); } catch (error) { console.log(JSON.stringify({ error: error.message })); }
  `);
  assert.match(result.error, /Call and await init\(\)/);
});

test('a 404 names the URL and LIBRARY.md, and the next init() tries again', async () => {
  const [missing, retried] = await inFreshProcess(`
    const missing = await outcome(\`\${origin}/dist/tencent_sms_bg.wasm\`);
    console.log(JSON.stringify([missing, await outcome(bytes)]));
  `);
  assert.match(missing.error, /HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/dist\/tencent_sms_bg\.wasm/);
  assert.match(missing.error, /LIBRARY\.md/);
  assert.deepEqual(retried, loaded);
});

test('an HTML page where the .wasm should be is named as such, not as a bad magic word', async () => {
  const result = await inFreshProcess('console.log(JSON.stringify(await outcome(`${origin}/spa-fallback.wasm`)));');
  assert.match(result.error, /spa-fallback\.wasm answered text\/html, not WebAssembly\. .*LIBRARY\.md/);
});

test('a URL that cannot be fetched says so', async () => {
  // Node's fetch refuses file: URLs, as init() without input in Node (beside the module) shows.
  const result = await inFreshProcess('console.log(JSON.stringify(await outcome()));');
  assert.match(result.error, /Could not fetch the connector's wasm from file:\/\/.*tencent_sms_bg\.wasm: .*LIBRARY\.md/);
});
