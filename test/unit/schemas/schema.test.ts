import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

interface Schema {
  $schema?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  pattern?: string;
  maxLength?: number;
  markdownDescription?: string;
  default?: unknown;
  examples?: unknown[];
  additionalProperties?: boolean;
}

const ROOT = path.join(__dirname, '..', '..', '..');
const SCHEMA_PATH = 'schemas/info.schema.json';

function loadSchema(): Schema {
  return JSON.parse(readFileSync(path.join(ROOT, SCHEMA_PATH), 'utf8')) as Schema;
}

function property(schema: Schema, name: string): Schema {
  const prop = schema.properties?.[name];
  assert.ok(prop, `schema describes ${name}`);
  return prop;
}

/** Compiled as VS Code's JSON language service does: with the `u` flag. */
function patternOf(schema: Schema): RegExp {
  assert.ok(schema.pattern, 'has a pattern');
  return new RegExp(schema.pattern, 'u');
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'number' ? 'number' : typeof value;
}

/** The draft-07 keywords the schema uses; returns one message per violation, with its path. */
function validate(schema: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  if (schema.type && typeOf(value) !== schema.type) return [`${at}: expected ${schema.type}`];
  if (typeof value === 'string') {
    if (schema.pattern && !patternOf(schema).test(value)) errors.push(`${at}: pattern`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) errors.push(`${at}: maxLength`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, `${at}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${at}: missing ${key}`);
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (key in obj) errors.push(...validate(sub, obj[key], `${at}.${key}`));
    }
  }
  return errors;
}

const DOCUMENTED_FIELDS = [
  'name', 'version', 'title', 'author', 'contact', 'homepage', 'description', 'factorio_version', 'dependencies',
];
/** Read by packaging tools (FMTK, Package Mod), ignored by the game. */
const TOOL_FIELDS = ['package'];
const FEATURE_FLAGS = [
  'quality_required', 'rail_bridges_required', 'spoiling_required', 'freezing_required',
  'segmented_units_required', 'expansion_shaders_required', 'space_travel_required', 'expansion_required',
];

const WUBE = { author: 'Wube Software', contact: 'dev@factorio.com', homepage: 'https://www.factorio.com' };
const SPACE_AGE_FLAGS = {
  space_travel_required: true, spoiling_required: true, freezing_required: true,
  segmented_units_required: true, expansion_shaders_required: true,
};

/** The built-in mods' info.json files as shipped with Factorio 2.0.66 and 2.1.12. */
const BUILTIN_INFO: Record<string, Record<string, unknown>> = {
  'core@2.0.66': { name: 'core', title: 'Core Factorio Data', ...WUBE, dependencies: [] },
  'base@2.0.66': { name: 'base', version: '2.0.66', title: 'Base Mod', ...WUBE, dependencies: [] },
  'elevated-rails@2.0.66': {
    name: 'elevated-rails', version: '2.0.66', title: 'Elevated Rails', ...WUBE,
    dependencies: ['base >= 2.0.0'], rail_bridges_required: true, factorio_version: '2.0',
  },
  'quality@2.0.66': {
    name: 'quality', version: '2.0.66', title: 'Quality', ...WUBE,
    dependencies: ['base >= 2.0.0'], quality_required: true, factorio_version: '2.0',
  },
  'space-age@2.0.66': {
    name: 'space-age', version: '2.0.66', title: 'Space Age', ...WUBE,
    dependencies: ['base >= 2.0.0', 'elevated-rails >= 2.0.0', 'quality >= 2.0.0'],
    quality_required: true, ...SPACE_AGE_FLAGS, factorio_version: '2.0',
  },
  'base@2.1.12': { name: 'base', version: '2.1.12', title: 'Base Mod', ...WUBE, dependencies: [] },
  'elevated-rails@2.1.12': {
    name: 'elevated-rails', version: '2.1.12', title: 'Elevated Rails', ...WUBE, dependencies: ['base >= 2.1.0'],
    expansion_required: true, rail_bridges_required: true, factorio_version: '2.1',
  },
  'quality@2.1.12': {
    name: 'quality', version: '2.1.12', title: 'Quality', ...WUBE, dependencies: ['base >= 2.1.0', 'recycler >= 2.1.0'],
    expansion_required: true, quality_required: true, factorio_version: '2.1',
  },
  'recycler@2.1.12': {
    name: 'recycler', version: '2.1.12', title: 'Recycler', ...WUBE, dependencies: ['base >= 2.1.0'],
    expansion_required: true, factorio_version: '2.1',
  },
  'space-age@2.1.12': {
    name: 'space-age', version: '2.1.12', title: 'Space Age', ...WUBE,
    dependencies: ['base >= 2.1.0', 'elevated-rails >= 2.1.0', '+ quality >= 2.1.0', 'recycler >= 2.1.0'],
    expansion_required: true, ...SPACE_AGE_FLAGS, factorio_version: '2.1',
  },
};

test('the schema is draft-07 JSON describing an object that may carry more fields', () => {
  const schema = loadSchema();
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.type, 'object');
  assert.notEqual(schema.additionalProperties, false, 'real mods carry fields of their own');
});

test('every documented field is described in Markdown', () => {
  const schema = loadSchema();
  for (const field of [...DOCUMENTED_FIELDS, ...FEATURE_FLAGS, ...TOOL_FIELDS]) {
    const description = property(schema, field).markdownDescription ?? '';
    assert.ok(description.length > 30, `${field} has a real description`);
  }
  assert.deepEqual(Object.keys(schema.properties ?? {}).sort(), [...DOCUMENTED_FIELDS, ...FEATURE_FLAGS, ...TOOL_FIELDS].sort());
});

test('feature flags are booleans that default to false and name the version they need', () => {
  const schema = loadSchema();
  for (const flag of FEATURE_FLAGS) {
    const prop = property(schema, flag);
    assert.equal(prop.type, 'boolean', flag);
    assert.equal(prop.default, false, flag);
    const needs = flag === 'expansion_required' ? '2.1+' : '2.0+';
    assert.ok(prop.markdownDescription?.includes(needs), `${flag} mentions ${needs}`);
  }
});

test('string fields have the documented types and limits', () => {
  const schema = loadSchema();
  for (const field of ['name', 'version', 'title', 'author', 'contact', 'homepage', 'description', 'factorio_version']) {
    assert.equal(property(schema, field).type, 'string', field);
  }
  assert.equal(property(schema, 'title').maxLength, 100);
  assert.deepEqual(validate(property(schema, 'title'), 'x'.repeat(100)), []);
  assert.equal(validate(property(schema, 'title'), 'x'.repeat(101)).length, 1);
  const deps = property(schema, 'dependencies');
  assert.equal(deps.type, 'array');
  assert.deepEqual(deps.default, ['base']);
  assert.equal(deps.items?.type, 'string');
  // VS Code's JSON hover appends an item's description to the extension's card on every
  // dependency: the card says what that dependency is, the field's description the grammar.
  assert.equal((deps.items as Record<string, unknown>).markdownDescription, undefined);
  assert.equal((deps.items as Record<string, unknown>).description, undefined);
});

test('value rules are left to the extension, so a problem is reported once, with its fix', () => {
  // The extension's diagnostics check name, version, factorio_version, dependency strings and
  // missing fields with precise ranges and quick fixes; the same rules here would report
  // every such problem twice.
  const schema = loadSchema();
  assert.equal(schema.required, undefined);
  for (const field of ['name', 'version', 'factorio_version']) assert.equal(property(schema, field).pattern, undefined, field);
  assert.equal((property(schema, 'dependencies').items as Schema).pattern, undefined);
});

test('factorio_version suggests the versions from 0.13 to 2.1', () => {
  const examples = property(loadSchema(), 'factorio_version').examples ?? [];
  for (const v of ['0.13', '0.14', '0.15', '0.16', '0.17', '0.18', '1.0', '1.1', '2.0', '2.1']) {
    assert.ok(examples.includes(v), `suggests ${v}`);
  }
});

test("the built-in mods' info.json files validate", () => {
  const schema = loadSchema();
  for (const [which, info] of Object.entries(BUILTIN_INFO)) {
    const errors = validate(schema, info);
    assert.deepEqual(errors, [], which);
  }
});

test('the sample mod validates', () => {
  const info = JSON.parse(readFileSync(path.join(ROOT, 'sample', 'info.json'), 'utf8')) as unknown;
  assert.deepEqual(validate(loadSchema(), info), []);
});

test('the validator used here reports what it should', () => {
  const errors = validate(loadSchema(), { name: 'ab', version: 1, title: 'x'.repeat(101), author: 'a', dependencies: 'base' });
  assert.deepEqual(errors, ['$.version: expected string', '$.title: maxLength', '$.dependencies: expected array']);
});

test('package.json applies the schema to info.json files', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { jsonValidation?: Array<{ fileMatch: string | string[]; url: string }> };
  };
  const entry = manifest.contributes.jsonValidation?.find((v) => path.posix.normalize(v.url) === SCHEMA_PATH);
  assert.ok(entry, 'schema is contributed');
  assert.ok(existsSync(path.join(ROOT, entry.url)));
  const matches = Array.isArray(entry.fileMatch) ? entry.fileMatch : [entry.fileMatch];
  assert.ok(matches.includes('info.json'));
  assert.ok(matches.includes('**/info.json'));
});
