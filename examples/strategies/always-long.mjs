// A user strategy in plain JavaScript: hold a fixed long exposure in every symbol it sees.
//
//   npx strategy-canary replay feeds/samples/spot_btcusdt_20240808.gz \
//     --stable momentum@1.0.0 --canary ./examples/strategies/always-long.mjs
//
// The module's default export is a StrategyDefinition: name, version, description,
// parseParams(input) -> params (throws on bad input), create(params) -> Strategy.

const DEFAULTS = { exposurePct: 1 };

/** @param {unknown} input */
function parseParams(input) {
  if (input === undefined || input === null) return { ...DEFAULTS };
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new Error('params must be an object like { "exposurePct": 1 }');
  }
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULTS)) throw new Error(`unknown parameter "${key}" (known: exposurePct)`);
  }
  const exposurePct =
    /** @type {{ exposurePct?: unknown }} */ (input).exposurePct ?? DEFAULTS.exposurePct;
  if (typeof exposurePct !== 'number' || !(exposurePct > 0 && exposurePct <= 100)) {
    throw new Error('exposurePct must be a number in (0, 100]');
  }
  return { exposurePct };
}

/** @param {{ exposurePct: number }} params */
function create(params) {
  const seen = new Set();
  const exposure = params.exposurePct / 100;
  return {
    id: 'always-long@1.0.0',
    // Once per market event for the whole arm: a target only the first time a symbol shows up.
    onMarketEvent(event) {
      if (seen.has(event.symbol)) return null;
      seen.add(event.symbol);
      return { symbol: event.symbol, exposure, reason: 'entry-long' };
    },
    // Once per account when the target changes: base units to hold.
    targetQuantity(target, account, price) {
      if (!(account.equity > 0) || !(price > 0)) return 0;
      return (target.exposure * account.equity) / price;
    },
  };
}

export default {
  name: 'always-long',
  version: '1.0.0',
  description: 'Buys exposurePct % of equity in every symbol on its first event and holds it.',
  parseParams,
  create,
};
