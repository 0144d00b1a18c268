// Same id as the official connector: saved configs keep working. Logto core refuses to start
// with two packages of one id, so this one replaces the official package.

// Only the types the guard requires: a prefilled entry for any other type would be saved as is
// and shadow the Generic fallback (a placeholder code is never sent, but the form should not
// invite it).
const requiredUsageTypes = ['SignIn', 'Register', 'ForgotPassword', 'Generic'];

export const metadata = Object.freeze({
  id: 'tencent-short-message-service',
  target: 'tencent-sms',
  platform: null,
  // Every language Logto's console offers (@logto/phrases' builtInLanguages; a test keeps the
  // two lists equal).
  name: {
    ar: 'خدمة الرسائل القصيرة من Tencent Cloud',
    de: 'Tencent Cloud SMS',
    en: 'Tencent Short Message Service',
    es: 'SMS de Tencent Cloud',
    'fa-IR': 'سرویس پیامک Tencent Cloud',
    fr: 'SMS Tencent Cloud',
    it: 'SMS di Tencent Cloud',
    ja: 'Tencent Cloud SMS',
    ko: 'Tencent Cloud SMS',
    'pl-PL': 'SMS Tencent Cloud',
    'pt-BR': 'SMS da Tencent Cloud',
    'pt-PT': 'SMS da Tencent Cloud',
    ru: 'SMS Tencent Cloud',
    th: 'บริการ SMS ของ Tencent Cloud',
    'tr-TR': 'Tencent Cloud SMS Servisi',
    'zh-CN': '腾讯云短信服务',
    'zh-HK': '騰訊雲短訊服務',
    'zh-TW': '騰訊雲簡訊服務',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    ar: 'يرسل رموز تسجيل الدخول والتحقق عبر Tencent Cloud SMS إلى أرقام البر الرئيسي للصين والأرقام الدولية.',
    de: 'Sendet Anmelde- und Bestätigungscodes über Tencent Cloud SMS an Nummern in Festlandchina und international.',
    en: 'Send sign-in and verification codes to mainland China and international numbers through Tencent Cloud SMS.',
    es: 'Envía códigos de inicio de sesión y de verificación a números de China continental e internacionales a través de Tencent Cloud SMS.',
    'fa-IR': 'کدهای ورود و تأیید را از طریق Tencent Cloud SMS به شماره‌های سرزمین اصلی چین و شماره‌های بین‌المللی می‌فرستد.',
    fr: 'Envoie les codes de connexion et de vérification aux numéros de Chine continentale et internationaux via Tencent Cloud SMS.',
    it: 'Invia codici di accesso e di verifica a numeri della Cina continentale e internazionali tramite Tencent Cloud SMS.',
    ja: 'Tencent Cloud SMS を使って、中国本土および海外の電話番号にサインイン用・認証用のコードを送信します。',
    ko: 'Tencent Cloud SMS를 통해 중국 본토 및 해외 번호로 로그인 및 인증 코드를 보냅니다.',
    'pl-PL': 'Wysyła kody logowania i weryfikacyjne na numery z Chin kontynentalnych i zagraniczne przez Tencent Cloud SMS.',
    'pt-BR': 'Envia códigos de login e de verificação para números da China continental e internacionais pelo Tencent Cloud SMS.',
    'pt-PT': 'Envia códigos de início de sessão e de verificação para números da China continental e internacionais através do Tencent Cloud SMS.',
    ru: 'Отправляет коды входа и подтверждения на номера материкового Китая и других стран через Tencent Cloud SMS.',
    th: 'ส่งรหัสเข้าสู่ระบบและรหัสยืนยันไปยังหมายเลขในจีนแผ่นดินใหญ่และหมายเลขต่างประเทศผ่าน Tencent Cloud SMS',
    'tr-TR': 'Giriş ve doğrulama kodlarını Tencent Cloud SMS üzerinden Çin anakarası ve uluslararası numaralara gönderir.',
    'zh-CN': '通过腾讯云短信向中国大陆及国际号码发送登录和验证码短信。',
    'zh-HK': '透過騰訊雲短訊向中國內地及國際號碼發送登入及驗證碼短訊。',
    'zh-TW': '透過騰訊雲簡訊向中國大陸及國際號碼傳送登入與驗證碼簡訊。',
  },
  readme: './README.md',
  formItems: [
    {
      key: 'accessKeyId',
      label: 'Access Key ID',
      type: 'Text',
      required: true,
      placeholder: 'AKID…',
      tooltip: 'SecretId of a Tencent Cloud API key (CAM console → API keys). A sub-user key with the QcloudSMSFullAccess policy is enough.',
    },
    {
      key: 'accessKeySecret',
      label: 'Access Key Secret',
      type: 'Text',
      required: true,
      isConfidential: true,
      placeholder: '<access-key-secret>',
      tooltip: 'SecretKey that belongs to the Access Key ID. Never shown in errors or logs.',
    },
    {
      key: 'signName',
      label: 'Sign Name',
      type: 'Text',
      required: true,
      placeholder: '<sign-name>',
      tooltip: 'Approved SMS signature (the text shown in 【】), used for mainland China numbers.',
    },
    {
      key: 'sdkAppId',
      label: 'SDK App ID',
      type: 'Text',
      required: true,
      placeholder: '1400000000',
      tooltip: 'SmsSdkAppId from SMS console → Application management.',
    },
    {
      key: 'region',
      label: 'Region',
      type: 'Text',
      required: true,
      placeholder: 'ap-guangzhou',
      tooltip: 'SMS API region: ap-guangzhou, ap-beijing or ap-nanjing (China site), ap-singapore (international site).',
    },
    {
      key: 'templates',
      label: 'Templates',
      type: 'Json',
      required: true,
      defaultValue: requiredUsageTypes.map((usageType) => ({ usageType, templateCode: '<template-code>' })),
      tooltip:
        'One { usageType, templateCode } per Logto message type; Register, SignIn, ForgotPassword and Generic are required, and every other type (MfaVerification, BindMfa, …) uses Generic unless listed. templateCode is the approved template ID (digits); any other value is never sent. A template with more placeholders than the code takes "templateParams": one string per placeholder, in order, with "{code}" for the code, e.g. ["{code}", "10"] for "Your code is {1}. It expires in {2} minutes." (default ["{code}"]). For numbers outside mainland China add "internationalTemplateCode" (and "internationalTemplateParams" if its placeholders differ). For codes in the user\'s language add entries with "locale", a BCP 47 tag such as "en" or "fr-CA" ("fr" also serves "fr-CA"): Logto\'s sign-in language picks the entry of that type, else the Generic one of that language; entries without "locale" are the defaults.',
    },
    {
      key: 'internationalSignName',
      label: 'International Sign Name',
      type: 'Text',
      required: false,
      placeholder: '<optional>',
      tooltip:
        'Signature sent with international templates (numbers outside +86). Leave empty to send international messages without a signature.',
    },
    {
      key: 'senderId',
      label: 'Sender ID',
      type: 'Text',
      required: false,
      placeholder: '<optional>',
      tooltip:
        'Sender ID approved by Tencent for international SMS (some countries require one). Sent only to numbers outside +86, never to mainland China numbers. Leave empty if you have none.',
    },
    {
      key: 'countryPolicy',
      label: 'Country policy',
      type: 'Json',
      required: false,
      // Logto's console validates a Json field's text; without a default a new form holds no text
      // and refuses the Test and Save. {} is no policy.
      defaultValue: {},
      tooltip:
        'Which numbers may get an SMS, checked before anything is sent (against SMS pumping). {"allow": [...]} sends only to the listed entries, {"deny": [...]} to all but them. An entry is an ISO country code ("CN", "JM") or a prefix ("+1876"); "!" in front makes an exception. The longest matching entry decides, so {"allow": ["CN", "US", "!+1900"]} sends to mainland China and the US but not +1 900. "US" is the US only: Canada and the Caribbean +1 territories have their own codes. Leave empty to send to every number.',
    },
    {
      key: 'sendLimits',
      label: 'Send limits',
      type: 'Json',
      required: false,
      // As countryPolicy: a Json field needs text; [] is no limits.
      defaultValue: [],
      tooltip:
        'Most codes per window, checked before anything is sent (against SMS pumping): a list of {"by": "ip" | "prefix" | "country", "max": sends, "perSeconds": window}. "ip" counts per client address (an IPv6 one by its /64) and needs Logto started with TRUST_PROXY_HEADER=1 behind a proxy; "prefix" per number range (the number without its last 4 digits); "country" per country. E.g. [{"by": "ip", "max": 10, "perSeconds": 3600}, {"by": "prefix", "max": 30, "perSeconds": 3600}]. A send over a limit fails with rate_limit_exceeded and costs nothing. With REDIS_URL set, limits hold across Logto instances; otherwise per instance. Leave empty for none.',
    },
    {
      key: 'trustedIps',
      label: 'Trusted IPs',
      type: 'Json',
      required: false,
      defaultValue: [],
      tooltip:
        'Client addresses or CIDR ranges that "ip" send limits skip, e.g. ["203.0.113.0/24", "2001:db8::/48"] for an office NAT or your own tests. Leave empty for none.',
    },
    {
      key: 'endpoint',
      label: 'Endpoint',
      type: 'Text',
      required: false,
      placeholder: 'sms.tencentcloudapi.com',
      tooltip:
        'API host. China-site accounts (cloud.tencent.com): sms.tencentcloudapi.com (default) or a regional host such as sms.ap-guangzhou.tencentcloudapi.com. International-site accounts (tencentcloud.com): sms.intl.tencentcloudapi.com. https only (http is allowed for 127.x.x.x, [::1] and localhost); no path, and no port fetch refuses.',
    },
    {
      key: 'timeoutMs',
      label: 'Timeout (ms)',
      type: 'Number',
      required: false,
      placeholder: '10000',
      tooltip: 'Upper bound for one send, retries included: a whole number from 100 to 60000. Leave empty for 10000.',
    },
    {
      key: 'language',
      label: 'Error message language',
      type: 'Select',
      required: false,
      // Tencent's own default is zh-CN, so this default changes nothing. Not an empty option:
      // Logto's Select shows an empty value as a blank box and cannot be cleared.
      defaultValue: 'zh-CN',
      selectItems: [
        { value: 'zh-CN', title: "简体中文 (Tencent's default)" },
        { value: 'en-US', title: 'English' },
      ],
      tooltip: "Language of Tencent's error messages (X-TC-Language). Left out of the config, Tencent answers in Chinese.",
    },
    {
      key: 'fallback',
      label: 'Fallback route',
      type: 'Json',
      required: false,
      // As countryPolicy: a Json field needs text for the console's Test and Save; {} is none.
      defaultValue: {},
      tooltip:
        'Where a send goes when the primary account certainly did not send it for an account reason (package used up, arrears, daily limits, signature or template not approved, key refused) or could not connect: {"type": "tencent", …the same fields as above} for a second Tencent account, or {"type": "http", "endpoint": "https://…", "authorization": "Bearer …"} for a gateway taking the HTTP SMS connector\'s payload { to, type, payload, ip } (any 2xx is sent). Never after a timeout, a 5xx or anything that may have sent the SMS, never for the number\'s own limits. Leave {} for none.',
    },
    {
      key: 'fallbackCooldownSeconds',
      label: 'Fallback cooldown (s)',
      type: 'Number',
      required: false,
      placeholder: '60',
      tooltip: 'After the primary refuses for an account reason, later sends go straight to the fallback for this many seconds (0 to 86400; 0 tries the primary every time). Leave empty for 60.',
    },
    {
      key: 'sendLog',
      label: 'Send log',
      type: 'Select',
      required: false,
      defaultValue: 'on',
      selectItems: [
        { value: 'on', title: 'On: one JSON line per send on stdout' },
        { value: 'off', title: 'Off' },
      ],
      tooltip:
        'One JSON line per send on Logto\'s stdout (docker logs): outcome, Tencent\'s code, RequestId, SerialNo, fee, template, attempts and time, the number masked (+86…22); never a secret or the code. The send id also goes to Tencent as SessionContext, so receipts and console records join to it.',
    },
    {
      key: 'signId',
      label: 'Signature ID',
      type: 'Text',
      required: false,
      placeholder: '1110',
      tooltip: "The ID of the signature above in the SMS console. Optional: the Test then also checks the signature with Tencent (which looks signatures up by ID, not name).",
    },
    {
      key: 'testNumbers',
      label: 'Test numbers',
      type: 'Json',
      required: false,
      // As countryPolicy: a Json field needs text for the console's Test and Save; [] is none.
      defaultValue: [],
      tooltip: 'Full numbers with + (e.g. ["+8613700000001"]) that never get an SMS: their code is written where Logto\'s mock SMS connector writes it (connector-kit\'s mockConnectorFilePaths.Sms), for CI and staging. No prefixes or wildcards.',
    },
    {
      key: 'dryRun',
      label: 'Dry run (no SMS at all)',
      type: 'Switch',
      required: false,
      defaultValue: false,
      tooltip: 'Every number as a test number: nothing is sent to anyone. For staging only.',
    },
  ],
});
