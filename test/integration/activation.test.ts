import * as assert from 'node:assert/strict';
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { test, suite } from './framework';
import { EXTENSION_ID, extension, extensionApi, portalUrl } from './helpers';

suite('activation', () => {
  test('the extension is installed', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} not found among installed extensions`);
  });

  test('it activates', async () => {
    await extensionApi();
    assert.equal(extension().isActive, true);
  });

  test('it runs from the packaged vsix, not the source tree', () => {
    const extensionPath = realpathSync(extension().extensionPath);
    const expected = process.env.FACTORIO_PORTAL_TEST_EXTENSION_PATH;
    if (expected) assert.equal(extensionPath, realpathSync(expected));
    assert.ok(existsSync(path.join(extensionPath, 'dist', 'extension.js')), 'dist/extension.js is missing');
    for (const sourceOnly of ['src', 'test', 'node_modules', 'tsconfig.json', path.join('dist', 'extension.js.map')]) {
      assert.ok(!existsSync(path.join(extensionPath, sourceOnly)), `${sourceOnly} should not be shipped`);
    }
  });

  test('factorioPortal.portalUrl points at the local portal', () => {
    const configured = vscode.workspace.getConfiguration('factorioPortal').get<string>('portalUrl');
    assert.equal(configured, portalUrl());
  });
});
