// Regenerates sample-dataset.json, the bundled dataset for demos (`npm run portal -- --sample`):
//   npx tsx test/portal-server/make-sample.ts
import { SAMPLE_DATASET_PATH, generateDataset, saveDataset } from './dataset';

const dataset = generateDataset({ mods: 400, seed: 1 });
saveDataset(dataset, SAMPLE_DATASET_PATH);
console.log(`wrote ${dataset.mods.length} mods to ${SAMPLE_DATASET_PATH}`);
