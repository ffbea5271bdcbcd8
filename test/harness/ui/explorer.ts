// The mod explorer in the activity bar, expanded down to a category's mods: the Mod
// Portal tree as a user sees it, with the Dependencies tree of the open info.json below.
import * as path from 'node:path';
import { openWorkbenchWithFile } from '../workbench';
import { openExplorer, treeRow } from './palette';
import type { UiCheck } from './types';

export const explorerCheck: UiCheck = {
  name: 'the mod explorer expands a category to its mods',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const file = path.join(workspaceDir, 'my-mod', 'info.json');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    try {
      await openExplorer(page);
      await treeRow(page, 'Mod Portal', 'Categories').waitFor({ state: 'visible', timeout: 45_000 });
      await treeRow(page, 'Mod Portal', 'Categories').click();
      const internal = treeRow(page, 'Mod Portal', 'Internal');
      await internal.waitFor({ state: 'visible', timeout: 30_000 });
      await internal.click();
      await treeRow(page, 'Mod Portal', 'Factorio Library').waitFor({ state: 'visible', timeout: 30_000 });
      // The Dependencies tree of my-mod/info.json: its incompatibility with a dependency is flagged.
      await treeRow(page, 'Dependencies', 'Conflicts').waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await screenshot('explorer.png');
    }
  },
};
