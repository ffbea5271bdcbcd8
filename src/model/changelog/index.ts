// changelog.txt: one reading of its lines (./lines) behind the strict checker and
// formatter (the game's rules, for the author's own file) and the lenient reader of
// changelogs from the portal (hover cards).

export {
  analyzeChangelog,
  CHANGELOG_CODES,
  MAX_CHANGELOG_FINDINGS,
  MAX_CHANGELOG_LENGTH,
  type ChangelogAnalysis,
  type ChangelogCategory,
  type ChangelogCode,
  type ChangelogEdit,
  type ChangelogFinding,
  type ChangelogSection,
  type ChangelogSeverity,
} from './analyze';
export { KNOWN_CATEGORIES, isKnownCategory } from './categories';
export { applyChangelogEdits, formatChangelog } from './format';
export { SEPARATOR } from './lines';
export { changelogBetween, parseChangelog, type ChangelogEntry } from './portal';
export { isoDate, newSectionText, newestSection, VERSION_BEHIND_CODE, versionBehind } from './section';
