// Run in a fresh process by the bench: one cold-cache load of the mod list from a folder,
// as at editor start (nothing compiled or warmed yet). Prints the milliseconds as JSON.
import { PortalCache, type PortalSource } from '../../src/portal/cache';
import { FileCacheStorage } from '../../src/portal/storage';

const dir = process.argv[2];
if (!dir) throw new Error('usage: cold-load.ts <cache folder>');

const offline: PortalSource = {
  getAllMods: () => Promise.reject(new Error('the bench expects the list on disk')),
  getModsByName: () => Promise.reject(new Error('unused')),
  getFullMod: () => Promise.reject(new Error('unused')),
};

void (async () => {
  const t0 = performance.now();
  const index = await new PortalCache({ client: offline, storage: new FileCacheStorage(dir) }).getList();
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, mods: index.size }));
})();
