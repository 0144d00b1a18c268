// TC3-HMAC-SHA256 on node:crypto (OpenSSL), written apart from the Rust signer: the client side
// of the fake server's tests, and the baseline our wasm `signRequest` is timed against. Same
// inputs and output shape as ours for the headers it can sign (content-type, host, x-tc-action).
import { createHash, createHmac } from 'node:crypto';

const algorithm = 'TC3-HMAC-SHA256';

export const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** The canonical request of a TC3 signature, for `signedHeaders` like "content-type;host". */
export function canonicalRequestFor({ method = 'POST', contentType, host, action, signedHeaders, payload }) {
  const values = { 'content-type': contentType, host, 'x-tc-action': action };
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${String(values[name]).toLowerCase()}\n`)
    .join('');
  return [method, '/', '', canonicalHeaders, signedHeaders, sha256Hex(payload)].join('\n');
}

/** The Authorization value for a canonical request. */
export function authorizationFor({ secretId, secretKey, service, timestamp, canonicalRequest, signedHeaders }) {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = [algorithm, timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `${algorithm} Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** `{ authorization, headers }` for one request, as our `signRequest` returns them. */
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
  signedHeaders = 'content-type;host',
}) {
  const canonicalRequest = canonicalRequestFor({ contentType, host, action, signedHeaders, payload });
  const authorization = authorizationFor({ secretId, secretKey, service, timestamp, canonicalRequest, signedHeaders });
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
