/**
 * A report id: any string of 1 to this many characters, unique per agent (an agent's outbox makes
 * them: docs/server.md, "Fleet"). The server answers each id once and repeats that answer for a
 * report sent again under the same id.
 */
export const REPORT_ID_MAX_LENGTH = 256;
