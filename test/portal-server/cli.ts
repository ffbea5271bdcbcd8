// `npm run portal -- [--port P] [--mods N (generated, plus the fixed CASES)] [--seed S] [--dataset file.json | --sample] [--latency MS]
//   [--api-key KEY=OWNER:upload,publish,edit ...]`
// Starts the local Mod Portal and keeps it running until SIGINT or SIGTERM. Without
// --api-key the management API accepts DEFAULT_API_KEYS (test/portal-server/publishing.ts).
import { SAMPLE_DATASET_PATH, generateDataset, loadDataset, type PortalDataset } from './dataset';
import { SCOPES, startPortalServer, type ApiKey, type Scope } from './server';

interface CliOptions {
  port: number;
  mods: number;
  seed: number;
  dataset?: string;
  sample: boolean;
  latency?: number;
  apiKeys: ApiKey[];
}

const SCOPE_NAMES: Readonly<Record<string, Scope>> = SCOPES;

/** `KEY=OWNER:upload,publish,edit`. */
function parseApiKey(text: string): ApiKey {
  const match = /^([^=\s]+)=([^:\s]+):([a-z,]+)$/.exec(text);
  if (!match) usage(`--api-key: expected KEY=OWNER:upload,publish,edit, got "${text}"`);
  const scopes = match[3].split(',').map((name) => SCOPE_NAMES[name] ?? usage(`--api-key: unknown scope "${name}"`));
  return { key: match[1], owner: match[2], scopes };
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run portal -- [--port P] [--mods N] [--seed S] [--dataset file.json | --sample] [--latency MS] [--api-key KEY=OWNER:upload,publish,edit]\n`,
  );
  process.exit(2);
}

function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: 0, mods: 400, seed: 1, sample: false, apiKeys: [] };
  const number = (flag: string, value: string | undefined): number => {
    if (value === undefined || !/^\d+$/.test(value)) usage(`${flag} needs a non-negative integer`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        options.port = number(flag, value());
        break;
      case '--mods':
        options.mods = number(flag, value());
        break;
      case '--seed':
        options.seed = number(flag, value());
        break;
      case '--latency':
        options.latency = number(flag, value());
        break;
      case '--dataset': {
        const file = value();
        if (!file) usage('--dataset needs a file');
        options.dataset = file;
        break;
      }
      case '--api-key':
        options.apiKeys.push(parseApiKey(value() ?? ''));
        break;
      case '--sample':
        options.sample = true;
        break;
      case '--help':
      case '-h':
        usage('Local Factorio Mod Portal');
        break;
      default:
        usage(`unknown argument: ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let dataset: PortalDataset;
  if (options.dataset) dataset = loadDataset(options.dataset);
  else if (options.sample) dataset = loadDataset(SAMPLE_DATASET_PATH);
  else dataset = generateDataset({ mods: options.mods, seed: options.seed });
  const server = await startPortalServer({
    port: options.port,
    dataset,
    faults: options.latency ? { latencyMs: options.latency } : undefined,
    apiKeys: options.apiKeys.length > 0 ? options.apiKeys : undefined,
  });
  process.stdout.write(`Local Mod Portal listening on ${server.url} (${dataset.mods.length} mods)\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
