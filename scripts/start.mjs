// `npm start`: the connector doing its job end to end. By default it starts the local Tencent
// server, loads the packed connector with Logto's own loader and sends a SignIn code; with
// `--config my.json --to 8613711112222` it sends a real SMS through Tencent Cloud.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { build, isStale } from './build.mjs';
import { ensureNodeModules } from './toolchain.mjs';

const usage = `Usage: npm start [-- --config my.json --to 8613711112222 [--type SignIn] [--code 123456]]

Without --config: sends a SignIn code through a local Tencent server that verifies every TC3
signature, with the packed connector loaded by Logto's own loader. With --config: sends a real
SMS through Tencent Cloud. The package's own command (send, validate, status, doctor) is
pkg/bin/connector-tencent-sms-wasm.js.`;

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      config: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string', default: 'SignIn' },
      code: { type: 'string', default: '123456' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  // One line and the usage, never parseArgs' stack trace.
  console.error(`npm start: ${String(error.message).split('. ')[0].replace(/\.$/, '')}.\n\n${usage}`);
  process.exit(2);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}

ensureNodeModules();
if (isStale()) {
  build();
}

const { installLikeLogto, loadWithLogtoLoader } = await import('../tests/support/logto-host.js');
const { makeConfig, secretId, secretKey } = await import('../tests/support/fixtures.js');
const { startTencentServer } = await import('../tests/support/tencent-server.js');

const install = installLikeLogto();
let server;
try {
  const { factory, buildRawConnector } = await loadWithLogtoLoader(install.connectorsDir);
  if (!factory) {
    throw new Error('Logto’s loader skipped the package (see the [load-connector] message above)');
  }
  let config;
  if (options.config) {
    config = JSON.parse(readFileSync(options.config, 'utf8'));
  } else {
    server = await startTencentServer({ credentials: { [secretId]: secretKey } });
    config = makeConfig(server.url);
    console.log(`Local Tencent SMS server on ${server.url} (verifies every TC3 signature)`);
  }
  const to = options.to ?? '8613711112222';
  const { rawConnector } = await buildRawConnector(factory, async () => config);
  console.log(`Loaded ${install.name} with Logto's loader: ${factory.metadata.id} (${factory.type})`);

  const { valid, errors, warnings } = (await import(`${install.packageDir}/lib/index.js`)).validateConfig(config);
  console.log(`Config: ${valid ? 'valid' : 'INVALID'}, ${errors.length} errors, ${warnings.length} warnings`);
  for (const issue of [...errors, ...warnings]) {
    console.log(`  [${issue.code}] ${issue.message}`);
  }

  const data = { to, type: options.type, payload: { code: options.code, locale: 'en' } };
  console.log(`\nsendMessage(${JSON.stringify(data)})`);
  const result = await rawConnector.sendMessage(data);

  if (server) {
    const [request] = server.requests;
    console.log('\nSigned request as received:');
    console.log(`  POST ${server.url}/`);
    for (const [name, value] of Object.entries(request.headers)) {
      console.log(`  ${name}: ${value}`);
    }
    console.log(`  body: ${request.rawBody.toString('utf8')}`);
    console.log(`  signature verified by the server: ${request.signatureValid}`);
  }
  console.log('\nResult:', JSON.stringify(result, null, 2));
} catch (error) {
  console.error(`\nSend failed: [${error.code ?? error.name}] ${error.data?.message ?? error.message}`);
  process.exitCode = 1;
} finally {
  await server?.close();
  install.cleanup();
}
