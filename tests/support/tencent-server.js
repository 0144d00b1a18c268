// A local fake of Tencent Cloud's SMS API (SendSms and PullSmsSendStatusByPhoneNumber, version
// 2021-01-11) for tests.
// It verifies TC3-HMAC-SHA256 signatures from the raw request bytes, answers like Tencent
// (HTTP 200 with Response.Error or Response.SendStatusSet) and can inject errors and transport faults.
import { createServer } from 'node:http';
import { createHash, createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CLOCK_DIFF_SECONDS = 300;
const OVERSIZED_BODY_BYTES = 2 * 1024 * 1024;
const FAULTS = new Set([
  'hang', 'trickle', 'html502', 'reset', 'invalidJson', 'empty',
  'noResponse', 'emptyStatusSet', 'missingCode', 'oversized', 'redirect',
]);
const DEFAULT_MODES = Object.freeze({
  skewMs: 0,
  numberCodes: {},
  requestCode: null,
  rateLimitFirst: 0,
  fault: null,
  trickleMs: 200,
  delayMs: 0,
  /** Keep every answer until release(): a test can act while requests are surely unanswered. */
  hold: false,
});
// Longest prefixes first so +852 is not taken for something shorter. Tencent answers the real
// ISO code, or "DEF" for a number it cannot place.
const ISO_BY_PREFIX = [
  ['+852', 'HK'], ['+853', 'MO'], ['+886', 'TW'], ['+86', 'CN'], ['+44', 'GB'], ['+65', 'SG'],
  ['+33', 'FR'], ['+49', 'DE'], ['+81', 'JP'], ['+1', 'US'],
];
// Tencent's own facts, kept apart from the connector's on purpose so each checks the other:
// SendSms's parameters (API 2021-01-11) and the regions SMS serves (common parameters doc).
const SEND_SMS_PARAMETERS = new Set([
  'PhoneNumberSet', 'SmsSdkAppId', 'TemplateId', 'SignName', 'TemplateParamSet', 'ExtendCode', 'SessionContext', 'SenderId',
]);
const SMS_REGIONS = new Set(['ap-beijing', 'ap-guangzhou', 'ap-nanjing', 'ap-singapore']);
// PullSmsSendStatusByPhoneNumber (2021-01-11; tencentcloud.com document/api/382/40518): its
// parameters, the page size it allows, and how far back receipts are kept.
const PULL_STATUS_ACTION = 'PullSmsSendStatusByPhoneNumber';
const PULL_STATUS_PARAMETERS = new Set(['BeginTime', 'Offset', 'Limit', 'PhoneNumber', 'SmsSdkAppId', 'EndTime']);
const PULL_STATUS_MAX_LIMIT = 100;
const RECEIPTS_KEPT_SECONDS = 7 * 24 * 3600;
// And the two the console Test's template check reads.
const ACTIONS = new Set(['SendSms', PULL_STATUS_ACTION, 'DescribeSmsTemplateList', 'DescribeSmsSignList']);
/** SessionContext must be shorter than this many bytes. */
const SESSION_CONTEXT_BYTES = 512;

// Lookups keyed by client input must not reach Object.prototype ("constructor", "__proto__").
const own = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);
const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** UTC date (YYYY-MM-DD) of a Unix time in seconds, or null when out of Date's range. */
export function tc3Date(timestamp) {
  const date = new Date(Number(timestamp) * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

/** Hex TC3-HMAC-SHA256 signature of a canonical request (string), per Tencent's Signature v3. */
export function tc3Signature({ secretKey, service, timestamp, canonicalRequest }) {
  const date = tc3Date(timestamp);
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(timestamp),
    `${date}/${service}/tc3_request`,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

const AUTHORIZATION_PATTERN =
  /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/([^/,\s]+)\/([^/,\s]+)\/([^/,\s]+), SignedHeaders=([^,\s]+), Signature=([0-9a-fA-F]+)$/;

function parseAuthorization(value) {
  const match = AUTHORIZATION_PATTERN.exec(value.trim());
  if (!match) return null;
  const [, secretId, date, service, terminator, signedHeaders, signature] = match;
  return { secretId, date, service, terminator, signedHeaders, signature: signature.toLowerCase() };
}

/** Whether the request's signature holds, rebuilt from what was actually received. */
function verifySignature({ auth, secretKey, headers, rawBody, timestamp }) {
  const names = auth.signedHeaders.split(';').map((name) => name.toLowerCase());
  if (!names.includes('content-type') || !names.includes('host')) return false;
  if (names.some((name) => headers[name] === undefined)) return false;
  if (auth.date !== tc3Date(timestamp) || auth.service !== 'sms' || auth.terminator !== 'tc3_request') {
    return false;
  }
  const canonicalHeaders = [...names]
    .sort()
    .map((name) => `${name}:${String(headers[name]).trim().toLowerCase()}\n`)
    .join('');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, auth.signedHeaders, sha256Hex(rawBody)].join('\n');
  const expected = Buffer.from(tc3Signature({ secretKey, service: 'sms', timestamp, canonicalRequest }), 'hex');
  const given = Buffer.from(auth.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

class RequestError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// A number without + is read as mainland Chinese (`0086…`, `86…` or the 11 digits alone), as
// Tencent does.
function normalisePhoneNumber(raw) {
  if (raw.startsWith('+')) return raw;
  if (raw.startsWith('0086')) return `+${raw.slice(2)}`;
  return raw.startsWith('86') ? `+${raw}` : `+86${raw}`;
}

const isMainland = (phoneNumber) => phoneNumber.startsWith('+86');

function isoCodeOf(phoneNumber) {
  return ISO_BY_PREFIX.find(([prefix]) => phoneNumber.startsWith(prefix))?.[1] ?? 'DEF';
}

function randomSerialNo() {
  const digits = Array.from({ length: 28 }, () => randomInt(10)).join('');
  return `${randomInt(1000, 10000)}:${digits}`;
}

function successEntry(phoneNumber, sessionContext) {
  return {
    SerialNo: randomSerialNo(),
    PhoneNumber: phoneNumber,
    Fee: 1,
    SessionContext: sessionContext,
    Code: 'Ok',
    Message: 'send success',
    IsoCode: isoCodeOf(phoneNumber),
  };
}

function failureEntry(phoneNumber, sessionContext, code, message) {
  return {
    SerialNo: '',
    PhoneNumber: phoneNumber,
    Fee: 0,
    SessionContext: sessionContext,
    Code: code,
    Message: message,
    IsoCode: '',
  };
}

const isStringArray = (value) => Array.isArray(value) && value.every((item) => typeof item === 'string');

function validateBody(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestError('InvalidParameter', 'The request body must be a JSON object.'); // also unparseable JSON
  }
  const unknown = Object.keys(body).find((key) => !SEND_SMS_PARAMETERS.has(key));
  if (unknown !== undefined) {
    throw new RequestError('UnknownParameter', `The parameter \`${unknown.slice(0, 40)}\` is not recognized.`);
  }
  for (const field of ['PhoneNumberSet', 'SmsSdkAppId', 'TemplateId']) {
    if (body[field] === undefined) {
      throw new RequestError('MissingParameter', `The request is missing a required parameter \`${field}\`.`);
    }
  }
  if (!isStringArray(body.PhoneNumberSet)) {
    throw new RequestError('InvalidParameter', 'The parameter `PhoneNumberSet` must be an array of strings.');
  }
  if (body.PhoneNumberSet.length === 0) {
    throw new RequestError('MissingParameter.EmptyPhoneNumberSet', 'The parameter `PhoneNumberSet` is empty.');
  }
  if (body.PhoneNumberSet.length > 200) {
    throw new RequestError('LimitExceeded.PhoneNumberCountLimit', 'More than 200 numbers in `PhoneNumberSet`.');
  }
  for (const field of ['SmsSdkAppId', 'TemplateId', 'SignName', 'SessionContext', 'SenderId', 'ExtendCode']) {
    if (body[field] !== undefined && typeof body[field] !== 'string') {
      throw new RequestError('InvalidParameter', `The parameter \`${field}\` must be a string.`);
    }
  }
  if (body.TemplateParamSet !== undefined && !isStringArray(body.TemplateParamSet)) {
    throw new RequestError('InvalidParameter', 'The parameter `TemplateParamSet` must be an array of strings.');
  }
  if (Buffer.byteLength(body.SessionContext ?? '') >= SESSION_CONTEXT_BYTES) {
    throw new RequestError('InvalidParameterValue', `The parameter \`SessionContext\` must be shorter than ${SESSION_CONTEXT_BYTES} bytes.`);
  }
  const mainland = body.PhoneNumberSet.map((raw) => isMainland(normalisePhoneNumber(raw)));
  if (mainland.some(Boolean) && !mainland.every(Boolean)) {
    throw new RequestError(
      'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber',
      'The request has both mainland China and international numbers.',
    );
  }
}

function requireHeader(headers, name) {
  const value = headers[name];
  if (value === undefined || value === '') {
    throw new RequestError('MissingParameter', `The request is missing a required header \`${name}\`.`);
  }
  return value;
}

/**
 * Starts the fake on 127.0.0.1.
 * @param {object} options
 * @param {Record<string,string>} options.credentials secretId -> secretKey
 * @param {string[]} [options.sdkAppIds] accepted SmsSdkAppId values (any when omitted)
 * @param {Record<string,{international:boolean, params:number, verification?:boolean}>} [options.templates]
 *   approved templates (any when omitted): `params` is the number of placeholders ({1}, {2}, …);
 *   a verification-code template (the default) takes only 0–6 digit values, as Tencent's does.
 *   For DescribeSmsTemplateList a template may also say `status` (StatusCode, default 0: approved),
 *   `reviewReply` and `content` (default: a text with `params` placeholders).
 * @param {string[]} [options.signNames] approved SignName values for mainland numbers (any when omitted)
 * @param {Record<string,{name:string, international?:boolean, status?:number}>} [options.signs]
 *   signatures by SignId, for DescribeSmsSignList (when omitted, any ID is an approved signature
 *   named signNames[0])
 * @param {boolean} [options.individual] an individual (not enterprise-verified) account: both
 *   Describe actions answer FailedOperation.NotEnterpriseCertification, as Tencent documents
 * @param {number} [options.port] 0 picks a free port
 */
export async function startTencentServer({ credentials, sdkAppIds, templates, signNames, signs, individual = false, port = 0 } = {}) {
  if (!credentials || typeof credentials !== 'object') throw new TypeError('credentials is required');
  const requests = [];
  const sockets = new Set();
  const timers = new Set();
  let modes = { ...DEFAULT_MODES };
  let rateLimitedLeft = 0;
  /** Answers kept by the hold mode, in arrival order. */
  const held = [];
  /** Delivery receipts of the numbers sent to, as PullSmsSendStatusByPhoneNumber gives them. */
  const receipts = [];
  /** Receipt outcomes a test set for a number: { ReportStatus, Description }. */
  const receiptOutcomes = new Map();

  const serverClockMs = () => Date.now() + modes.skewMs;

  // Timers are tracked so close() leaves nothing behind.
  function later(ms, fn) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  }
  function cancel(timer) {
    clearTimeout(timer);
    timers.delete(timer);
  }

  function writeHead(res, status, contentType, contentLength) {
    const headers = { Date: new Date(serverClockMs()).toUTCString(), 'Content-Type': contentType };
    if (contentLength !== undefined) headers['Content-Length'] = contentLength;
    res.writeHead(status, headers);
  }

  function sendJson(res, text, status = 200) {
    if (res.destroyed || res.writableEnded) return;
    writeHead(res, status, 'application/json', Buffer.byteLength(text));
    res.end(text);
  }

  const errorResponse = (code, message) => ({ Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } });

  // Header and signature checks, in the order Tencent's gateway applies them.
  // signatureValid is reported even when an error is thrown (e.g. SignatureExpire after a good signature).
  function checkEnvelope(req, rawBody, result) {
    const headers = req.headers;
    if (req.method !== 'POST') {
      throw new RequestError('UnsupportedProtocol', `HTTP method ${req.method} is not supported; use POST.`);
    }
    if (req.url !== '/') throw new RequestError('InvalidRequest', `Path ${req.url} is not supported; use /.`);
    const contentType = String(headers['content-type'] ?? '').toLowerCase();
    if (contentType !== 'application/json' && contentType !== 'application/json; charset=utf-8') {
      throw new RequestError('InvalidParameter', `Content-Type \`${headers['content-type'] ?? ''}\` is not supported.`);
    }
    const action = requireHeader(headers, 'x-tc-action');
    if (!ACTIONS.has(action)) throw new RequestError('InvalidAction', `Action \`${action}\` is invalid.`);
    const version = requireHeader(headers, 'x-tc-version');
    if (version !== '2021-01-11') throw new RequestError('NoSuchVersion', `Version \`${version}\` does not exist.`);
    const timestampText = requireHeader(headers, 'x-tc-timestamp');
    if (!/^\d{1,15}$/.test(timestampText)) {
      throw new RequestError('InvalidParameter', 'The header `X-TC-Timestamp` must be Unix seconds in decimal.');
    }
    const timestamp = Number(timestampText);
    const region = requireHeader(headers, 'x-tc-region');
    const auth = parseAuthorization(requireHeader(headers, 'authorization'));
    if (!auth) throw new RequestError('AuthFailure.InvalidAuthorization', 'The Authorization header is malformed.');
    const secretKey = own(credentials, auth.secretId);
    if (secretKey === undefined) {
      throw new RequestError('AuthFailure.SecretIdNotFound', `SecretId \`${auth.secretId}\` was not found.`);
    }
    result.signatureValid = verifySignature({ auth, secretKey, headers, rawBody, timestamp });
    const serverSeconds = Math.floor(serverClockMs() / 1000);
    if (Math.abs(timestamp - serverSeconds) > MAX_CLOCK_DIFF_SECONDS) {
      throw new RequestError(
        'AuthFailure.SignatureExpire',
        `Signature expired. Request timestamp is ${timestamp}, server time is ${serverSeconds}.`,
      );
    }
    if (!result.signatureValid) {
      throw new RequestError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    if (!SMS_REGIONS.has(region)) {
      throw new RequestError('UnsupportedRegion', `The region \`${region.slice(0, 40)}\` is not supported.`);
    }
  }

  function sendStatusSet(body) {
    const sessionContext = body.SessionContext ?? '';
    const template = templates ? own(templates, body.TemplateId) : undefined;
    const paramCount = body.TemplateParamSet?.length ?? 0;
    return body.PhoneNumberSet.map((raw) => {
      const phoneNumber = normalisePhoneNumber(raw);
      const fail = (code, message) => failureEntry(phoneNumber, sessionContext, code, message);
      const injected = own(modes.numberCodes, phoneNumber) ?? own(modes.numberCodes, raw);
      if (injected) return fail(injected, `injected error ${injected}`);
      if (!/^\+\d{7,15}$/.test(phoneNumber)) {
        return fail('InvalidParameterValue.IncorrectPhoneNumber', `Incorrect phone number \`${raw}\`.`);
      }
      const mainland = isMainland(phoneNumber);
      if (templates) {
        if (!template) {
          return fail('FailedOperation.TemplateUnapprovedOrNotExist', `Template ${body.TemplateId} is not approved or does not exist.`);
        }
        if (!template.international && !mainland) {
          return fail('UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone', 'A mainland China template cannot be sent to a global number.');
        }
        if (template.international && mainland) {
          return fail('UnsupportedOperation.GlobalTemplateToChineseMainlandPhone', 'A global template cannot be sent to a mainland China number.');
        }
        if (paramCount !== template.params) {
          return fail('FailedOperation.TemplateParamSetNotMatchApprovedTemplate', `Template ${body.TemplateId} takes ${template.params} parameter(s), got ${paramCount}.`);
        }
      }
      // Required for mainland numbers, whatever signNames says.
      if (mainland && !body.SignName) {
        return fail('FailedOperation.SignatureIncorrectOrUnapproved', 'SignName is required for mainland China numbers.');
      }
      if (signNames && mainland && !signNames.includes(body.SignName)) {
        return fail('FailedOperation.SignatureIncorrectOrUnapproved', `SignName \`${body.SignName ?? ''}\` is incorrect or unapproved.`);
      }
      const entry = successEntry(phoneNumber, sessionContext);
      const outcome = receiptOutcomes.get(phoneNumber) ?? { ReportStatus: 'SUCCESS', Description: 'DELIVRD' };
      receipts.push({
        UserReceiveTime: Math.floor(serverClockMs() / 1000),
        CountryCode: '',
        SubscriberNumber: '',
        PhoneNumber: phoneNumber,
        SerialNo: entry.SerialNo,
        ...outcome,
        SessionContext: sessionContext,
      });
      return entry;
    });
  }

  const isInteger = (value) => Number.isSafeInteger(value);

  /** PullSmsSendStatusByPhoneNumber: the number's receipts in [BeginTime, EndTime], one page. */
  function pullStatus(body) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new RequestError('InvalidParameter', 'The request body must be a JSON object.');
    }
    const unknown = Object.keys(body).find((key) => !PULL_STATUS_PARAMETERS.has(key));
    if (unknown !== undefined) {
      throw new RequestError('UnknownParameter', `The parameter \`${unknown.slice(0, 40)}\` is not recognized.`);
    }
    for (const field of ['BeginTime', 'Offset', 'Limit', 'PhoneNumber', 'SmsSdkAppId']) {
      if (body[field] === undefined) {
        throw new RequestError('MissingParameter', `The request is missing a required parameter \`${field}\`.`);
      }
    }
    for (const field of ['BeginTime', 'Offset', 'Limit', 'EndTime']) {
      if (body[field] !== undefined && (!isInteger(body[field]) || body[field] < 0)) {
        throw new RequestError('InvalidParameter', `The parameter \`${field}\` must be a non-negative integer.`);
      }
    }
    for (const field of ['PhoneNumber', 'SmsSdkAppId']) {
      if (typeof body[field] !== 'string') {
        throw new RequestError('InvalidParameter', `The parameter \`${field}\` must be a string.`);
      }
    }
    if (body.Limit < 1 || body.Limit > PULL_STATUS_MAX_LIMIT) {
      throw new RequestError('InvalidParameterValue', `The parameter \`Limit\` must be from 1 to ${PULL_STATUS_MAX_LIMIT}.`);
    }
    if (!/^\+\d{7,15}$/.test(body.PhoneNumber)) {
      throw new RequestError('InvalidParameterValue.IncorrectPhoneNumber', `Incorrect phone number \`${body.PhoneNumber.slice(0, 20)}\`.`);
    }
    const now = Math.floor(serverClockMs() / 1000);
    if (body.BeginTime < now - RECEIPTS_KEPT_SECONDS) {
      throw new RequestError('InvalidParameterValue', 'The parameter `BeginTime` is more than 7 days ago; receipts are kept for 7 days.');
    }
    const end = body.EndTime ?? now;
    const matching = receipts.filter(
      (receipt) => receipt.PhoneNumber === body.PhoneNumber && receipt.UserReceiveTime >= body.BeginTime && receipt.UserReceiveTime <= end,
    );
    return matching.slice(body.Offset, body.Offset + body.Limit);
  }

  // Tencent refuses a verification-code template variable that is not 0–6 digits, for the whole request.
  function checkVerificationParams(body) {
    const template = templates ? own(templates, body.TemplateId) : undefined;
    if (!template || template.verification === false) return;
    const bad = (body.TemplateParamSet ?? []).find((value) => !/^\d{0,6}$/.test(value));
    if (bad !== undefined) {
      throw new RequestError(
        'InvalidParameterValue.TemplateParameterFormatError',
        `Template ${body.TemplateId} is a verification-code template: each parameter must be 0-6 digits.`,
      );
    }
  }

  /** Envelope verdict: { signatureValid, error } where error is a RequestError or null. */
  function inspectEnvelope(req, rawBody, tooLarge) {
    const result = { signatureValid: null, error: null };
    if (tooLarge) {
      result.error = new RequestError('RequestSizeLimitExceeded', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
      return result;
    }
    try {
      checkEnvelope(req, rawBody, result);
    } catch (error) {
      result.error = error;
    }
    return result;
  }

  /** The JSON answer Tencent would give; records the request-level code when there is one. */
  function answerFor(envelope, record) {
    try {
      if (envelope.error) throw envelope.error;
      if (rateLimitedLeft > 0) {
        rateLimitedLeft -= 1;
        throw new RequestError('RequestLimitExceeded', 'Your current request times equals to `20` in a second, which exceeds the frequency limit.');
      }
      if (modes.requestCode) throw new RequestError(modes.requestCode, `injected error ${modes.requestCode}`);
      if (record.headers['x-tc-action'] === PULL_STATUS_ACTION) {
        const set = pullStatus(record.body);
        if (sdkAppIds && !sdkAppIds.includes(record.body.SmsSdkAppId)) {
          throw new RequestError('InvalidParameterValue.SdkAppIdNotExist', `SmsSdkAppId ${record.body.SmsSdkAppId} does not exist.`);
        }
        return { Response: { PullSmsSendStatusSet: set, RequestId: randomUUID() } };
      }
      if (record.action !== 'SendSms') return describe(record.action, record.body);
      validateBody(record.body);
      if (sdkAppIds && !sdkAppIds.includes(record.body.SmsSdkAppId)) {
        throw new RequestError('InvalidParameterValue.SdkAppIdNotExist', `SmsSdkAppId ${record.body.SmsSdkAppId} does not exist.`);
      }
      checkVerificationParams(record.body);
      return { Response: { SendStatusSet: sendStatusSet(record.body), RequestId: randomUUID() } };
    } catch (error) {
      const known = error instanceof RequestError;
      record.answeredCode = known ? error.code : 'InternalError';
      return errorResponse(record.answeredCode, known ? error.message : 'Internal error in the fake server.');
    }
  }

  // DescribeSmsTemplateList / DescribeSmsSignList (2021-01-11), per Tencent's API reference and
  // tencentcloud-sdk-nodejs's sms_models.ts: `International` 0 or 1 (required); templates by
  // `TemplateIdSet` (at most 100) or, when it is empty, listed by `Limit` (at most 100) and
  // `Offset`; signatures by `SignIdSet` (required, at most 100). StatusCode 0 is approved. An ID
  // that is unknown, or of the other site, is left out of the answer (the fake's reading: Tencent
  // documents no error for it).
  function describe(action, body) {
    if (individual) {
      throw new RequestError('FailedOperation.NotEnterpriseCertification', 'Individual accounts cannot use the signature and template APIs; change to enterprise verification.');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new RequestError('InvalidParameter', 'The request body must be a JSON object.');
    }
    const isTemplates = action === 'DescribeSmsTemplateList';
    const known = isTemplates ? ['International', 'TemplateIdSet', 'Limit', 'Offset'] : ['International', 'SignIdSet'];
    const unknown = Object.keys(body).find((key) => !known.includes(key));
    if (unknown !== undefined) {
      throw new RequestError('UnknownParameter', `The parameter \`${unknown.slice(0, 40)}\` is not recognized.`);
    }
    if (body.International === undefined) {
      throw new RequestError('MissingParameter', 'The request is missing a required parameter `International`.');
    }
    if (body.International !== 0 && body.International !== 1) {
      throw new RequestError('InvalidParameterValue', 'The parameter `International` must be 0 or 1.');
    }
    const idsKey = isTemplates ? 'TemplateIdSet' : 'SignIdSet';
    const ids = body[idsKey];
    if (ids === undefined && !isTemplates) {
      throw new RequestError('MissingParameter', 'The request is missing a required parameter `SignIdSet`.');
    }
    if (ids !== undefined && (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id >= 0))) {
      throw new RequestError('InvalidParameter', `The parameter \`${idsKey}\` must be an array of integers.`);
    }
    if ((ids?.length ?? 0) > 100) {
      throw new RequestError('InvalidParameterValue', `The parameter \`${idsKey}\` holds more than 100 IDs.`);
    }
    const international = body.International === 1;
    const createTime = Math.floor(serverClockMs() / 1000);
    if (!isTemplates) {
      const set = ids.flatMap((id) => {
        const sign = signs ? own(signs, String(id)) : { name: signNames?.[0] ?? 'Tencent' };
        if (!sign || Boolean(sign.international) !== international) return [];
        return [{ SignId: id, International: body.International, StatusCode: sign.status ?? 0, ReviewReply: '', SignName: sign.name, CreateTime: createTime }];
      });
      return { Response: { DescribeSignListStatusSet: set, RequestId: randomUUID() } };
    }
    for (const [key, code, max] of [['Limit', 'InvalidParameterValue.LimitVerifyFail', 100], ['Offset', 'InvalidParameterValue.OffsetVerifyFail', Number.MAX_SAFE_INTEGER]]) {
      if (body[key] !== undefined && !(Number.isSafeInteger(body[key]) && body[key] >= 0 && body[key] <= max)) {
        throw new RequestError(code, `The parameter \`${key}\` is invalid.`);
      }
    }
    const recordOf = (id, template) => ({
      TemplateId: id,
      International: body.International,
      StatusCode: template.status ?? 0,
      ReviewReply: template.reviewReply ?? '',
      TemplateName: `template ${id}`,
      CreateTime: createTime,
      TemplateContent: template.content ?? `Your code is {1}.${Array.from({ length: Math.max(0, template.params - 1) }, (_, index) => ` {${index + 2}}`).join('')}`,
    });
    const ofSite = (template) => template && Boolean(template.international) === international;
    let set;
    if (ids?.length) {
      set = ids.flatMap((id) => {
        const template = templates ? own(templates, String(id)) : { international, params: 1 };
        return ofSite(template) ? [recordOf(id, template)] : [];
      });
    } else {
      // Listed in pages; without `templates` the fake has none to list.
      const all = Object.entries(templates ?? {}).filter(([, template]) => ofSite(template));
      const offset = body.Offset ?? 0;
      set = all.slice(offset, offset + (body.Limit ?? 0)).map(([id, template]) => recordOf(Number(id), template));
    }
    return { Response: { DescribeTemplateStatusSet: set, RequestId: randomUUID() } };
  }

  function trickle(res, text) {
    writeHead(res, 200, 'application/json', Buffer.byteLength(text));
    res.flushHeaders();
    const bytes = Buffer.from(text);
    let index = 0;
    let timer = null;
    res.once('close', () => cancel(timer));
    const step = () => {
      res.write(bytes.subarray(index, index + 1));
      index += 1;
      if (index < bytes.length) timer = later(modes.trickleMs, step);
      else res.end();
    };
    step();
  }

  function oversizedText(phoneNumbers) {
    const entries = phoneNumbers.map((number) => successEntry(normalisePhoneNumber(number), ''));
    // Padding first, so a client reading with a size cap hits the cap before any success data.
    const frame = (padding) => JSON.stringify({ Response: { Padding: padding, SendStatusSet: entries, RequestId: randomUUID() } });
    return frame('x'.repeat(Math.max(0, OVERSIZED_BODY_BYTES - Buffer.byteLength(frame('')))));
  }

  function misbehave(fault, req, res, envelope, record) {
    const phoneNumbers = isStringArray(record.body?.PhoneNumberSet) && record.body.PhoneNumberSet.length > 0
      ? record.body.PhoneNumberSet
      : ['+8613711112222'];
    switch (fault) {
      case 'hang':
        return; // close() destroys the socket
      case 'trickle':
        return trickle(res, JSON.stringify(answerFor(envelope, record)));
      case 'html502': {
        const html = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
        writeHead(res, 502, 'text/html', Buffer.byteLength(html));
        return res.end(html);
      }
      case 'reset':
        return req.socket.resetAndDestroy();
      case 'invalidJson':
        return sendJson(res, '{"Response": {');
      case 'empty':
        return sendJson(res, '');
      case 'noResponse':
        return sendJson(res, '{"Foo":1}');
      case 'emptyStatusSet':
        return sendJson(res, JSON.stringify({ Response: { SendStatusSet: [], RequestId: randomUUID() } }));
      case 'missingCode': {
        const entries = phoneNumbers.map((number) => successEntry(normalisePhoneNumber(number), ''));
        delete entries[0].Code;
        return sendJson(res, JSON.stringify({ Response: { SendStatusSet: entries, RequestId: randomUUID() } }));
      }
      case 'oversized':
        return sendJson(res, oversizedText(phoneNumbers));
      case 'redirect':
        // A proxy sending the client elsewhere, after it may have forwarded the request.
        res.writeHead(307, { Location: 'https://sms.tencentcloudapi.com/', 'Content-Length': 0 });
        return res.end();
    }
  }

  function handle(req, res, envelope, record) {
    const fault = modes.fault;
    record.fault = fault;
    const respond = () => {
      if (res.destroyed) return;
      if (fault) return misbehave(fault, req, res, envelope, record);
      const answer = answerFor(envelope, record);
      record.requestId = answer.Response.RequestId;
      sendJson(res, JSON.stringify(answer));
    };
    if (modes.hold && fault !== 'hang') {
      held.push(respond);
    } else if (modes.delayMs > 0 && fault !== 'hang') {
      const timer = later(modes.delayMs, respond);
      res.once('close', () => cancel(timer));
    } else {
      respond();
    }
  }

  const server = createServer((req, res) => {
    const record = {
      method: req.method,
      path: req.url,
      headers: { ...req.headers },
      rawBody: Buffer.alloc(0),
      body: null,
      signatureValid: null,
      answeredCode: null,
      /** The RequestId of the JSON answer, once given (not for a fault). */
      requestId: null,
      fault: null,
      /** X-TC-RequestClient as received (undefined when absent); Tencent's SDKs send one. */
      requestClient: req.headers['x-tc-requestclient'],
      /** X-TC-Action as received: SendSms or a Describe action. */
      action: req.headers['x-tc-action'],
      /** SenderId of the body (undefined when absent). */
      senderId: undefined,
      at: Date.now(),
    };
    const chunks = [];
    let size = 0;
    // Past the cap the rest is drained and dropped, so the client still gets an answer.
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', () => {}); // aborted uploads: nothing to answer
    req.on('end', () => {
      const tooLarge = size > MAX_BODY_BYTES;
      record.rawBody = Buffer.concat(chunks);
      if (!tooLarge) {
        try {
          record.body = JSON.parse(record.rawBody.toString('utf8'));
          record.senderId = record.body?.SenderId;
        } catch {
          record.body = null;
        }
      }
      // Checked before any fault so signatureValid is recorded whatever the answer.
      const envelope = inspectEnvelope(req, record.rawBody, tooLarge);
      record.signatureValid = envelope.signatureValid;
      requests.push(record);
      try {
        handle(req, res, envelope, record);
      } catch {
        sendJson(res, JSON.stringify(errorResponse('InternalError', 'Internal error in the fake server.')));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: boundPort } = server.address();
  let closing = null;

  return {
    url: `http://127.0.0.1:${boundPort}`,
    host: `127.0.0.1:${boundPort}`,
    port: boundPort,
    requests,
    /** Changes behaviour from now on; keys are merged over the current modes. */
    set(changes) {
      for (const key of Object.keys(changes)) {
        if (!(key in DEFAULT_MODES)) throw new TypeError(`unknown mode ${key}`);
      }
      if (changes.fault != null && !FAULTS.has(changes.fault)) throw new TypeError(`unknown fault ${changes.fault}`);
      modes = { ...modes, ...changes };
      if ('rateLimitFirst' in changes) rateLimitedLeft = changes.rateLimitFirst;
    },
    /** The receipts kept so far (PullSmsSendStatusByPhoneNumber's entries). */
    receipts,
    /**
     * From now on, receipts of SMS sent to `phoneNumber` (E.164 with +) say `description` with
     * ReportStatus FAIL, as a carrier's failure does; `null` restores delivery.
     */
    setReceipt(phoneNumber, description) {
      if (description === null) receiptOutcomes.delete(phoneNumber);
      else receiptOutcomes.set(phoneNumber, { ReportStatus: 'FAIL', Description: description });
    },
    /** Sends the answers kept by the hold mode (which stays on until set or reset). */
    release() {
      for (const respond of held.splice(0)) respond();
    },
    /** Forgets recorded requests, restores default modes and releases held answers. */
    reset() {
      for (const respond of held.splice(0)) respond();
      requests.length = 0;
      receipts.length = 0;
      receiptOutcomes.clear();
      modes = { ...DEFAULT_MODES };
      rateLimitedLeft = 0;
    },
    /** Stops listening and destroys open sockets (hanging or trickling ones included). */
    close() {
      closing ??= new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
