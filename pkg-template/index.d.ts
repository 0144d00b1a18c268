import type { ConnectorError } from '@logto/connector-kit';
import type { ZodType, ZodTypeDef } from 'zod';

/** Logto message types; any other string falls back to the `Generic` template. */
export type UsageType =
  | 'SignIn'
  | 'Register'
  | 'ForgotPassword'
  | 'OrganizationInvitation'
  | 'Generic'
  | 'UserPermissionValidation'
  | 'BindNewIdentifier'
  | 'MfaVerification'
  | 'BindMfa';

export interface TencentSmsTemplate {
  usageType: UsageType | (string & Record<never, never>);
  /**
   * BCP 47 language tag (`"en"`, `"zh-CN"`, `"fr-CA"`): this entry serves users of that
   * language (a tag without region also serves its regions: `"fr"` serves `"fr-CA"`). Leave it
   * out for the usage type's default. One entry per (usageType, locale). A send tries
   * `payload.locale`, then each `payload.uiLocales` tag, each followed by its primary language;
   * per language the type's entry, then Generic's; then the type's default, then Generic's.
   */
  locale?: string;
  /**
   * Approved template ID (digits), used for +86 numbers (and for all numbers without an
   * international one). Any other value (e.g. "<template-code>") is never sent: the entry counts
   * as absent and the type falls back to Generic.
   */
  templateCode: string;
  /** Approved international template ID (digits), used for numbers outside mainland China. */
  internationalTemplateCode?: string;
  /**
   * `TemplateParamSet` in order, one string per placeholder `{1}`, `{2}`, …; `"{code}"` inside a
   * string is replaced by the verification code. At least one must contain `"{code}"`.
   * Default `["{code}"]`; e.g. `["{code}", "10"]` for "Your code is {1}. It expires in {2} minutes."
   */
  templateParams?: string[];
  /** The same for `internationalTemplateCode`; defaults to `templateParams`. */
  internationalTemplateParams?: string[];
}

export interface TencentSmsConfig {
  /** SecretId of a Tencent Cloud API key (AKID…). */
  accessKeyId: string;
  /** SecretKey of that API key. */
  accessKeySecret: string;
  /** Approved signature for mainland China numbers. */
  signName: string;
  /** SmsSdkAppId, e.g. "1400000000". */
  sdkAppId: string;
  /** SMS API region, e.g. "ap-guangzhou". */
  region: string;
  /** Must include Register, SignIn, ForgotPassword and Generic. */
  templates: TencentSmsTemplate[];
  /** Signature for international templates; without it they are sent unsigned. */
  internationalSignName?: string;
  /** Tencent's `SenderId` for international SMS; sent only to numbers outside +86. */
  senderId?: string;
  /**
   * Which numbers may get an SMS, checked before any request. Entries are ISO 3166-1 alpha-2
   * codes ("CN", "JM") or E.164 prefixes ("+1876"); "!" makes an exception. The longest matching
   * entry decides (an ISO code counts the digits that identify the country: 4 for +1 numbers).
   * A blocked number fails with `general`, and nothing is sent.
   */
  countryPolicy?: CountryPolicy | null;
  /**
   * Most codes per window, checked before any request: per client address (`ip`, an IPv6 one by
   * its /64; only when Logto passes the client's own address, see TRUST_PROXY_HEADER), per
   * number range (`prefix`: the number without its last 4 digits) or per `country`. A send over
   * any rule fails with `rate_limit_exceeded` and nothing is sent. Counted in the host's Redis
   * when REDIS_URL is set (shared by every instance), else per process. At most 16 rules.
   */
  sendLimits?: SendLimitRule[] | null;
  /** Addresses or CIDR ranges (`"203.0.113.0/24"`, `"2001:db8::/48"`) that `ip` rules skip. */
  trustedIps?: string[] | null;
  /**
   * API host or https URL without path. China-site accounts: "sms.tencentcloudapi.com" (default)
   * or a regional host; international-site accounts: "sms.intl.tencentcloudapi.com". http only
   * for loopback; canonical IP addresses only, no leading zeros, no port fetch blocks.
   */
  endpoint?: string;
  /** Bound for one send, retries included: a whole number 100–60000 ms, default 10000. */
  timeoutMs?: number;
  /** Language of Tencent's error messages; empty or absent for Tencent's default. */
  language?: 'zh-CN' | 'en-US' | '';
  /**
   * A second route, tried only when the primary certainly did not send: Tencent refused for an
   * account reason (an `invalid_config` or `usage_limit_exceeded` code) or the connection failed
   * before the request was written. `{}` or absent: none.
   */
  fallback?: TencentSmsFallback | HttpSmsFallback | Record<string, never> | null;
  /** Seconds the primary is skipped after an account-level refusal: 0–86400, default 60. */
  fallbackCooldownSeconds?: number;
  /**
   * Full E.164 numbers with "+" (no prefixes or wildcards, each once, at most 100) that never
   * reach Tencent: their code is written to connector-kit's `mockConnectorFilePaths.Sms` exactly
   * as Logto's mock SMS connector writes it, and the send resolves to `{ dryRun: true }`.
   */
  testNumbers?: string[] | null;
  /** Every number as a test number: nothing reaches Tencent (warned about as `dry_run_on`). */
  dryRun?: boolean | null;
  /**
   * The SignId of `signName` in the SMS console. Only the console Test and `doctor` read it, to
   * check the signature with DescribeSmsSignList, which takes IDs, not names.
   */
  signId?: string;
  /**
   * `"on"` (default): one JSON line per send on stdout (see {@link SendEvent}), and the send id
   * as Tencent's `SessionContext`. `"off"`: neither.
   */
  sendLog?: 'on' | 'off';
}

/**
 * The line written for each send with `sendLog` on. Never a secret, the code or the full number.
 * Fields without a value are left out.
 */
export interface SendEvent {
  event: 'tencent_sms_send';
  /** ISO 8601, when the send ended. */
  time: string;
  /** The send id, also sent as Tencent's `SessionContext`. */
  id: string;
  /** `refused`: Tencent refused, nothing delivered; `blocked`: countryPolicy or sendLimits, no request; `dry_run`: a rehearsal. */
  outcome: 'sent' | 'refused' | 'failed' | 'blocked' | 'dry_run';
  /** Logto's error code. */
  code?: string;
  tencentCode?: string;
  requestId?: string;
  serialNo?: string;
  fee?: number;
  isoCode?: string;
  templateId?: string;
  /** The chosen template entry's `locale`; absent for the type's default entry. */
  locale?: string;
  route?: 'primary' | 'fallback';
  /** Requests that went out. */
  attempts: number;
  ms: number;
  /** Calling code and last two digits, e.g. `+86…22`. */
  to?: string;
}

/** A second Tencent account or site: the top level's fields, without the top-level-only ones (a fallback of its own, send limits). */
export type TencentSmsFallback = { type: 'tencent' } & Omit<TencentSmsConfig, 'fallback' | 'fallbackCooldownSeconds' | 'sendLimits' | 'trustedIps' | 'testNumbers' | 'dryRun' | 'signId'>;

/** A gateway taking `@logto/connector-http-sms`'s POST `{ to, type, payload, ip }`; 2xx is sent. */
export interface HttpSmsFallback {
  type: 'http';
  /** https URL (http only for loopback), path and query as the gateway wants them. */
  endpoint: string;
  /** Sent as the `Authorization` header, e.g. "Bearer <token>". */
  authorization?: string;
}

/** `{ allow: [...] }` sends only to what an entry allows; `{ deny: [...] }` to all but that. */
export type CountryPolicy = { allow: CountryPolicyEntry[] } | { deny: CountryPolicyEntry[] };

/** `"CN"`, `"+1876"`, or either with `!` in front for an exception. */
export type CountryPolicyEntry = string;

/** At most `max` sends (1–1000000) per fixed window of `perSeconds` (1–2592000) per key. */
export interface SendLimitRule {
  by: 'ip' | 'prefix' | 'country';
  max: number;
  perSeconds: number;
}

/** Codes of `errors`: the config cannot be saved. The README's "Error codes" says what each means. */
export type ConfigErrorCode =
  | 'not_json'
  | 'too_large'
  | 'invalid_type'
  | 'required'
  | 'missing_templates'
  | 'missing_code_placeholder'
  | 'invalid_endpoint'
  | 'insecure_endpoint'
  | 'blocked_port'
  | 'invalid_timeout'
  | 'invalid_language'
  | 'invalid_locale'
  | 'duplicate_locale'
  | 'invalid_country_policy'
  | 'unknown_country'
  | 'invalid_prefix'
  | 'invalid_country_entry'
  | 'invalid_send_limit'
  | 'invalid_trusted_ip'
  | 'invalid_fallback'
  | 'invalid_cooldown'
  | 'invalid_send_log'
  | 'invalid_test_number'
  | 'duplicate_test_number';

/** Codes of `warnings`: saved, but Tencent would likely refuse a send. See the README's "Warning codes". */
export type ConfigWarningCode =
  | 'empty'
  | 'whitespace'
  | 'secret_id_shape'
  | 'secret_key_length'
  | 'secret_looks_like_id'
  | 'not_digits'
  | 'not_template_id'
  | 'unknown_region'
  | 'sign_name_length'
  | 'sign_name_brackets'
  | 'sign_name_characters'
  | 'sign_name_digits'
  | 'unknown_usage_type'
  | 'duplicate_usage_type'
  | 'template_param_format'
  | 'template_param_link'
  | 'unknown_key'
  | 'locale_without_generic'
  | 'locale_without_international'
  | 'generic_without_default'
  | 'unused_country_entry'
  | 'mainland_blocked'
  | 'ip_limit_needs_proxy_header'
  | 'unused_send_limit'
  | 'long_limit_window'
  | 'unused_trusted_ips'
  | 'fallback_same_account'
  | 'dry_run_on';

export interface ConfigIssue<Code extends string = ConfigErrorCode | ConfigWarningCode> {
  /** Keys and indices to the field, like zod's issue paths. */
  path: Array<string | number>;
  /** Stable machine code; errors carry a ConfigErrorCode, warnings a ConfigWarningCode. */
  code: Code;
  /** Names the field and how to fix it. */
  message: string;
}

export interface ConfigValidation {
  valid: boolean;
  errors: ConfigIssue<ConfigErrorCode>[];
  /** What Tencent would reject later; never blocks saving. */
  warnings: ConfigIssue<ConfigWarningCode>[];
}

export interface SendMessageData {
  /** Phone number with country code; "+" and "00" prefixes are accepted. */
  to: string;
  type: UsageType | (string & Record<never, never>);
  payload: { code: string } & Record<string, unknown>;
  ip?: string;
}

export interface SendResult {
  requestId: string;
  serialNo: string;
  fee: number;
  isoCode: string;
  /** E.164 number as Tencent recorded it. */
  phoneNumber: string;
  /**
   * Set when `sendLimits` has `ip` rules that this send skipped because Logto passed no client
   * address of its own (none, loopback or private: Logto behind a proxy without
   * TRUST_PROXY_HEADER), saying so and what to do.
   */
  sendLimitsNote?: string;
  /** Which route sent it. From an HTTP gateway, requestId, serialNo and isoCode are empty. */
  route: 'primary' | 'fallback';
  /** The HTTP gateway fallback's status. */
  status?: number;
  /** Why the primary did not send, when the fallback did. */
  primaryError?: { code: string; data: TencentSmsErrorData };
  /**
   * A console Test whose template check could not run (e.g. Tencent refuses it to individual
   * accounts): what was not checked. The Test passed; the same line went to Logto's log.
   */
  templateNotes?: string[];
  /**
   * Set when testNumbers or dryRun kept the SMS from Tencent: its code is in Logto's mock SMS
   * file, and the result holds only `dryRun`, `reason` (the field that decided) and `phoneNumber`.
   */
  dryRun?: true;
  reason?: 'testNumbers' | 'dryRun';
}


/** `data` of every error this connector throws. */
export interface TencentSmsErrorData {
  /** "<Tencent Code>: <Message>" for Tencent errors; a sentence otherwise. */
  errorDescription: string;
  /** What went wrong and what to do. */
  message: string;
  tencentCode?: string;
  requestId?: string;
  phoneNumber?: string;
  /** HTTP status of an unusable answer. */
  status?: number;
  /** First 200 characters of an unusable answer. */
  bodyExcerpt?: string;
  /** Whether an SMS may have gone out when no usable answer came back. */
  delivery?: 'not_sent' | 'unknown';
  /** Config errors, for invalid_config. */
  issues?: ConfigIssue<ConfigErrorCode>[];
  /** The wasm's own words when it trapped (the connector restarted itself). */
  trap?: string;
  /** Which route the fields above are about, once a send has begun. */
  route?: 'primary' | 'fallback';
  /** Both routes failed: the primary's outcome (the fields above are the fallback's). */
  primaryError?: { code: string; data: TencentSmsErrorData };
}

export interface SignRequestInput {
  secretId: string;
  secretKey: string;
  /** Product name, the first label of the API host, e.g. "sms". */
  service: string;
  host: string;
  action: string;
  version: string;
  region?: string;
  /** Unix time in whole seconds. */
  timestamp: number;
  /** The exact request body that will be sent. */
  payload: string | Uint8Array;
  /** Default "application/json; charset=utf-8". */
  contentType?: string;
  /** STS token; sent as X-TC-Token. */
  token?: string;
  language?: 'zh-CN' | 'en-US';
  /** Lower-case header names; default ["content-type", "host"]. */
  signedHeaders?: string[];
}

export interface SignedRequest {
  authorization: string;
  /** Exactly the headers to send, Authorization included; not Host, which fetch sets from the URL. */
  headers: Record<string, string>;
}

export interface ConnectorMetadata {
  id: 'tencent-short-message-service';
  target: string;
  platform: null;
  name: Record<string, string> & { en: string };
  description: Record<string, string> & { en: string };
  logo: string;
  logoDark: string | null;
  readme: string;
  formItems: Array<Record<string, unknown> & { key: string; label: string; type: string }>;
}

export interface TencentSmsConnector {
  metadata: ConnectorMetadata;
  type: 'Sms';
  /** Takes any value; a valid config comes out unchanged. */
  configGuard: ZodType<TencentSmsConfig, ZodTypeDef, unknown>;
  /** Uses `config` when given (the console's Test button), else the saved config. */
  sendMessage(data: SendMessageData, config?: unknown): Promise<SendResult>;
}

export declare const metadata: ConnectorMetadata;
/** Takes any value; a valid config comes out unchanged. */
export declare const configGuard: ZodType<TencentSmsConfig, ZodTypeDef, unknown>;
export declare function validateConfig(config: unknown): ConfigValidation;
/** Rejects with the host's ConnectorError; `data` is TencentSmsErrorData. */
export declare function sendMessage(data: SendMessageData, config: unknown): Promise<SendResult>;
/** Throws the host's ConnectorError (`invalid_request_parameters`) on bad input. */
export declare function signRequest(input: SignRequestInput): SignedRequest;

export interface CallTencentOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Defaults to the config's `timeoutMs`. */
  timeoutMs?: number;
}
/**
 * Any Tencent SMS API action (version 2021-01-11), e.g. `PullSmsSendStatusByPhoneNumber`, signed
 * with the config's keys for its endpoint and region; `params` is the request body. Resolves to
 * Tencent's `Response` object; rejects with the host's ConnectorError mapped as a send's is
 * (`data.tencentCode`, `data.requestId`).
 */
export declare function callTencent(
  config: unknown,
  action: string,
  params: Record<string, unknown>,
  options?: CallTencentOptions,
): Promise<Record<string, unknown>>;

declare const createConnector: (options: {
  getConfig: (id: string) => Promise<unknown>;
}) => Promise<TencentSmsConnector>;
export default createConnector;

export type { ConnectorError };
