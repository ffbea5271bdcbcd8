// Integration-test entry (the contract @vscode/test-electron uses: the runner loads this
// bundle in the extension host and awaits run()). Every suite file is imported here:
// adding a suite is one line; the harness fails the run if a *.test.ts is missing below.
import { runRegistered } from './framework';
import './activation.test';
import './infojson.test';
import './bench.test';
import './explorer.test';
import './lookups.test';
import './download.test';
import './portalText.test';

export async function run(): Promise<void> {
  await runRegistered();
}
