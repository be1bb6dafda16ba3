// Prints the vector table of docs/bucketing.md: node --import tsx src/router/test-support/print-bucketing-vectors.ts
import { renderVectorTable } from './bucketing-vectors.js';

process.stdout.write(`${renderVectorTable()}\n`);
