/** The two versions under comparison. Every account trades exactly one of them at a time. */
export type Arm = 'stable' | 'canary';

/** Both arms, in reporting order. */
export const ARMS: readonly Arm[] = ['stable', 'canary'];

/** The other arm. */
export function otherArm(arm: Arm): Arm {
  return arm === 'stable' ? 'canary' : 'stable';
}
