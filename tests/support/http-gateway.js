// A local fake of an SMS gateway for Logto's HTTP SMS connector (@logto/connector-http-sms): it
// takes that connector's POST, JSON `{ to, type, payload, ip? }` with `Content-Type:
// application/json` and the configured `Authorization`, and answers 2xx when it accepts the
// message. It checks the request as strictly as a gateway written for that connector would, and
// can be told to fail.
import { createServer } from 'node:http';

const FAULTS = new Set(['status', 'hang', 'reset', 'redirect']);
const DEFAULT_MODES = Object.freeze({ fault: null, status: 500 });

/**
 * Starts the fake on 127.0.0.1.
 * @param {object} options
 * @param {string} [options.authorization] the Authorization header it requires (none when omitted)
 * @param {string} [options.path] the path it serves
 */
export async function startHttpGateway({ authorization, path = '/sms' } = {}) {
  const requests = [];
  const sockets = new Set();
  let modes = { ...DEFAULT_MODES };

  const answer = (res, status, body = '') => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  /** Why the request is not one @logto/connector-http-sms sends, or null. */
  const problem = (req, body) => {
    if (req.method !== 'POST') return `method ${req.method}`;
    if (req.url !== path) return `path ${req.url}`;
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return 'content-type';
    if (authorization !== undefined && req.headers.authorization !== authorization) return 'authorization';
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body is not a JSON object';
    const extra = Object.keys(body).filter((key) => !['to', 'type', 'payload', 'ip'].includes(key));
    if (extra.length > 0) return `unknown keys ${extra}`;
    if (typeof body.to !== 'string' || typeof body.type !== 'string') return 'to and type must be strings';
    if (body.payload === null || typeof body.payload !== 'object' || body.payload.code === undefined) return 'payload.code';
    if ('ip' in body && (typeof body.ip !== 'string' || body.ip === '')) return 'ip';
    return null;
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('error', () => {});
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body = null;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as null
      }
      const record = { method: req.method, path: req.url, headers: { ...req.headers }, raw, body, problem: problem(req, body), fault: modes.fault };
      requests.push(record);
      if (record.problem) return answer(res, 400, `refused: ${record.problem}`);
      switch (modes.fault) {
        case 'status':
          // A gateway echoing the credential it got, as a careless one does.
          return answer(res, modes.status, `gateway failed for ${req.headers.authorization ?? ''}`);
        case 'hang':
          return; // close() destroys the socket
        case 'reset':
          return req.socket.resetAndDestroy();
        case 'redirect':
          res.writeHead(302, { Location: 'https://elsewhere.example/', 'Content-Length': 0 });
          return res.end();
        default:
          return answer(res, 200, 'SMS sent successfully');
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  let closing = null;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    /** `{ fault: 'status', status: 503 }`, `{ fault: 'hang' }`, … from now on. */
    set(changes) {
      if (changes.fault != null && !FAULTS.has(changes.fault)) throw new TypeError(`unknown fault ${changes.fault}`);
      modes = { ...modes, ...changes };
    },
    reset() {
      requests.length = 0;
      modes = { ...DEFAULT_MODES };
    },
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
