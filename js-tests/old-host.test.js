// A Logto host whose connector-kit predates `usage_limit_exceeded` (kit < 5.1): an exhausted SMS
// quota must still reach it as a code it knows, `rate_limit_exceeded`, not as `general`.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { startLocalTencent } from '../tests/support/fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let home;
let tencent;
let config;
let hostKit;
let connector;

before(async () => {
  ({ server: tencent, config } = await startLocalTencent());
  home = mkdtempSync(path.join(tmpdir(), 'old-logto-host-'));
  // The host's kit: the real one, with ConnectorErrorCodes as kits before 5.1 had it.
  const kitDir = path.join(home, 'node_modules', '@logto', 'connector-kit');
  mkdirSync(kitDir, { recursive: true });
  const realKit = pathToFileURL(path.join(root, 'node_modules/@logto/connector-kit/lib/index.js')).href;
  writeFileSync(path.join(kitDir, 'package.json'), JSON.stringify({ name: '@logto/connector-kit', type: 'module', main: 'index.js' }));
  writeFileSync(
    path.join(kitDir, 'index.js'),
    `export * from ${JSON.stringify(realKit)};\n` +
      `import { ConnectorErrorCodes as all } from ${JSON.stringify(realKit)};\n` +
      'const { UsageLimitExceeded, ...older } = all;\n' +
      'export const ConnectorErrorCodes = Object.freeze(older);\n',
  );
  symlinkSync(path.join(root, 'node_modules/zod'), path.join(home, 'node_modules/zod'));
  const packageDir = path.join(home, 'connector');
  cpSync(path.join(root, 'pkg'), packageDir, { recursive: true });
  hostKit = await import(pathToFileURL(path.join(kitDir, 'index.js')).href);
  connector = await import(pathToFileURL(path.join(packageDir, 'lib', 'index.js')).href);
});

after(async () => {
  await tencent?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

test('an old host gets rate_limit_exceeded for an exhausted quota, as its own ConnectorError', async () => {
  assert.equal(hostKit.ConnectorErrorCodes.UsageLimitExceeded, undefined, 'the stand-in kit lacks the code');
  tencent.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
  const error = await connector
    .sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '123456' } }, config)
    .then(() => assert.fail('expected a refusal'), (refusal) => refusal);
  assert.ok(error instanceof hostKit.ConnectorError);
  assert.equal(error.code, 'rate_limit_exceeded');
  assert.equal(error.data.tencentCode, 'FailedOperation.InsufficientBalanceInSmsPackage');
  assert.match(error.data.message, /SMS package/);
});
