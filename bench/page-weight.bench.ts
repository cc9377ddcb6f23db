// npm run bench:page-weight — the first-load JavaScript of the copilots list, overview, headers and audit pages
// (needs `npm run build` first). `npm run bench` prints the same table at its end.
import { measurePageWeights, printPageWeights } from './page-weight';

const rows = await measurePageWeights();
if (rows) printPageWeights(rows);
