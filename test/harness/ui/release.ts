// Package Mod's preview (the checks, the tree of what goes in, what is left out) and the
// release checks' report with failures, driven from the palette and the panel's buttons.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { encodePng } from '../../portal-server/png';
import { openWorkbenchWithFile } from '../workbench';
import { runFromPalette } from './palette';
import type { UiCheck } from './types';

const SEP = '-'.repeat(99);

function writeMod(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, data] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

function info(fields: Record<string, unknown>): string {
  return JSON.stringify({ title: 'UI Release Mod', author: 'Fixture Author', factorio_version: '2.0', ...fields }, null, 2);
}

export const packagePreviewCheck: UiCheck = {
  name: 'Package Mod: the preview shows the checks and what goes in, then writes the zip',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const folder = path.join(workspaceDir, 'ui-release-mod');
    writeMod(folder, {
      'info.json': info({ name: 'ui-release-mod', version: '1.0.0', dependencies: ['base >= 2.0.0', 'factorio-lib >= 1.0.0'], package: { ignore: ['docs/**'] } }),
      'changelog.txt': `${SEP}\nVersion: 1.0.0\nDate: 2026-12-01\n  Features:\n    - First release.\n`,
      'thumbnail.png': encodePng(144, 144, (x, y) => [x, y, 120]),
      'control.lua': 'script.on_init(function() end)\n'.repeat(40),
      'data.lua': 'require("prototypes.item")\n',
      'prototypes/item.lua': 'data:extend({})\n'.repeat(20),
      'locale/en/strings.cfg': '[mod-name]\nui-release-mod=UI Release Mod\n',
      'graphics/icon.png': encodePng(64, 64, () => [200, 120, 40]),
      'docs/design.md': 'left out by package.ignore\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.editorconfig': 'root = true\n',
      'ui-release-mod_0.9.0.zip': 'an earlier zip',
    });
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, path.join(folder, 'info.json'));
    try {
      await runFromPalette(page, 'Factorio Mod Portal: Package Mod…');
      await page.locator('.tabs-container .tab', { hasText: 'Package ui-release-mod' }).waitFor({ state: 'visible', timeout: 30_000 });
      const content = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await content.locator('h2', { hasText: 'What goes in' }).waitFor({ state: 'visible', timeout: 30_000 });
      await content.locator('.summary', { hasText: '7 passed' }).waitFor({ state: 'visible', timeout: 30_000 });
      await content.locator('table.excluded tr', { hasText: 'package.ignore: docs/**' }).waitFor({ state: 'visible', timeout: 10_000 });
      await content.locator('table.excluded tr', { hasText: 'a zip of this mod' }).waitFor({ state: 'visible', timeout: 10_000 });
      await content.locator('ul.tree li.file', { hasText: 'item.lua' }).waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot('package-preview.png');
      await content.locator('button[data-action="write"]', { hasText: 'Write ui-release-mod_1.0.0.zip' }).click();
      await content.locator('.outcome.ok', { hasText: 'Written:' }).waitFor({ state: 'visible', timeout: 30_000 });
      const zip = path.join(workspaceDir, 'ui-release-mod_1.0.0.zip');
      if (!existsSync(zip)) throw new Error(`${zip} was not written`);
    } finally {
      await screenshot('package-written.png');
      // Checks after this one see the workspace as it was.
      rmSync(folder, { recursive: true, force: true });
      rmSync(path.join(workspaceDir, 'ui-release-mod_1.0.0.zip'), { force: true });
    }
  },
};

export const preflightReportCheck: UiCheck = {
  name: 'Package Mod: Run Release Checks shows failures with their fixes',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const folder = path.join(workspaceDir, 'ui-failing-mod');
    writeMod(folder, {
      // Someone else's name, a version the portal has passed, an unknown dependency, a broken changelog, a big thumbnail.
      'info.json': info({ name: 'factorio-lib', version: '0.0.1', dependencies: ['base >= 2.0.0', 'no-such-mod-anywhere'] }),
      'changelog.txt': `${SEP}\nVersion: 0.0.1\n\tBugfixes:\n    - Fixed.\n`,
      'thumbnail.png': encodePng(256, 256, () => [90, 90, 90]),
    });
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, path.join(folder, 'info.json'));
    try {
      await runFromPalette(page, 'Factorio Mod Portal: Run Release Checks…');
      await page.locator('.tabs-container .tab', { hasText: 'Release Checks: factorio-lib' }).waitFor({ state: 'visible', timeout: 30_000 });
      const content = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await content.locator('.summary', { hasText: 'failed' }).waitFor({ state: 'visible', timeout: 30_000 });
      await content.locator('li.check.failed[data-check="version-new"]').waitFor({ state: 'visible', timeout: 10_000 });
      await content.locator('li.check.failed[data-check="changelog"]', { hasText: 'A tab in the indentation' }).waitFor({ state: 'visible', timeout: 10_000 });
      await content.locator('li.check.warning[data-check="thumbnail"]', { hasText: '256×256' }).waitFor({ state: 'visible', timeout: 10_000 });
      await content.locator('li.check.failed[data-check="dependencies"]', { hasText: 'no-such-mod-anywhere' }).waitFor({ state: 'visible', timeout: 10_000 });
      await content.locator('button[data-action="fix"]', { hasText: 'Set Version to' }).waitFor({ state: 'visible', timeout: 10_000 });
    } finally {
      await screenshot('preflight-report.png');
      // A second "factorio-lib" in the workspace would change what later checks see.
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
