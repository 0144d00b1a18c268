// Run by `npm run test:consumers` (scripts/test-consumers.mjs), which packs the package, installs
// the tarball into ./node_modules beside the pinned bundlers and sets CONSUMER_TARBALL.
// Each bundler builds app/ with the setup LIBRARY.md documents for it; every page then runs in
// one headless Chromium and must load the wasm, accept the good config and refuse the bad one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { browserRequired, chromiumLaunchArgs, findChromium, missingBrowserMessage } from '../../scripts/toolchain.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const app = path.join(here, 'app');
const out = path.join(here, '.out');
const name = 'connector-tencent-sms-wasm';
const installed = path.join(here, 'node_modules', name);
const tarball = process.env.CONSUMER_TARBALL;
const bin = (file) => path.join(here, 'node_modules', file);

const expected = {
  id: 'tencent-short-message-service',
  good: { valid: true, errors: [] },
  bad: { valid: false, errors: ['invalid_timeout', 'missing_templates'] },
};
const buildTimeout = 180_000;
const pageTimeout = 20_000;

/** A child process bounded in time; its output is the failure message. */
const runBounded = (command, args, options = {}) => {
  const result = spawnSync(command, args, { cwd: here, encoding: 'utf8', timeout: buildTimeout, ...options });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} (${result.signal ?? 'exit ' + result.status})\n${result.stdout}${result.stderr}`);
  return result.stdout;
};

const page = (directory, script, type = 'module') => {
  writeFileSync(
    path.join(directory, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>consumer</title><script${type ? ` type="${type}"` : ''} src="./${script}"></script>\n`,
  );
};

// --- static files of .out/ on loopback, served with the types a real server sends ---------------

const contentTypes = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };
let server;
let origin;
const startServer = async () => {
  server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = path.join(out, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(out + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
};

// --- one Chromium for every page --------------------------------------------------------------

const chromiumPath = findChromium();
let browser;

before(async () => {
  assert.ok(tarball && existsSync(tarball), 'run through `npm run test:consumers`, which packs the tarball');
  mkdirSync(out, { recursive: true });
  await startServer();
  if (chromiumPath) {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumLaunchArgs, timeout: 15_000 });
  } else {
    assert.ok(!browserRequired(), `REQUIRE_BROWSER=1 but ${missingBrowserMessage}`);
  }
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

/** What the page reported in window.consumerResult, with what the browser saw on the way. */
const resultOf = async (url) => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const seen = [];
  tab.on('pageerror', (error) => seen.push(`page error: ${error.message}`));
  tab.on('console', (message) => message.type() === 'error' && seen.push(`console: ${message.text()}`));
  tab.on('response', (response) => response.status() >= 400 && seen.push(`HTTP ${response.status()} ${response.url()}`));
  try {
    await tab.goto(url, { timeout: pageTimeout });
    await tab.waitForFunction(() => window.consumerResult !== undefined, null, { timeout: pageTimeout });
    return { result: await tab.evaluate(() => window.consumerResult), seen };
  } catch (error) {
    error.message += `\n${seen.join('\n')}`;
    throw error;
  } finally {
    await context.close();
  }
};

/** The page at `url` loads the wasm and validates as the core does. */
const runsInChromium = async (t, url) => {
  if (!browser) {
    t.skip(missingBrowserMessage);
    return;
  }
  const { result, seen } = await resultOf(url);
  assert.deepEqual(result, expected, seen.join('\n'));
};

/** Without its documented setup, init() rejects naming the URL it tried and LIBRARY.md. */
const failsWithGuidance = async (t, url) => {
  if (!browser) {
    t.skip(missingBrowserMessage);
    return;
  }
  const { result } = await resultOf(url);
  assert.match(result.error ?? JSON.stringify(result), /Could not load the connector's wasm: .*tencent_sms_bg\.wasm.*LIBRARY\.md/);
};

// --- the package as published -------------------------------------------------------------------

test('publint: no errors, warnings or suggestions', async () => {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const { messages } = await publint({ pkgDir: installed, level: 'suggestion', pack: false });
  assert.deepEqual(messages.map((message) => formatMessage(message, pkg)), []);
});

test('@arethetypeswrong/cli --profile esm-only: no problems', () => {
  // The .wasm subpath is an asset for bundlers, not a module with types.
  runBounded(process.execPath, [
    bin('@arethetypeswrong/cli/dist/index.js'), tarball, '--profile', 'esm-only', '--format', 'table-flipped',
    '--exclude-entrypoints', './tencent_sms_bg.wasm',
  ]);
});

test('the tarball ships the guides, the library doc and the LICENSE', () => {
  for (const file of ['README.md', 'README.zh-CN.md', 'LIBRARY.md', 'LICENSE', 'lib/wasm/tencent_sms_bg.wasm', 'browser.d.ts']) {
    assert.ok(existsSync(path.join(installed, file)), file);
  }
  assert.match(readFileSync(path.join(installed, 'LICENSE'), 'utf8'), /^Mozilla Public License Version 2\.0/);
});

// --- Node and TypeScript -------------------------------------------------------------------------

test('Node ESM: the factory and the Node entry, and /browser given the exported .wasm', () => {
  const script = `
    import assert from 'node:assert/strict';
    import { readFile } from 'node:fs/promises';
    import { fileURLToPath } from 'node:url';
    import createConnector, { validateConfig, metadata } from '${name}';
    import init, { validateConfig as validateInBrowser } from '${name}/browser';
    const { version } = (await import('${name}/package.json', { with: { type: 'json' } })).default;
    const config = ${JSON.stringify({ accessKeyId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', accessKeySecret: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', signName: 'Tencent', sdkAppId: '1400006666', region: 'ap-guangzhou', templates: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({ usageType, templateCode: '100001' })) })};
    const connector = await createConnector({ getConfig: async () => config });
    assert.equal(connector.type, 'Sms');
    assert.equal(connector.configGuard.safeParse(config).success, true);
    assert.equal(validateConfig(config).valid, true);
    const wasm = await readFile(fileURLToPath(import.meta.resolve('${name}/tencent_sms_bg.wasm')));
    await init(wasm);
    assert.equal(validateInBrowser(config).valid, true);
    assert.equal(validateInBrowser({ ...config, templates: [] }).valid, false);
    console.log(metadata.id, version);
  `;
  const output = runBounded(process.execPath, ['--input-type=module', '--eval', script]);
  assert.match(output, /^tencent-short-message-service \d+\.\d+\.\d+/);
});

for (const config of ['node16', 'nodenext', 'bundler', 'browser']) {
  test(`TypeScript (${config === 'browser' ? 'bundler resolution, browser condition' : `${config} resolution`}) type-checks its consumer`, () => {
    runBounded(process.execPath, [bin('typescript/bin/tsc'), '--project', path.join(here, 'types', `tsconfig.${config}.json`)]);
  });
}

// --- bundlers, one after another, each page run in Chromium ---------------------------------------

test('webpack 5, no configuration', async (t) => {
  const { default: webpack } = await import('webpack');
  const dist = path.join(out, 'webpack');
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        context: here,
        entry: './app/main.js',
        output: { path: dist, filename: 'main.js' },
        target: 'web',
        devtool: false,
        performance: { hints: false },
        infrastructureLogging: { level: 'error' },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  page(dist, 'main.js', '');
  await runsInChromium(t, `${origin}/webpack/`);
});

test('Vite build, no configuration', async (t) => {
  const { build } = await import('vite');
  await build({
    root: app,
    configFile: false,
    logLevel: 'error',
    cacheDir: path.join(out, 'vite-cache'),
    build: { outDir: path.join(out, 'vite'), emptyOutDir: true },
    base: './',
  });
  await runsInChromium(t, `${origin}/vite/`);
});

/** Vite's dev server on a loopback port, with `optimizeDeps` as given; stopped after `use`. */
const viteDev = async (optimizeDeps, cacheName, use) => {
  const { createServer: createViteServer } = await import('vite');
  const dev = await createViteServer({
    root: app,
    configFile: false,
    logLevel: 'error',
    cacheDir: path.join(out, cacheName),
    optimizeDeps,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  try {
    await dev.listen();
    await use(dev.resolvedUrls.local[0]);
  } finally {
    await dev.close();
  }
};

test('Vite dev server, with the documented optimizeDeps.exclude', async (t) => {
  await viteDev({ exclude: [name] }, 'vite-dev-cache', (url) => runsInChromium(t, url));
});

test('Vite dev server without it: init() says what to do, and `?url` needs no setting', async (t) => {
  await viteDev({}, 'vite-dev-plain-cache', async (url) => {
    await failsWithGuidance(t, url);
    await runsInChromium(t, new URL('vite-url.html', url).href);
  });
});

test('Rollup 4 + node-resolve, with importMetaAssets()', async (t) => {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const { importMetaAssets } = await import('@web/rollup-plugin-import-meta-assets');
  const dist = path.join(out, 'rollup');
  const bundle = await rollup({ input: path.join(app, 'main.js'), plugins: [nodeResolve({ browser: true }), importMetaAssets()], logLevel: 'silent' });
  try {
    await bundle.write({ dir: dist, format: 'es' });
  } finally {
    await bundle.close();
  }
  page(dist, 'main.js');
  await runsInChromium(t, `${origin}/rollup/`);
});

test('esbuild, file loader and the URL passed to init()', async (t) => {
  const esbuild = await import('esbuild');
  const dist = path.join(out, 'esbuild');
  await esbuild.build({
    entryPoints: [path.join(app, 'main-url.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: path.join(dist, 'main.js'),
    loader: { '.wasm': 'file' },
    logLevel: 'error',
  });
  page(dist, 'main.js');
  await runsInChromium(t, `${origin}/esbuild/`);
});

test('esbuild without passing the URL: init() says what to do', async (t) => {
  const esbuild = await import('esbuild');
  const dist = path.join(out, 'esbuild-plain');
  await esbuild.build({ entryPoints: [path.join(app, 'main.js')], bundle: true, format: 'esm', platform: 'browser', outfile: path.join(dist, 'main.js'), logLevel: 'error' });
  page(dist, 'main.js');
  await failsWithGuidance(t, `${origin}/esbuild-plain/`);
});

test('no bundler: an import map to the package’s files', async (t) => {
  const dist = path.join(out, 'importmap');
  cpSync(installed, path.join(dist, name), { recursive: true });
  cpSync(app, path.join(dist, 'app'), { recursive: true });
  const imports = { [name]: `./${name}/lib/browser.js`, [`${name}/browser`]: `./${name}/lib/browser.js` };
  writeFileSync(
    path.join(dist, 'index.html'),
    `<!doctype html><meta charset="utf-8"><script type="importmap">${JSON.stringify({ imports })}</script><script type="module" src="./app/main.js"></script>\n`,
  );
  await runsInChromium(t, `${origin}/importmap/`);
});

// Parcel reads package.json "exports" only when told to; ./package.json says
// "@parcel/resolver-default": { "packageExports": true }, as LIBRARY.md documents.
test('Parcel 2, with packageExports', async (t) => {
  const dist = path.join(out, 'parcel');
  runBounded(process.execPath, [
    bin('parcel/lib/bin.js'),
    'build',
    path.join(app, 'index.html'),
    '--dist-dir', dist,
    '--cache-dir', path.join(out, 'parcel-cache'),
    '--public-url', './',
    '--no-source-maps',
    '--no-autoinstall',
    '--log-level', 'error',
  ]);
  await runsInChromium(t, `${origin}/parcel/`);
});
