// The UI checks the integration runner iterates, in order; add new ones here.
import { completionCheck } from './completion';
import { suggestWidgetCheck } from './suggest-widget';
import type { UiCheck } from './types';

export const UI_CHECKS: readonly UiCheck[] = [suggestWidgetCheck, completionCheck];
