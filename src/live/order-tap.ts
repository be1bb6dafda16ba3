import type { Order } from '../core/order.js';
import type { SimulatedBroker } from '../execution/index.js';

/**
 * Calls `onOrder` with every order handed to `broker`, just before the broker sees it (so before
 * a reject it returns at once). The trading engine's own streams carry fills and rejects in full
 * but only a count of its orders, and a bot reports each order before its fill: this is where the
 * orders are. Returns a function that removes the tap.
 */
export function tapOrders<O extends Order>(
  broker: SimulatedBroker<O>,
  onOrder: (order: O) => void,
): () => void {
  const own = Object.getOwnPropertyDescriptor(broker, 'submit');
  const submit = broker.submit.bind(broker);
  broker.submit = (order, nowUs) => {
    onOrder(order);
    return submit(order, nowUs);
  };
  return () => {
    if (own === undefined) Reflect.deleteProperty(broker, 'submit');
    else Object.defineProperty(broker, 'submit', own);
  };
}
