// A throw-away PostgreSQL cluster on a free loopback port, from the binaries on the machine.
// postgres refuses to run as root, so as root the cluster is owned and run by the `postgres` OS user.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { freePort, runLogged, startProcess, waitFor } from './processes.mjs';

const debianRoot = '/usr/lib/postgresql';

/** The newest `/usr/lib/postgresql/<version>/bin` with initdb, else the directory of `initdb` on PATH. */
const findBinDir = () => {
  const versions = existsSync(debianRoot)
    ? readdirSync(debianRoot).filter((version) => existsSync(path.join(debianRoot, version, 'bin', 'initdb')))
    : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length > 0) {
    return path.join(debianRoot, versions[0], 'bin');
  }
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return onPath ? path.dirname(onPath) : undefined;
};

/** How to run PostgreSQL binaries here: directly, or as the `postgres` user when we are root. */
const findRunner = () => {
  if (process.getuid?.() !== 0) {
    return { wrap: (command, args) => [command, args] };
  }
  const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const uid = Number(ids.stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (ids.status !== 0 || !Number.isInteger(uid) || uid === 0) {
    return undefined;
  }
  // setpriv execs in place, so the PID we hold is the server's own and it gets our signals.
  return {
    uid,
    gid,
    wrap: (command, args) => ['setpriv', ['--reuid', String(uid), '--regid', String(gid), '--clear-groups', command, ...args]],
  };
};

/** Why no cluster can be started here, or undefined when one can. */
export const postgresUnavailable = () => {
  if (!findBinDir()) {
    return 'no PostgreSQL server binaries (initdb) found in /usr/lib/postgresql/*/bin or on PATH; install PostgreSQL or set DATABASE_URL';
  }
  if (!findRunner()) {
    return 'running as root and there is no `postgres` OS user to run PostgreSQL as; set DATABASE_URL instead';
  }
  return undefined;
};

/**
 * Creates and starts a cluster in `<workDir>/pgdata`, reachable only on 127.0.0.1 with trust auth.
 * Resolves to `{ url }`; the caller removes workDir.
 */
export const startPostgres = async ({ workDir, logDir }) => {
  const binDir = findBinDir();
  const runner = findRunner();
  const dataDir = path.join(workDir, 'pgdata');
  mkdirSync(dataDir, { mode: 0o700 });
  if (runner.uid !== undefined) {
    chownSync(workDir, runner.uid, runner.gid);
    chownSync(dataDir, runner.uid, runner.gid);
  }
  const logFile = path.join(logDir, 'postgres.log');
  runLogged('initdb', ...runner.wrap(path.join(binDir, 'initdb'), [
    '-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync',
  ]), { logFile, cwd: workDir, timeoutMs: 120_000 });

  const port = await freePort();
  const server = startProcess('postgres', ...runner.wrap(path.join(binDir, 'postgres'), [
    '-D', dataDir,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', `unix_socket_directories=${dataDir}`,
    '-c', 'fsync=off',
  ]), { logFile, cwd: workDir, stopSignal: 'SIGINT' }); // SIGINT is PostgreSQL's fast shutdown
  const pgIsReady = path.join(binDir, 'pg_isready');
  await waitFor('PostgreSQL to accept connections', () => {
    if (!server.isRunning()) {
      throw new Error('postgres exited');
    }
    return spawnSync(pgIsReady, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], { timeout: 5000 }).status === 0;
  }, { attempts: 60, timeoutMs: 30_000 });

  // Stopped with everything else by stopAll(), after core.
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/logto` };
};

/**
 * For DATABASE_URL: drops its database and the cluster-wide roles a previous seed made for it
 * (`logto_tenant_<database>` and `logto_tenant_<database>_<tenant>`), so the next seed starts fresh.
 */
export const recreateDatabase = (databaseUrl, { logDir }) => {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) {
    throw new Error(`DATABASE_URL must name a database in lowercase letters, digits and _ (got "${database}")`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(`DATABASE_URL must point at a loopback address, not ${url.hostname}: the run drops and recreates its database`);
  }
  const binDir = findBinDir();
  const psql = binDir ? path.join(binDir, 'psql') : 'psql';
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const rolePrefix = `logto_tenant_${database}`;
  const dropDatabase = `drop database if exists ${database} with (force)`;
  const dropRoles = `
    do $$ declare role_name text; begin
      for role_name in select rolname from pg_roles where rolname = '${rolePrefix}' or starts_with(rolname, '${rolePrefix}_') loop
        execute format('drop role %I', role_name);
      end loop;
    end $$;`;
  runLogged('drop the DATABASE_URL database', psql, [maintenance.href, '-v', 'ON_ERROR_STOP=1', '-q', '-c', dropDatabase, '-c', dropRoles], {
    logFile: path.join(logDir, 'postgres.log'),
    timeoutMs: 60_000,
  });
};
