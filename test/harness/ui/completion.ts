// Completion of dependency names in info.json, as a user sees it: the list must contain
// a mod only the local portal knows.
import * as path from 'node:path';
import { goToLineColumn, openWorkbenchWithFile, triggerSuggest, waitForSuggestion } from '../workbench';
import { positionAfter } from './fixture-position';
import type { UiCheck } from './types';

const MOD_ONLY_ON_LOCAL_PORTAL = 'factorio-lib';

export const completionCheck: UiCheck = {
  name: 'info.json dependency completion lists factorio-lib',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const file = path.join(workspaceDir, 'completion-mod', 'info.json');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    // Inside the string "factorio-l" of the dependencies array, after its last letter.
    const at = positionAfter(file, '"factorio-l');
    await goToLineColumn(page, at.line, at.column);
    try {
      await triggerSuggest(page);
      await waitForSuggestion(page, MOD_ONLY_ON_LOCAL_PORTAL);
    } finally {
      await screenshot('completion.png');
    }
  },
};
