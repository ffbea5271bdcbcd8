// Proves the harness itself can see a suggest widget, with suggestions VS Code makes on
// its own (words of a plain-text file): when this passes and the completion check fails,
// the extension is at fault, not the driver.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { goToLineColumn, openWorkbenchWithFile, triggerSuggest, waitForSuggestion } from '../workbench';
import { positionAfter } from './fixture-position';
import type { UiCheck } from './types';

export const suggestWidgetCheck: UiCheck = {
  name: 'suggest widget shows word suggestions in a .txt file',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const file = path.join(workspaceDir, 'notes.txt');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    const at = positionAfter(file, 'Try here: fact');
    await goToLineColumn(page, at.line, at.column);
    await triggerSuggest(page);
    const labels = await waitForSuggestion(page, 'factorization');
    await screenshot('suggest-widget-txt.png');
    assert.ok(labels.includes('factorial'), `expected "factorial" among ${labels.join(', ')}`);
  },
};
