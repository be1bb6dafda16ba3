/**
 * The tokens each role needs in its `hello` (docs/server.md, "Authentication"): operators always
 * need theirs; agents are admitted only when `agent` is set; subscribers need `subscriber` when it
 * is set, nothing otherwise. Compared in constant time ({@link tokenMatches}).
 */
export interface ServerTokens {
  readonly operator: string;
  readonly agent?: string | undefined;
  readonly subscriber?: string | undefined;
}
