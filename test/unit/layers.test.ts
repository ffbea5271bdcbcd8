// The portal client and cache, and the info.json model, are plain TypeScript: they run
// (and are tested) without VS Code. This keeps that line from eroding.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const SRC = path.join(__dirname, '..', '..', 'src');
const PURE_LAYERS = ['portal', 'model', 'mods', 'util', 'release'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT = /(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

for (const layer of PURE_LAYERS) {
  test(`src/${layer} never imports vscode or the feature layer`, () => {
    const files = tsFiles(path.join(SRC, layer));
    assert.ok(files.length > 0, `src/${layer} has files`);
    for (const file of files) {
      for (const spec of importsOf(file)) {
        const where = path.relative(SRC, file);
        assert.notEqual(spec, 'vscode', `${where} imports vscode`);
        if (spec.startsWith('.')) {
          const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
          assert.ok(!target.startsWith('features') && target !== 'extension', `${where} imports ${spec}`);
        }
      }
    }
  });
}

test('src/util stands alone: it imports nothing else of src', () => {
  for (const file of tsFiles(path.join(SRC, 'util'))) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) continue;
      const target = path.relative(path.join(SRC, 'util'), path.resolve(path.dirname(file), spec));
      assert.ok(!target.startsWith('..'), `${path.relative(SRC, file)} imports ${spec}`);
    }
  }
});

test('the import scanner sees the forms it must catch', () => {
  const sample = `import * as vscode from 'vscode';\nimport type { X } from "../features/a";\nconst v = require('vscode');\nexport { y } from './y';`;
  assert.deepEqual([...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]), ['vscode', '../features/a', 'vscode', './y']);
});

// The feature layer's folders, each allowed to import only the folders listed for it:
// core (config, log, documents, small UI helpers) ← services (long-lived objects) ←
// infoJson (editor features) ← explorer, commands and changelog. Nothing imports back up.
const FEATURE_FOLDERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  services: ['core'],
  infoJson: ['core', 'services'],
  explorer: ['core', 'services', 'infoJson'],
  commands: ['core', 'services', 'infoJson'],
  changelog: ['core', 'services', 'infoJson'],
  release: ['core', 'services', 'infoJson'],
  publish: ['core', 'services', 'release'],
};

/** Resolves a relative import to a file under src (without extension), or undefined. */
function resolveImport(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(file), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

test('every file of src/features lives in a known folder and imports only the folders below it', () => {
  const root = path.join(SRC, 'features');
  const files = tsFiles(root);
  assert.ok(files.length > 0);
  for (const file of files) {
    const folder = path.relative(root, file).split(path.sep)[0];
    const allowed = FEATURE_FOLDERS[folder];
    assert.ok(allowed, `${path.relative(SRC, file)} is not in one of ${Object.keys(FEATURE_FOLDERS).join(', ')}`);
    for (const spec of importsOf(file)) {
      const target = resolveImport(file, spec);
      if (!target) continue;
      const rel = path.relative(root, target);
      if (rel.startsWith('..')) continue;
      const targetFolder = rel.split(path.sep)[0];
      if (targetFolder === folder) continue;
      assert.ok(allowed.includes(targetFolder), `${path.relative(SRC, file)} imports ${spec} (features/${folder} may import only ${allowed.join(', ') || 'no other feature folder'})`);
    }
  }
});

test('no import forms a circle anywhere in src', () => {
  const files = tsFiles(SRC);
  const graph = new Map(files.map((f) => [f, importsOf(f).flatMap((s) => resolveImport(f, s) ?? [])]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const circle = stack.slice(stack.indexOf(next)).concat(next).map((f) => path.relative(SRC, f));
        assert.fail(`import circle: ${circle.join(' → ')}`);
      }
      if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
});

// The mod list's storage is its own folder's business: from outside, only its face
// (src/portal/modList/index.ts) is imported.
test('src/portal/modList is imported through its index alone', () => {
  const folder = path.join(SRC, 'portal', 'modList');
  const outside = tsFiles(SRC).filter((file) => !file.startsWith(folder + path.sep));
  let seen = 0;
  for (const file of outside) {
    for (const spec of importsOf(file)) {
      const target = resolveImport(file, spec);
      if (target === undefined || !target.startsWith(folder + path.sep)) continue;
      seen++;
      assert.equal(target, path.join(folder, 'index.ts'), `${path.relative(SRC, file)} imports ${spec}`);
    }
  }
  assert.ok(seen > 0, 'something imports the mod list');
});
