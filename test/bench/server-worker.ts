// Runs the local portal in its own thread, so its CPU and heap stay out of the figures.
import { parentPort, workerData } from 'node:worker_threads';
import { startPortalServer } from '../portal-server/server';

const { mods, seed } = workerData as { mods: number; seed: number };

void startPortalServer({ mods, seed }).then((server) => {
  parentPort?.postMessage({ url: server.url });
  parentPort?.on('message', (message: unknown) => {
    if (message === 'close') void server.close().then(() => process.exit(0));
  });
});
