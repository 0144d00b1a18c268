// The repository README's code examples run as written, against the built package: each ```js
// block for the Node entry is a module with the names it leaves to the reader (`secretId`,
// `secretKey`, `config`) defined, and a `fetch` that keeps the request it was given.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';

import { canonicalRequestFor, authorizationFor } from '../tests/support/tc3-node.mjs';
import { makeConfig, secretId, secretKey } from '../tests/support/fixtures.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/^( *)```js\n([\s\S]*?)^\1```/gm)].map(([, indent, code]) =>
  code.replace(new RegExp(`^${indent}`, 'gm'), ''),
);
const nodeEntry = new URL('../pkg/lib/index.js', import.meta.url).href;
const workDir = mkdtempSync(path.join(tmpdir(), 'readme-examples-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

test('the README has Node and browser examples', () => {
  assert.ok(blocks.some((code) => code.includes("from 'connector-tencent-sms-wasm'")));
  assert.ok(blocks.some((code) => code.includes("from 'connector-tencent-sms-wasm/browser'")));
});

for (const [index, code] of blocks.entries()) {
  // The browser entry fetches its wasm by URL, which Node cannot do for file: URLs; the admin
  // page test runs init() and validateConfig in Chromium.
  const browserOnly = code.includes("'connector-tencent-sms-wasm/browser'");
  test(`README example ${index + 1} runs`, { skip: browserOnly && 'browser entry (covered in Chromium)' }, async () => {
    const prelude = [
      `const secretId = ${JSON.stringify(secretId)};`,
      `const secretKey = ${JSON.stringify(secretKey)};`,
      `const config = ${JSON.stringify(makeConfig('http://127.0.0.1:8080'))};`,
      'const fetch = async (url, init) => { globalThis.readmeRequests.push({ url, init }); return new Response("{}"); };',
    ].join('\n');
    const imports = code.match(/^import .*$/gm) ?? [];
    const body = code.replace(/^import .*$/gm, '');
    const module = [...imports.map((line) => line.replace("'connector-tencent-sms-wasm'", `'${nodeEntry}'`)), prelude, body].join('\n');
    const file = path.join(workDir, `example-${index + 1}.mjs`);
    writeFileSync(file, module);
    globalThis.readmeRequests = [];
    await import(pathToFileURL(file).href);
    for (const { init } of globalThis.readmeRequests) {
      // What the example sends verifies against a signer written apart from ours.
      const { Authorization: authorization, 'X-TC-Timestamp': timestamp } = init.headers;
      const host = 'sms.tencentcloudapi.com';
      const canonicalRequest = canonicalRequestFor({ contentType: init.headers['Content-Type'], host, signedHeaders: 'content-type;host', payload: init.body });
      const expected = authorizationFor({ secretId, secretKey, service: 'sms', timestamp: Number(timestamp), canonicalRequest, signedHeaders: 'content-type;host' });
      assert.equal(authorization, expected);
      assert.equal(init.headers.Host, undefined, 'the example leaves Host to fetch');
    }
  });
}
