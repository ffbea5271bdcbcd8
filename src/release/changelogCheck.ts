// The part of changelog.txt a release needs checked: the Error findings of the changelog
// language (what makes the game drop the whole in-game changelog), and the newest
// section's version. One reading of the file serves the editor and the release checks.

import { analyzeChangelog, type ChangelogCode, type ChangelogSeverity } from '../model/changelog';

export interface ChangelogProblem {
  /** 0-based. */
  line: number;
  message: string;
}

export interface ChangelogCheck {
  errors: ChangelogProblem[];
  /** The `Version:` of the first section, as written. */
  newestVersion: string | undefined;
}

/** The Error findings (as the user's severity settings make them) and the newest section's version. */
export function checkChangelog(text: string, severityFor?: (code: ChangelogCode) => ChangelogSeverity | 'off' | undefined): ChangelogCheck {
  const analysis = analyzeChangelog(text);
  const errors = analysis.findings
    .filter((f) => (severityFor?.(f.code) ?? f.severity) === 'error')
    .map((f) => ({ line: f.line, message: f.message }));
  const newest = analysis.sections[0]?.version;
  return { errors, newestVersion: newest ? newest : undefined };
}
