// Reads a JSON array of [salt, accountId] pairs on stdin and prints the JSON array of their
// buckets: the separate process of the cross-process determinism test.
import { bucketOf } from '../bucket-of.js';

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  input += chunk;
});
process.stdin.on('end', () => {
  const pairs = JSON.parse(input) as Array<[string, string]>;
  process.stdout.write(JSON.stringify(pairs.map(([salt, accountId]) => bucketOf(salt, accountId))));
});
