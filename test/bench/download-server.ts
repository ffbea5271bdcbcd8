// A local portal in its own process serving one very large release, so the bench
// process's memory figures hold the client alone. Prints {url, release} as one JSON line;
// stops when stdin closes.
import { generateDataset } from '../portal-server/dataset';
import { makeRelease } from '../portal-server/records';
import { startPortalServer } from '../portal-server/server';

const bytes = Number(process.argv[2] ?? 200 * 1024 * 1024);
const dataset = generateDataset({ mods: 0, seed: 1 });
const release = makeRelease('big-release-mod', {
  version: '1.0.0',
  factorioVersion: '2.0',
  releasedAt: Date.UTC(2025, 0, 1),
  dependencies: ['base >= 2.0.0'],
  downloadId: 'b16b16b16b16b16b16b16b16',
});
Object.assign(release, { filler_bytes: bytes });
dataset.mods.push({
  name: 'big-release-mod',
  title: 'Big Release',
  owner: 'bench',
  summary: 'A release as large as the biggest real ones.',
  downloads_count: 1,
  releases: [release],
} as (typeof dataset.mods)[number]);

void startPortalServer({ dataset }).then((server) => {
  const served = server.dataset.mods.find((m) => m.name === 'big-release-mod')!.releases[0]!;
  // Reading sha1 builds the zip once and memoises its hash.
  process.stdout.write(`${JSON.stringify({ url: server.url, credentials: server.credentials, release: { ...served, sha1: served.sha1 } })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
});
