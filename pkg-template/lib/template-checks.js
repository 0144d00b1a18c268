// The console Test's rehearsal and `doctor`: Tencent's own records of every configured template
// (DescribeSmsTemplateList) and of the signature (DescribeSmsSignList), checked for approval, the
// site the field names and the placeholder count. In JS, not the core: the wasm has no bytes to
// spare, and only the Test and the Node CLI run it. Fields per Tencent's API 2021-01-11
// (tencentcloud-sdk-nodejs, src/services/sms/v20210111/sms_models.ts): a call takes at most 100
// IDs and `International` 0 (mainland) or 1; a record has TemplateId/SignId, International,
// StatusCode (0 approved, 1 in review, 2 approved but not yet in effect, -1 rejected),
// ReviewReply, TemplateContent/SignName. DescribeSmsSignList takes SignIdSet only (no names, no
// listing), so signName is checked only when `signId` names it.

export const TEMPLATES = 'DescribeSmsTemplateList';
export const SIGNS = 'DescribeSmsSignList';
/** What individual (not enterprise-verified) accounts get from both actions. */
export const REFUSED = 'FailedOperation.NotEnterpriseCertification';
const PAGE = 100;
const MAX_PAGES = 3;
const INTERNATIONAL_SITE_HOST = 'sms.intl.tencentcloudapi.com';

const isId = (code) => typeof code === 'string' && /^\d{1,15}$/.test(code);

const hostOf = (endpoint) => {
  try {
    return new URL(/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`).hostname.toLowerCase();
  } catch {
    return '';
  }
};

/**
 * Every template ID in use: `{ label, field, paramsField, international, id, params }`. On the
 * international site every template is international, templateCode's included.
 */
const usesOf = (config) => {
  const intlSite = typeof config.endpoint === 'string' && hostOf(config.endpoint) === INTERNATIONAL_SITE_HOST;
  const uses = [];
  for (const template of Array.isArray(config.templates) ? config.templates : []) {
    const label = template.locale ? `${template.usageType} (${template.locale})` : String(template.usageType);
    const params = Array.isArray(template.templateParams) ? template.templateParams.length : 1;
    const fields = [
      ['templateCode', 'templateParams', template.templateCode, intlSite, params],
      [
        'internationalTemplateCode',
        'internationalTemplateParams',
        template.internationalTemplateCode,
        true,
        Array.isArray(template.internationalTemplateParams) ? template.internationalTemplateParams.length : params,
      ],
    ];
    for (const [field, paramsField, code, international, count] of fields) {
      if (isId(code)) {
        uses.push({ label, field, paramsField, international, id: Number(code), params: count });
      }
    }
  }
  return uses;
};

/** The calls, in order: `[{ action, params }]`, templates per site in pages, then the signature. */
export const templateQueries = (config) => {
  const uses = usesOf(config);
  const queries = [];
  for (const international of [false, true]) {
    const ids = [...new Set(uses.filter((use) => use.international === international).map((use) => use.id))];
    for (let page = 0; page < MAX_PAGES && page * PAGE < ids.length; page += 1) {
      queries.push({ action: TEMPLATES, params: { International: Number(international), TemplateIdSet: ids.slice(page * PAGE, (page + 1) * PAGE) } });
    }
  }
  if (isId(config.signId)) {
    queries.push({ action: SIGNS, params: { International: 0, SignIdSet: [Number(config.signId)] } });
  }
  return queries;
};

/** The placeholders `{1}`, `{2}`, … of a template's text: the highest number used. */
export const placeholders = (content) =>
  Math.max(0, ...[...String(content ?? '').matchAll(/\{(\d{1,3})\}/g)].map(([, number]) => Number(number)));

const site = (international) => (international ? 'international' : 'mainland');

/** Why a record is not usable yet, or undefined when it is approved. */
const unapproved = (record) => {
  if (record.StatusCode === 0) {
    return undefined;
  }
  const state = { 1: 'in review', 2: 'approved, not yet in effect' }[record.StatusCode] ?? 'rejected';
  const reply = record.ReviewReply ? `: ${String(record.ReviewReply).slice(0, 80)}` : '';
  return `not approved (${state}${reply})`;
};

/**
 * `{ problems, notes }` from the answers to templateQueries(config), in order: each
 * `{ response }` (Tencent's Response) or `{ error: { code?, message } }`. Problems name the usage
 * type and what to fix; notes say what could not be checked.
 */
export const templateReport = (config, answers) => {
  const queries = templateQueries(config);
  const problems = [];
  const notes = [];
  const records = { false: [], true: [] };
  const failed = { false: false, true: false };
  queries.forEach(({ action, params }, index) => {
    const { response, error } = answers[index] ?? {};
    const international = params.International === 1;
    if (!response) {
      const note = error?.code === REFUSED
        ? `Templates and signature not checked: Tencent lets only enterprise-verified accounts read them (${REFUSED}); check them in the SMS console.`
        : `Not checked: ${action} failed (${String(error?.code ?? error?.message ?? 'no answer').slice(0, 120)}).`;
      if (!notes.includes(note)) {
        notes.push(note);
      }
      if (action === TEMPLATES) {
        failed[international] = true;
      }
      return;
    }
    if (action === SIGNS) {
      const problem = signProblem(config, response.DescribeSignListStatusSet?.[0]);
      if (problem) {
        problems.push(problem);
      }
      return;
    }
    records[international].push(...(Array.isArray(response.DescribeTemplateStatusSet) ? response.DescribeTemplateStatusSet : []));
  });
  const unqueried = new Set();
  for (const use of usesOf(config)) {
    const queried = queries.some(({ action, params }) => action === TEMPLATES && params.International === Number(use.international) && params.TemplateIdSet.includes(use.id));
    if (!queried) {
      unqueried.add(use.id);
    }
    if (failed[use.international] || !queried) {
      continue;
    }
    const record = records[use.international].find((item) => item?.TemplateId === use.id);
    const problem = templateProblem(use, record);
    if (problem) {
      problems.push(`${use.label}: template ${use.id} ${problem}.`);
    }
  }
  if (unqueried.size > 0) {
    notes.push(`${unqueried.size} template IDs not checked: the check reads at most ${PAGE * MAX_PAGES} per site.`);
  }
  return { problems, notes };
};

const templateProblem = (use, record) => {
  if (!record) {
    return `is not among this account's ${site(use.international)} templates: check ${use.field}`;
  }
  const on = record.International === 1;
  if (on !== use.international) {
    return `is ${site(on)}, not ${site(use.international)}: move it to ${use.international ? 'templateCode' : 'internationalTemplateCode'}`;
  }
  const why = unapproved(record);
  if (why) {
    return `is ${why}`;
  }
  const wanted = placeholders(record.TemplateContent);
  return wanted === use.params ? undefined : `has ${wanted} placeholder(s) but ${use.paramsField} gives ${use.params}: give one value per placeholder`;
};

const signProblem = (config, record) => {
  if (!record) {
    return `signId ${config.signId} is not among this account's mainland signatures.`;
  }
  if (record.SignName !== config.signName) {
    return `signId ${config.signId} is the signature "${String(record.SignName).slice(0, 40)}", not signName "${config.signName}".`;
  }
  const why = unapproved(record);
  return why ? `signName "${config.signName}" is ${why}.` : undefined;
};

/** The answer to one call as templateReport reads it; never throws. */
const answerOf = async (call, { action, params }) => {
  try {
    return { response: await call(action, params) };
  } catch (error) {
    return { error: { code: error?.data?.tencentCode, message: String(error?.data?.message ?? error?.message ?? error) } };
  }
};

/**
 * Runs templateQueries(config) with `call(action, params)` (the engine's callTencent bound to the
 * config), all at once (at most 7, under Tencent's 20 per second), and returns the report.
 */
export const checkTemplates = async (config, call) => {
  const queries = templateQueries(config);
  const answers = await Promise.all(queries.map((query) => answerOf(call, query)));
  return { ...templateReport(config, answers), calls: queries.length };
};
