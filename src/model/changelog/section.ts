// A new section for a release, and which section is the newest.

import { compareVersions, parseModVersion } from '../version';
import type { ChangelogSection } from './analyze';
import { SEPARATOR } from './lines';

/** The finding, on changelog.txt and on info.json, that info.json's version has no section yet. */
export const VERSION_BEHIND_CODE = 'changelog-version-behind' as const;

/**
 * When info.json's `version` is newer than every section of the changelog: that version,
 * and the newest section's (undefined when there is none). Undefined when the changelog
 * is up to date, or info.json has no valid version.
 */
export function versionBehind(infoVersion: string | undefined, sections: readonly ChangelogSection[]): { version: string; newest: string | undefined } | undefined {
  const wanted = infoVersion === undefined ? undefined : parseModVersion(infoVersion);
  if (!wanted) return undefined;
  const newest = newestSection(sections);
  if (newest && compareVersions(wanted, parseModVersion(newest.version)!) <= 0) return undefined;
  return { version: infoVersion!, newest: newest?.version };
}

/** A date as the changelogs of the game write it: YYYY-MM-DD, in the local calendar. */
export function isoDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * A section the game accepts as it is: separator, version, date and one category that the
 * author fills in (an empty category is shown, so the file stays valid meanwhile).
 */
export function newSectionText(version: string, date: string, eol = '\n', category = 'Changes'): string {
  return [SEPARATOR, `Version: ${version}`, `Date: ${date}`, `  ${category}:`, ''].join(eol);
}

/** The section with the highest version (a changelog lists the newest first, but not every one does). */
export function newestSection(sections: readonly ChangelogSection[]): ChangelogSection | undefined {
  let best: ChangelogSection | undefined;
  let bestVersion: ReturnType<typeof parseModVersion>;
  for (const section of sections) {
    const v = parseModVersion(section.version);
    if (v && (!bestVersion || compareVersions(v, bestVersion) > 0)) {
      best = section;
      bestVersion = v;
    }
  }
  return best;
}
