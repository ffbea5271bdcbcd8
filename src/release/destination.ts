// Where a mod's zip is written: a folder the user chose, else the workspace folder of the
// mod, and never inside the mod's own folder (the next zip would carry this one).

import * as path from 'node:path';

export type ZipFolder = { ok: true; folder: string } | { ok: false; folder: string; problem: string };

/** Whether `inner` is `outer` or lies under it (paths already absolute). */
export function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(path.resolve(outer), path.resolve(inner));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The folder for the zip. `setting` empty: the mod's workspace folder, or the mod folder's
 * parent when the workspace folder is the mod itself. A relative setting is taken from the
 * workspace folder; `~` is the home folder.
 */
export function zipFolder(options: { setting: string; workspaceFolder: string | undefined; modFolder: string; home: string }): ZipFolder {
  const { workspaceFolder, modFolder, home } = options;
  const setting = options.setting.trim();
  const base = workspaceFolder ?? path.dirname(modFolder);
  if (setting === '') {
    return { ok: true, folder: isWithin(base, modFolder) ? path.dirname(path.resolve(modFolder)) : path.resolve(base) };
  }
  const expanded = setting === '~' || setting.startsWith('~/') || setting.startsWith('~\\') ? path.join(home, setting.slice(1)) : setting;
  const folder = path.resolve(base, expanded);
  if (isWithin(folder, modFolder)) {
    return { ok: false, folder, problem: `${folder} is inside the mod's own folder: the next zip would carry this one. Choose another folder in the setting factorioPortal.package.outputFolder.` };
  }
  return { ok: true, folder };
}
