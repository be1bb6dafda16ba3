import type { MarketEvent } from '../src/core/market-event.js';
import type {
  AccountView,
  Strategy,
  StrategyDefinition,
  TargetPosition,
} from '../src/core/strategy.js';

/**
 * A calibration strategy: another strategy whose every target change is acted on `lagMs` of event
 * time later. On prices that are a martingale (the synthetic feeds) a delay changes neither the
 * expected return, nor the costs, nor the execution: the lagged version is **equally good by
 * construction**, yet it decides at different moments from the original, which is what a real
 * B/A comparison looks like to the analysis (its buckets pair different market moments).
 */
export function laggedStrategy<P>(
  definition: StrategyDefinition<P>,
  lagMs: number,
): StrategyDefinition<P> {
  const lagUs = Math.round(lagMs * 1000);
  return {
    ...definition,
    description: `${definition.description} (acting ${lagMs} ms late)`,
    create: (params: P): Strategy => {
      const inner = definition.create(params);
      const queue: { dueUs: number; target: TargetPosition }[] = [];
      return {
        id: inner.id,
        onMarketEvent(event: MarketEvent): TargetPosition | null {
          const target = inner.onMarketEvent(event);
          if (target !== null) queue.push({ dueUs: event.tsUs + lagUs, target });
          let due: TargetPosition | null = null;
          while (queue.length > 0 && queue[0]!.dueUs <= event.tsUs) {
            const head = queue.shift()!;
            if (head.target.symbol === event.symbol) due = head.target;
            else if (due === null) {
              // Another symbol's target: keep it for that symbol's next event.
              queue.unshift(head);
              break;
            }
          }
          return due;
        },
        targetQuantity: (target: TargetPosition, account: AccountView, price: number): number =>
          inner.targetQuantity(target, account, price),
      };
    },
  };
}
