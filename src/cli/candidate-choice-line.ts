import { usToIso } from '../core/time.js';
import type { CandidateChoice } from '../engine/run-candidates-replay.js';

/**
 * The choice of an A/B/n replay as the replay prints it when it is made, among the decisions:
 * `[choice] AT  c2 promoted; c1 not chosen (rolled back)  ranked by …`, or with `json` one
 * `{"type":"choice",…}` object (`at`, `winner`, `notChosen`, `passedOver`, `ranking`).
 */
export function candidateChoiceLine(choice: CandidateChoice, json: boolean): string {
  const at = usToIso(choice.atUs);
  if (json)
    return `${JSON.stringify({
      type: 'choice',
      at,
      winner: choice.winner,
      notChosen: choice.notChosen,
      passedOver: choice.passedOver,
      ranking: choice.ranking,
    })}\n`;
  const others = [
    choice.notChosen.length === 0 ? null : `${choice.notChosen.join(', ')} not chosen`,
    choice.passedOver.length === 0 ? null : `${choice.passedOver.join(', ')} undecided`,
  ].filter((part) => part !== null);
  return `[choice] ${at}  ${choice.winner} promoted${
    others.length === 0 ? '' : `; ${others.join('; ')} (rolled back)`
  }  ${choice.ranking}\n`;
}
