// Deterministic corpus of connector configs for differential tests against the official zod guard.
// Every entry is { name, kind, config }; kind is 'valid', 'invalid' or 'random' (expected outcome
// unknown, the oracle decides).

import { TemplateType } from '@logto/connector-kit';

import { metadata } from '../../pkg-template/lib/metadata.js';
import { validConfig } from '../../tests/support/valid-config.js';

// The official guard's own fields: the oracle's facts, stated here on purpose.
const STRING_FIELDS = ['accessKeyId', 'accessKeySecret', 'signName', 'sdkAppId', 'region'];
const REQUIRED_FIELDS = [...STRING_FIELDS, 'templates'];
// Message types come from the host kit; the required ones are those the form prefills (checked
// against the validator in one-source.test.js).
const ALL_USAGE_TYPES = Object.values(TemplateType);
const REQUIRED_USAGE_TYPES = metadata.formItems
  .find(({ key }) => key === 'templates')
  .defaultValue.map(({ usageType }) => usageType);
const OPTIONAL_USAGE_TYPES = ALL_USAGE_TYPES.filter((usageType) => !REQUIRED_USAGE_TYPES.includes(usageType));

// Our own optional fields have stricter rules than the official guard (which ignores them), so the
// corpus must never contain them; `findReservedKey` lets the test prove it.
const RESERVED_ROOT_KEYS = metadata.formItems.map(({ key }) => key).filter((key) => !REQUIRED_FIELDS.includes(key));
const RESERVED_TEMPLATE_KEYS = ['locale', 'internationalTemplateCode', 'templateParams', 'internationalTemplateParams'];
const RESERVED_KEYS = new Set([...RESERVED_ROOT_KEYS, ...RESERVED_TEMPLATE_KEYS]);

export const DEFAULT_SEED = 0x5eed_c0de;

/** mulberry32: tiny, fast and identical on every platform. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNICODE_STRINGS = [
  '腾讯云',
  '【测试签名】',
  'Ünïcödé',
  '🚀📱✉️',
  'مرحبا',
  'e\u0301',
  '\u0000nul',
  'line\nbreak\ttab',
  '\uD800lone',
  '\u200B',
  ' ',
];
// Plain-looking values, including ones a human might confuse with other JSON types.
const PLAIN_STRINGS = ['AKIDabc123', 'secret', 'Logto', '1400000000', 'ap-guangzhou', '123456', 'null', 'true', '0', '[]'];
// Extra key names: none of them equals, or case-folds to, a field the validator knows.
const EXTRA_KEY_NAMES = ['note', 'comment', 'x-extra', 'constructor', 'toString', 'hasOwnProperty', '', '0', '🔑', 'nested'];

const template = (usageType, templateCode = '100001') => ({ usageType, templateCode });

function baseConfig(usageTypes = REQUIRED_USAGE_TYPES) {
  return {
    ...validConfig(),
    templates: usageTypes.map((usageType, index) => template(usageType, String(100001 + index))),
  };
}

const withField = (key, value) => ({ ...baseConfig(), [key]: value });
const withoutFields = (...keys) => {
  const config = baseConfig();
  for (const key of keys) {
    delete config[key];
  }
  return config;
};
const withTemplates = (templates) => ({ ...baseConfig(), templates });

function combinations(items, size) {
  if (size === 0) {
    return [[]];
  }
  return items.flatMap((item, index) =>
    combinations(items.slice(index + 1), size - 1).map((rest) => [item, ...rest]),
  );
}

const describeValue = (value) =>
  value === undefined ? 'undefined' : JSON.stringify(value).slice(0, 24);

// Wrong JSON types for a string field, several values per type.
const NON_STRING_VALUES = [null, 0, 1.5, -1, true, false, [], ['AKID'], {}, { value: 'x' }];
const NON_ARRAY_VALUES = [null, 0, 42, true, false, '', 'Register,SignIn', {}, { 0: template('Register') }];
const NON_OBJECT_VALUES = [null, 0, 7, true, false, '', 'SignIn', [], [template('SignIn')], [[]]];

function deepNesting(depth) {
  let value = 'leaf';
  for (let level = 0; level < depth; level += 1) {
    value = level % 2 === 0 ? { next: value } : [value];
  }
  return value;
}

function validEntries() {
  const entries = [];
  const add = (name, config) => entries.push({ name, kind: 'valid', config });

  add('exactly the four required usage types', baseConfig());
  add('all nine Logto usage types', baseConfig(ALL_USAGE_TYPES));
  add('required types in reverse order', baseConfig([...REQUIRED_USAGE_TYPES].reverse()));
  for (const extra of OPTIONAL_USAGE_TYPES) {
    add(`required types plus ${extra}`, baseConfig([...REQUIRED_USAGE_TYPES, extra]));
  }
  add('duplicate usage types', baseConfig([...REQUIRED_USAGE_TYPES, 'SignIn', 'Generic', 'SignIn']));
  add('custom usage types', baseConfig(['Custom', ...REQUIRED_USAGE_TYPES, 'signin', '', '登录']));
  add('lowercase duplicates next to required ones', baseConfig([...REQUIRED_USAGE_TYPES, 'register', 'GENERIC']));

  for (const field of STRING_FIELDS) {
    add(`empty ${field}`, withField(field, ''));
  }
  add('every string empty', {
    ...Object.fromEntries(STRING_FIELDS.map((field) => [field, ''])),
    templates: REQUIRED_USAGE_TYPES.map((usageType) => template(usageType, '')),
  });
  add('empty usageType on an extra template', withTemplates([...baseConfig().templates, template('')]));

  UNICODE_STRINGS.forEach((text, index) => {
    const field = STRING_FIELDS[index % STRING_FIELDS.length];
    add(`unicode ${field} ${JSON.stringify(text)}`, withField(field, text));
  });
  add('unicode template codes', {
    ...baseConfig(),
    templates: REQUIRED_USAGE_TYPES.map((usageType, index) => template(usageType, UNICODE_STRINGS[index])),
  });
  add('100k-character secret', withField('accessKeySecret', 'x'.repeat(100_000)));

  for (const key of EXTRA_KEY_NAMES) {
    add(`extra root key ${JSON.stringify(key)}`, withField(key, { kept: [1, 'two', null] }));
  }
  add('extra root keys of every JSON type', {
    ...baseConfig(),
    note: null,
    count: 3,
    enabled: false,
    tags: ['a'],
    meta: { owner: 'ops' },
  });
  // JSON.parse makes "__proto__" an own property, as a saved config would have it.
  const withProtoKey = JSON.parse(`{"__proto__": {"accessKeyId": 1}, ${JSON.stringify(baseConfig()).slice(1)}`);
  add('own "__proto__" root key from JSON.parse', withProtoKey);
  add('deeply nested extra value', withField('nested', deepNesting(1_000)));
  add(
    '300 extra root keys',
    Object.assign(baseConfig(), Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`k${index}`, index]))),
  );
  add(
    'extra template keys',
    withTemplates(
      baseConfig().templates.map((item, index) => ({ ...item, [EXTRA_KEY_NAMES[index]]: index % 2 ? null : ['x'] })),
    ),
  );
  add(
    '500 templates',
    withTemplates(Array.from({ length: 500 }, (_, index) => template(ALL_USAGE_TYPES[index % ALL_USAGE_TYPES.length]))),
  );
  return entries;
}

function invalidEntries() {
  const entries = [];
  const add = (name, config) => entries.push({ name, kind: 'invalid', config });

  for (const field of REQUIRED_FIELDS) {
    add(`missing ${field}`, withoutFields(field));
    add(`${field} set to undefined`, withField(field, undefined));
  }
  for (const pair of combinations(REQUIRED_FIELDS, 2)) {
    add(`missing ${pair.join(' and ')}`, withoutFields(...pair));
  }
  add('empty object', {});

  for (const field of STRING_FIELDS) {
    for (const value of NON_STRING_VALUES) {
      add(`${field} = ${describeValue(value)}`, withField(field, value));
    }
  }
  for (const value of NON_ARRAY_VALUES) {
    add(`templates = ${describeValue(value)}`, withField('templates', value));
  }

  const wrongTemplateFieldValues = [null, 100001, true, [], ['SignIn'], {}];
  REQUIRED_USAGE_TYPES.forEach((_, index) => {
    for (const key of ['usageType', 'templateCode']) {
      const templates = baseConfig().templates;
      delete templates[index][key];
      add(`templates[${index}] without ${key}`, withTemplates(templates));
      for (const value of wrongTemplateFieldValues) {
        add(
          `templates[${index}].${key} = ${describeValue(value)}`,
          withTemplates(baseConfig().templates.map((item, at) => (at === index ? { ...item, [key]: value } : item))),
        );
      }
    }
  });

  for (const size of [1, 2, 3]) {
    for (const missing of combinations(REQUIRED_USAGE_TYPES, size)) {
      const kept = ALL_USAGE_TYPES.filter((usageType) => !missing.includes(usageType));
      add(`templates without ${missing.join(', ')}`, baseConfig(kept));
    }
  }
  add('templates with only optional types', baseConfig(OPTIONAL_USAGE_TYPES));
  add('empty templates list', withTemplates([]));
  for (const usageType of REQUIRED_USAGE_TYPES) {
    const variants = [usageType.toLowerCase(), usageType.toUpperCase(), ` ${usageType}`, `${usageType} `];
    for (const variant of variants) {
      add(
        `usageType ${JSON.stringify(variant)} instead of ${usageType}`,
        baseConfig(REQUIRED_USAGE_TYPES.map((type) => (type === usageType ? variant : type))),
      );
    }
  }

  for (const value of NON_OBJECT_VALUES) {
    add(`template item ${describeValue(value)} among valid ones`, withTemplates([...baseConfig().templates, value]));
  }
  add('template item undefined', withTemplates([baseConfig().templates[0], undefined, ...baseConfig().templates.slice(1)]));
  // A hole is what `delete templates[1]` leaves behind.
  add('template list with a hole', withTemplates([baseConfig().templates[0], , ...baseConfig().templates.slice(1)]));
  add('bad template item and missing usage types', withTemplates([template('Register'), 5]));
  add('bad template field and missing usage types', withTemplates([template('Register'), template(7)]));

  for (const value of [null, [], [baseConfig()], '', 'config', JSON.stringify(baseConfig()), 0, 42, true, false]) {
    add(`root ${describeValue(value)}`, value);
  }
  add('root undefined', undefined);

  add('several errors at once', {
    accessKeyId: 1,
    signName: null,
    sdkAppId: ['1400000000'],
    region: 'ap-guangzhou',
    templates: [template('SignIn'), { usageType: 'Register' }, 'Generic', template('ForgotPassword', 100001)],
  });
  add('missing field and missing usage types', { ...withoutFields('region'), templates: [template('SignIn')] });
  add('templates with a deeply nested bad item', withTemplates([...baseConfig().templates, deepNesting(301)]));
  return entries;
}

// ---- seeded random mutations -------------------------------------------------------------------

function randomTools(random) {
  const int = (limit) => Math.floor(random() * limit);
  const pick = (items) => items[int(items.length)];
  const chance = (probability) => random() < probability;

  const randomString = () => (chance(0.3) ? pick(UNICODE_STRINGS) : chance(0.1) ? '' : pick(PLAIN_STRINGS));
  const randomValue = (type, depth = 0) => {
    switch (type) {
      case 'null':
        return null;
      case 'number':
        return pick([0, -1, 1.5, 100001, 1e21, -0]);
      case 'boolean':
        return chance(0.5);
      case 'string':
        return randomString();
      case 'array':
        return depth > 2 ? [] : Array.from({ length: int(3) }, () => randomValue(randomType(), depth + 1));
      default:
        return depth > 2
          ? {}
          : Object.fromEntries(Array.from({ length: int(3) }, () => [pick(EXTRA_KEY_NAMES), randomValue(randomType(), depth + 1)]));
    }
  };
  const TYPES = ['null', 'number', 'boolean', 'string', 'array', 'object'];
  const randomType = () => pick(TYPES);
  const typeOf = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
  const otherTypeValue = (current) => randomValue(pick(TYPES.filter((type) => type !== typeOf(current))));
  return { int, pick, chance, randomString, randomValue, randomType, otherTypeValue };
}

/** Fisher–Yates, in place. */
function shuffle(items, tools) {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = tools.int(index + 1);
    [items[index], items[other]] = [items[other], items[index]];
  }
  return items;
}

/** A valid config with random strings, usage-type set, extra templates and extra keys. */
function randomValidConfig(tools) {
  const { pick, chance, int, randomString, randomValue, randomType } = tools;
  const usageTypes = [...REQUIRED_USAGE_TYPES, ...OPTIONAL_USAGE_TYPES.filter(() => chance(0.4))];
  if (chance(0.3)) {
    usageTypes.push(pick([...ALL_USAGE_TYPES, 'Custom', '']));
  }
  const config = {
    ...Object.fromEntries(STRING_FIELDS.map((field) => [field, chance(0.7) ? baseConfig()[field] : randomString()])),
    templates: shuffle(usageTypes, tools).map((usageType) => template(usageType, chance(0.8) ? String(100000 + int(900000)) : randomString())),
  };
  if (chance(0.3)) {
    config[pick(EXTRA_KEY_NAMES)] = randomValue(randomType());
  }
  if (chance(0.2)) {
    pick(config.templates)[pick(EXTRA_KEY_NAMES)] = randomValue(randomType());
  }
  return config;
}

/** Every object or array inside `root` (root included), so mutations can hit any depth. */
function containers(root) {
  const found = [];
  const walk = (value) => {
    if (value !== null && typeof value === 'object') {
      found.push(value);
      Object.values(value).forEach(walk);
    }
  };
  walk(root);
  return found;
}

// Key variants a hand-edited config might contain.
const renamedKey = (key, tools) =>
  tools.pick([
    key.toLowerCase(),
    key.toUpperCase(),
    key.charAt(0).toUpperCase() + key.slice(1),
    `${key}_`,
    ` ${key}`,
    `${key}s`,
    key.slice(0, -1),
  ]);

const usageTypeVariant = (usageType, tools) =>
  tools.pick([usageType.toLowerCase(), usageType.toUpperCase(), ` ${usageType}`, `${usageType}\n`, tools.pick(ALL_USAGE_TYPES)]);

function mutate(config, tools) {
  const { pick, int, chance, otherTypeValue, randomValue, randomType, randomString } = tools;
  const templates = Array.isArray(config.templates) ? config.templates : undefined;
  const templateObjects = templates?.filter((item) => item !== null && typeof item === 'object' && !Array.isArray(item)) ?? [];
  const nodes = containers(config);
  const objectNodes = nodes.filter((node) => !Array.isArray(node));
  const operations = [
    ['delete a key', () => {
      const node = pick(objectNodes);
      const key = pick(Object.keys(node));
      if (key !== undefined) delete node[key];
    }],
    ['retype a value', () => {
      const node = pick(nodes);
      const key = pick(Object.keys(node));
      if (key !== undefined) node[key] = otherTypeValue(node[key]);
    }],
    ['rename a key', () => {
      const node = pick(objectNodes);
      const key = pick(Object.keys(node));
      if (key === undefined) return;
      const name = renamedKey(key, tools);
      if (!RESERVED_KEYS.has(name) && !Object.hasOwn(node, name)) {
        node[name] = node[key];
        delete node[key];
      }
    }],
    ['add an extra key', () => {
      pick(objectNodes)[pick(EXTRA_KEY_NAMES)] = randomValue(randomType());
    }],
    ['blank or unicode a string', () => {
      const node = pick(nodes);
      const key = pick(Object.keys(node).filter((name) => typeof node[name] === 'string'));
      if (key !== undefined) node[key] = chance(0.5) ? '' : randomString();
    }],
    ['duplicate a template', () => {
      if (templates?.length) templates.splice(int(templates.length + 1), 0, structuredClone(pick(templates)));
    }],
    ['drop a template', () => {
      if (templates?.length) templates.splice(int(templates.length), 1);
    }],
    ['shuffle templates', () => {
      if (templates) shuffle(templates, tools);
    }],
    ['change a usageType', () => {
      const item = pick(templateObjects.filter((entry) => typeof entry.usageType === 'string'));
      if (item) item.usageType = usageTypeVariant(item.usageType, tools);
    }],
    ['insert a non-object template', () => {
      // A copy: later mutations must not reach the shared constant.
      if (templates) templates.splice(int(templates.length + 1), 0, structuredClone(pick(NON_OBJECT_VALUES)));
    }],
  ];
  const [name, apply] = pick(operations);
  apply();
  return name;
}

function randomEntries(seed, count) {
  const tools = randomTools(mulberry32(seed));
  return Array.from({ length: count }, (_, index) => {
    const config = randomValidConfig(tools);
    const steps = Array.from({ length: 1 + tools.int(3) }, () => mutate(config, tools));
    return { name: `random #${index}: ${steps.join(', ')}`, kind: 'random', config };
  });
}

/** A reserved key anywhere the validator would read it, or undefined. */
export function findReservedKey(config) {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return undefined;
  }
  const atRoot = RESERVED_ROOT_KEYS.find((key) => Object.hasOwn(config, key));
  if (atRoot) {
    return atRoot;
  }
  const templates = Array.isArray(config.templates) ? config.templates : [];
  for (const item of templates) {
    const inTemplate = item && typeof item === 'object' && RESERVED_TEMPLATE_KEYS.find((key) => Object.hasOwn(item, key));
    if (inTemplate) {
      return `templates[].${inTemplate}`;
    }
  }
  return undefined;
}

export function buildCorpus({ seed = DEFAULT_SEED, randomCount = 200 } = {}) {
  return [...validEntries(), ...invalidEntries(), ...randomEntries(seed, randomCount)];
}
