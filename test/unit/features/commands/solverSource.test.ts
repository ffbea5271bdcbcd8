import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { solveDependencies } from '../../../../src/model/solver';
import { cacheSolverSource, clientSolverSource } from '../../../../src/features/commands/solverSource';
import { PortalCache } from '../../../../src/portal/cache';
import { PortalClient } from '../../../../src/portal/client';
import { MemoryCacheStorage } from '../../../../src/portal/storage';
import { makeRelease, type DatasetMod } from '../../../portal-server/records';
import { startPortalServer, type PortalServer } from '../../../portal-server/server';

function mod(name: string, releases: Array<[string, string, string[]]>): DatasetMod {
  return {
    name,
    title: name,
    owner: 'someone',
    summary: '',
    downloads_count: 1,
    releases: releases.map(([version, fv, deps], i) =>
      makeRelease(name, { version, factorioVersion: fv, releasedAt: Date.UTC(2025, 0, 1 + i), dependencies: deps, downloadId: `${name}-${i}` }),
    ),
  };
}

describe('solver sources over the local portal', () => {
  let server: PortalServer;
  const client = (): PortalClient => new PortalClient({ baseUrl: server.url, userAgent: 'test/0.0.0', maxRetries: 0 });

  before(async () => {
    server = await startPortalServer({
      dataset: {
        mods: [
          mod('top', [['1.0.0', '2.0', ['base >= 2.0.0', 'lib >= 1.1.0']]]),
          mod('lib', [
            ['1.0.0', '2.0', []],
            ['1.1.0', '2.0', []],
            ['1.2.0', '1.1', []],
          ]),
          mod('needs-ghost', [['1.0.0', '2.0', ['ghost']]]),
        ],
      },
    });
  });
  after(() => server.close());

  for (const [label, make] of [
    ['client', () => { const c = client(); return clientSolverSource((n, s) => c.getFullMod(n, s)); }],
    ['cache', () => { const cache = new PortalCache({ client: client(), storage: new MemoryCacheStorage() }); return cacheSolverSource((n, o) => cache.fetchFullMod(n, o)); }],
  ] as const) {
    test(`${label}: the chosen releases carry the portal's Release, sha1 and download URL included`, async () => {
      server.setFaults(undefined);
      const r = await solveDependencies({ factorioVersion: '2.0', dependencies: ['top'], source: make() });
      assert.ok(r.ok, r.ok ? '' : r.failure.message);
      const lib = r.mods.find((m) => m.name === 'lib')!;
      const served = server.dataset.mods.find((m) => m.name === 'lib')!.releases[1]!;
      assert.equal(lib.version, '1.1.0');
      assert.equal(lib.release?.payload.sha1, served.sha1);
      assert.equal(lib.release?.payload.download_url, served.download_url);
    });

    test(`${label}: a mod the portal does not have is missing; a failing portal is a failure`, async () => {
      server.setFaults(undefined);
      const missing = await solveDependencies({ factorioVersion: '2.0', dependencies: ['needs-ghost'], source: make() });
      assert.ok(!missing.ok && missing.failure.kind === 'missing', missing.ok ? '' : missing.failure.message);
      assert.equal(missing.failure.message, '1 required mod is not on the mod portal: ghost (required by needs-ghost 1.0.0)');
      server.setFaults({ status: 503, match: '/top/' });
      const down = await solveDependencies({ factorioVersion: '2.0', dependencies: ['top'], source: make() });
      assert.ok(!down.ok);
      assert.equal(down.failure.kind, 'source');
      server.setFaults(undefined);
    });
  }
});
