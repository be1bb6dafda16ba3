/**
 * What one multiply-add costs in the representations exact money could take, on this machine:
 * `bigint`s of the ledger's size (money at 10⁻⁴², about 140 bits), small `bigint`s, 64-bit
 * `BigInt.asIntN` arithmetic on `BigInt64Array`s, a 128-bit product and sum built from two such
 * 64-bit words (32-bit halves, shifts and masks: Node 20's V8 compiles `+`, `*` and `asIntN` on
 * 64-bit `bigint`s to machine words but not `>>` and `&`, which allocate), and floats (not exact;
 * the floor).
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
const M32 = 0xffff_ffffn;
const low128 = new BigUint64Array(N);
const high128 = new BigInt64Array(N);
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
  '128 bits from two BigInt64Array words': () => {
    for (let i = 0; i < N; i++) {
      const a = a64[i]!;
      const b = b64[i]!;
      const a0 = a & M32;
      const a1 = a >> 32n;
      const b0 = b & M32;
      const b1 = b >> 32n;
      const p00 = a0 * b0;
      const p01 = a0 * b1;
      const p10 = a1 * b0;
      const mid = BigInt.asUintN(64, (p00 >> 32n) + (p01 & M32) + (p10 & M32));
      const low = BigInt.asUintN(64, (mid << 32n) | (p00 & M32));
      const high = BigInt.asUintN(64, a1 * b1 + (p01 >> 32n) + (p10 >> 32n) + (mid >> 32n));
      const before = low128[i]!;
      const sum = BigInt.asUintN(64, before + low);
      low128[i] = sum;
      high128[i] = BigInt.asIntN(64, high128[i]! + high + (sum < before ? 1n : 0n));
    }
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
// The 128-bit case must have computed the exact sums (a check, not a figure).
const runs = 3 * ROUNDS;
for (const i of [0, N - 1]) {
  const exact = a64[i]! * b64[i]! * BigInt(runs);
  if ((BigInt(high128[i]!) << 64n) + low128[i]! !== exact) throw new Error('128-bit case wrong');
}
