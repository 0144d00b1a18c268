// Serves pkg/ on 127.0.0.1 so the admin page (pkg/admin/) can load the browser entry and its wasm
// over http: browsers refuse ES modules and wasm from file:// URLs.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { build, isStale, pkgDir } from './build.mjs';

const host = '127.0.0.1';
const defaultPort = 4173;

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

const send = (response, status, body, headers = {}) => {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  response.end(body);
};

/** The file under pkg/ that `pathname` names, or null when it would escape pkg/. */
const resolveInPkg = (pathname) => {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) {
    return null;
  }
  // Resolving after decoding catches %2e%2e and %2f tricks as well as plain `..`.
  const file = path.resolve(pkgDir, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  return file.startsWith(`${pkgDir}${path.sep}`) ? file : null;
};

const handle = async (request, response) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  const { pathname } = new URL(request.url, `http://${host}`);
  if (pathname === '/') {
    send(response, 302, 'See /admin/\n', { Location: '/admin/' });
    return;
  }
  const file = resolveInPkg(pathname);
  // pkg/ can be swapped by a rebuild at any moment, so every failure to read is just a 404.
  const stats = file && (await stat(file).catch(() => null));
  if (stats?.isDirectory()) {
    // The page's relative imports only resolve against a URL that ends in a slash.
    send(response, 301, 'Moved\n', { Location: `${pathname}/` });
    return;
  }
  const body = stats?.isFile() && (await readFile(file).catch(() => null));
  if (!body) {
    send(response, 404, 'Not found\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    // A rebuilt pkg/ must show up on reload.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
};

/** Starts the server (building pkg/ first when it is missing or stale); port 0 picks a free one. */
export const startAdminServer = async ({ port = defaultPort } = {}) => {
  if (isStale()) {
    build();
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      console.error(error);
      if (!response.headersSent) {
        send(response, 500, 'Internal server error\n');
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}/admin/`;
  const close = () =>
    new Promise((resolve) => {
      // Browsers keep connections alive; without this close() waits for them to time out.
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, close };
};

const parsePort = () => {
  const { values } = parseArgs({ options: { port: { type: 'string' } } });
  const text = values.port ?? process.env.PORT ?? String(defaultPort);
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port ${JSON.stringify(text)}: use --port 0-65535 or PORT`);
  }
  return port;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { url } = await startAdminServer({ port: parsePort() });
  console.log(`Admin page: ${url}`);
}
