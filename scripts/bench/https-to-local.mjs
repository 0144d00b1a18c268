// Preload (`node --import`) for benchmark children. The official connector always posts to
// https://sms.tencentcloudapi.com through `got`, which calls `https.request` at send time; this
// routes those calls over plain HTTP to the local fake on 127.0.0.1:$BENCH_TENCENT_PORT, keeping the
// Host header the connector signed, so the fake still verifies the real signature. The connector's
// own files are never touched. Our connector uses fetch and is not affected; it loads this too so
// both children start the same way.
import http from 'node:http';
import https from 'node:https';

const tencentHost = 'sms.tencentcloudapi.com';
const port = Number(process.env.BENCH_TENCENT_PORT);
if (!Number.isInteger(port) || port <= 0) {
  throw new Error('https-to-local.mjs needs BENCH_TENCENT_PORT');
}

// https.request(url[, options][, callback]) or https.request(options[, callback]).
const splitArguments = (first, second, third) => {
  if (typeof first === 'string' || first instanceof URL) {
    return typeof second === 'function'
      ? { url: new URL(first), options: {}, callback: second }
      : { url: new URL(first), options: second ?? {}, callback: third };
  }
  const options = first ?? {};
  const hostname = options.hostname ?? String(options.host ?? '').replace(/:\d+$/, '');
  return { url: new URL(options.path ?? '/', `https://${hostname}`), options, callback: second };
};

const requestToLocal = (...args) => {
  const { url, options, callback } = splitArguments(...args);
  // Anything but Tencent would otherwise leave the machine: fail loudly instead.
  if (url.hostname !== tencentHost) {
    throw new Error(`benchmark preload: unexpected https request to ${url.hostname}`);
  }
  const headers = { ...options.headers };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'host')) {
    headers.host = url.host;
  }
  return http.request(
    {
      ...options,
      protocol: 'http:',
      host: '127.0.0.1',
      hostname: '127.0.0.1',
      port,
      path: `${url.pathname}${url.search}`,
      // An https agent cannot carry plain HTTP; the default keep-alive HTTP agent stands in for it.
      agent: undefined,
      headers,
    },
    callback,
  );
};

https.request = requestToLocal;
https.get = (...args) => {
  const request = requestToLocal(...args);
  request.end();
  return request;
};
