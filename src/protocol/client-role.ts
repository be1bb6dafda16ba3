/**
 * Who a websocket client is, from its `hello` (docs/server.md):
 * - `subscriber`: receives state, decisions, assignments and metrics snapshots; sends nothing;
 * - `operator`: a subscriber that may also send commands (approve, reject, halt, resume, rollback);
 * - `agent`: a bot of a fleet: sends its reports, market events and event time; receives state,
 *   decisions and assignments (no metrics).
 */
export type ClientRole = 'subscriber' | 'operator' | 'agent';

/** The roles, in a fixed order (metrics labels, health counts). */
export const CLIENT_ROLES: readonly ClientRole[] = ['subscriber', 'operator', 'agent'];
