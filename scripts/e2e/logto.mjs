// Logto's own CLI (seed, connector add/remove) and core server, for one instance under logtoDir.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { freePort, runLogged, startProcess, stopProcess, waitFor } from './processes.mjs';

const loopbackOnly = new URL('./loopback-only.mjs', import.meta.url).href;

export const createLogto = ({ logtoDir, databaseUrl, logDir, env }) => {
  const cli = path.join(logtoDir, 'packages', 'cli', 'bin', 'logto.js');
  const coreDir = path.join(logtoDir, 'packages', 'core');
  const connectorsDir = path.join(coreDir, 'connectors');
  const cliLog = path.join(logDir, 'logto-cli.log');
  const runCli = (what, args) =>
    runLogged(what, process.execPath, [cli, ...args], { cwd: logtoDir, env: { ...env, DB_URL: databaseUrl }, logFile: cliLog, timeoutMs: 300_000 });

  /** Package directory `connector add` creates for a package name (`@a/b` becomes `@a-b`). */
  const connectorDir = (packageName) => path.join(connectorsDir, packageName.replaceAll('/', '-'));

  return {
    // --dapc: the admin tenant's first sign-up skips the breached-password check, whose service
    // (api.pwnedpasswords.com) is unreachable from a loopback-only run.
    seed: () => runCli('logto db seed', ['db', 'seed', '--swe', '--dapc']),

    /** `logto connector add` logs a failed package and still exits 0, so check that it landed. */
    addConnector: (source, packageName) => {
      runCli(`logto connector add ${packageName}`, ['connector', 'add', source, '-p', logtoDir]);
      if (!existsSync(path.join(connectorDir(packageName), 'package.json'))) {
        throw new Error(`logto connector add did not install ${packageName}; see ${cliLog}`);
      }
    },

    removeConnector: (packageName) => {
      if (existsSync(connectorDir(packageName))) {
        runCli(`logto connector remove ${packageName}`, ['connector', 'remove', packageName, '-p', logtoDir]);
      }
    },

    /**
     * Starts core on two free loopback ports; resolves once both answer. Development mode unless
     * `production` (which serves the built console and experience apps and has no bootstrap header).
     * `preloads` are extra `node --import` modules, with `extraEnv` for them.
     */
    startCore: async ({ production = false, preloads = [], extraEnv = {} } = {}) => {
      const [port, adminPort] = [await freePort(), await freePort()];
      const urls = { core: `http://127.0.0.1:${port}`, admin: `http://127.0.0.1:${adminPort}` };
      const core = startProcess('logto core', process.execPath, [...[loopbackOnly, ...preloads].flatMap((preload) => ['--import', preload]), '.'], {
        cwd: coreDir,
        logFile: path.join(logDir, 'logto-core.log'),
        env: {
          ...env,
          DB_URL: databaseUrl,
          PORT: String(port),
          ADMIN_PORT: String(adminPort),
          ENDPOINT: urls.core,
          ADMIN_ENDPOINT: urls.admin,
          ...(production ? { NODE_ENV: 'production' } : {}),
          ...extraEnv,
        },
      });
      await waitFor('Logto core to answer', async () => {
        if (!core.isRunning()) {
          throw new Error(`core exited; see ${path.join(logDir, 'logto-core.log')}`);
        }
        const answers = await Promise.all(
          [urls.core, urls.admin].map((url) => fetch(`${url}/api/status`, { signal: AbortSignal.timeout(2000) }).then((response) => response.status === 204, () => false)),
        );
        return answers.every(Boolean);
      }, { attempts: 120, intervalMs: 500, timeoutMs: 90_000 });
      return { ...urls, stop: () => stopProcess(core) };
    },
  };
};
