// Installs the packed package the way `logto connector add` does (npm pack, extract, no
// dependency install) and loads it with Logto's own loader from @logto/cli.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const pkgDir = path.join(root, 'pkg');
export const connectorId = 'tencent-short-message-service';

/**
 * `<tmp>/connectors/<name>/` holds the extracted package; `<tmp>/node_modules` holds only the
 * host packages Logto core provides to connectors (connector-kit, zod, and redis, which the
 * connector imports from the host for shared send limits), linked to the same files the loader
 * itself imports, so `instanceof ConnectorError` sees one class.
 */
export const installLikeLogto = () => {
  const home = mkdtempSync(path.join(tmpdir(), 'logto-host-'));
  const connectorsDir = path.join(home, 'connectors');
  mkdirSync(path.join(home, 'node_modules', '@logto'), { recursive: true });
  symlinkSync(path.join(root, 'node_modules/@logto/connector-kit'), path.join(home, 'node_modules/@logto/connector-kit'));
  symlinkSync(path.join(root, 'node_modules/zod'), path.join(home, 'node_modules/zod'));
  symlinkSync(path.join(root, 'node_modules/redis'), path.join(home, 'node_modules/redis'));
  const tarball = execFileSync('npm', ['pack', pkgDir, '--pack-destination', home, '--silent'], {
    cwd: home,
    encoding: 'utf8',
  }).trim().split('\n').pop();
  const name = JSON.parse(execFileSync('tar', ['-xzOf', path.join(home, tarball), 'package/package.json'], { encoding: 'utf8' })).name;
  const target = path.join(connectorsDir, name);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(home, tarball), '-C', target, '--strip-components=1']);
  return { home, connectorsDir, packageDir: target, name, cleanup: () => rmSync(home, { recursive: true, force: true }) };
};

/** The connector factory exactly as Logto core gets it at startup. */
export const loadWithLogtoLoader = async (connectorsDir) => {
  const { getConnectorPackagesFromDirectory } = await import('@logto/cli/lib/utils.js');
  const { loadConnectorFactories, buildRawConnector } = await import('@logto/cli/lib/connector/index.js');
  const packages = await getConnectorPackagesFromDirectory(connectorsDir);
  const factories = await loadConnectorFactories(packages, false);
  const factory = factories.find(({ metadata }) => metadata.id === connectorId);
  return { packages, factories, factory, buildRawConnector };
};
