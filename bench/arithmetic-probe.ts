/**
 * What one multiply-add costs in the representations exact money could take, on this machine:
 * `bigint`s of the ledger's size (money at 10⁻⁴², about 140 bits), small `bigint`s, 64-bit
 * `BigInt.asIntN` arithmetic on `BigInt64Array`s, and floats (not exact; the floor). The README's
 * benchmark section quotes it.
 *
 *   npm run build && node dist/bench/arithmetic-probe.js
 */
const N = 1000;
const ROUNDS = 3000;
const a64 = new BigInt64Array(N);
const b64 = new BigInt64Array(N);
const out64 = new BigInt64Array(N);
for (let i = 0; i < N; i++) {
  a64[i] = BigInt(i * 12345 + 1);
  b64[i] = BigInt(i * 777 + 3);
}
const smallA = Array.from(a64);
const smallB = Array.from(b64);
const smallOut: bigint[] = new Array<bigint>(N).fill(0n);
const largeA = smallA.map((x) => x * 10n ** 30n);
const largeOut: bigint[] = new Array<bigint>(N).fill(0n);
const floatA = Float64Array.from(smallA, Number);
const floatB = Float64Array.from(smallB, Number);
const floatOut = new Float64Array(N);

const cases: Record<string, () => void> = {
  'bigint, ~140 bits (money at 10⁻⁴²)': () => {
    for (let i = 0; i < N; i++) largeOut[i] = largeOut[i]! + largeA[i]! * smallB[i]!;
  },
  'bigint, under 64 bits': () => {
    for (let i = 0; i < N; i++) smallOut[i] = smallOut[i]! + smallA[i]! * smallB[i]!;
  },
  'BigInt.asIntN(64) on BigInt64Array': () => {
    for (let i = 0; i < N; i++)
      out64[i] = BigInt.asIntN(64, out64[i]! + BigInt.asIntN(64, a64[i]! * b64[i]!));
  },
  'float64 (not exact)': () => {
    for (let i = 0; i < N; i++) floatOut[i] = floatOut[i]! + floatA[i]! * floatB[i]!;
  },
};

for (const [name, run] of Object.entries(cases)) {
  let best = Number.POSITIVE_INFINITY;
  for (let trial = 0; trial < 3; trial++) {
    const started = performance.now();
    for (let r = 0; r < ROUNDS; r++) run();
    best = Math.min(best, ((performance.now() - started) * 1e6) / (N * ROUNDS));
  }
  process.stdout.write(`${name.padEnd(40)} ${best.toFixed(1)} ns per multiply-add\n`);
}
