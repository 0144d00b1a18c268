// TC3-HMAC-SHA256 on node:crypto (OpenSSL): the baseline our wasm `signRequest` is timed against.
// Same inputs and output shape as ours for the default signed headers (content-type;host).
import { createHash, createHmac } from 'node:crypto';

const algorithm = 'TC3-HMAC-SHA256';
const signedHeaders = 'content-type;host';

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

export function signTc3({
  secretId,
  secretKey,
  service,
  host,
  action,
  version,
  region,
  timestamp,
  payload,
  contentType = 'application/json; charset=utf-8',
}) {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonicalHeaders = `content-type:${contentType.toLowerCase()}\nhost:${host.toLowerCase()}\n`;
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(payload)].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = [algorithm, timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  const authorization = `${algorithm} Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  const headers = {
    Authorization: authorization,
    'Content-Type': contentType,
    Host: host,
    'X-TC-Action': action,
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Version': version,
  };
  if (region !== undefined) {
    headers['X-TC-Region'] = region;
  }
  return { authorization, headers };
}
