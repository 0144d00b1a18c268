// Shared test data: one API key known to the local Tencent server, and configs built on it.
import { TemplateType } from '@logto/connector-kit';

import { startTencentServer } from './tencent-server.js';
import { validConfig } from './valid-config.js';

export const { accessKeyId: secretId, accessKeySecret: secretKey } = validConfig();

/** The host's own list of message types, so the tests follow connector-kit, not our metadata. */
export const templateTypes = Object.values(TemplateType);

/** Template codes 100001… in templateTypes order, mainland templates on the local server. */
export const templateCodeFor = (type) => String(100_001 + templateTypes.indexOf(type));

/** The shared valid config with a template for every type, sending to `endpoint`. */
export const makeConfig = (endpoint, overrides = {}) => ({
  ...validConfig(),
  templates: templateTypes.map((usageType) => ({ usageType, templateCode: templateCodeFor(usageType) })),
  endpoint,
  ...overrides,
});

/** Every way an error could carry text out: message, data, stack, cause. */
export const everythingPrinted = (error) =>
  [String(error), error?.message, error?.stack, JSON.stringify(error?.data), JSON.stringify(error), String(error?.cause?.stack ?? error?.cause ?? '')].join('\n');

/** The local Tencent server knowing the test key, and a config that sends to it. */
export const startLocalTencent = async () => {
  const server = await startTencentServer({ credentials: { [secretId]: secretKey } });
  return { server, config: makeConfig(server.url) };
};

