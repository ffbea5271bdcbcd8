// The portal client and cache, and the info.json model, are plain TypeScript: they run
// (and are tested) without VS Code. This keeps that line from eroding.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const SRC = path.join(__dirname, '..', '..', 'src');
const PURE_LAYERS = ['portal', 'model', 'mods'];

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

test('the import scanner sees the forms it must catch', () => {
  const sample = `import * as vscode from 'vscode';\nimport type { X } from "../features/a";\nconst v = require('vscode');\nexport { y } from './y';`;
  assert.deepEqual([...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]), ['vscode', '../features/a', 'vscode', './y']);
});
