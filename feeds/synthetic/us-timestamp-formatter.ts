/** '000000', '00000', … '': zeros to pad a microsecond count of n digits to six. */
const PAD_MICROS = ['000000', '00000', '0000', '000', '00', '0', ''];

/**
 * `String(tsUs)` for event times, several times faster: V8 turns a 16-digit double into text
 * slowly, while the whole seconds (a small integer, cached while it repeats) and the microseconds
 * (six digits) are quick. Stateful: one instance per stream of timestamps.
 */
export class UsTimestampFormatter {
  private lastSecond = -1;
  private secondText = '';

  /** The decimal text of `tsUs`, a non-negative safe integer. */
  format(tsUs: number): string {
    let second = Math.floor(tsUs / 1e6);
    let micros = tsUs - second * 1e6;
    // Near 2^53 the division can round across a whole second.
    if (micros < 0) {
      second -= 1;
      micros += 1e6;
    } else if (micros >= 1e6) {
      second += 1;
      micros -= 1e6;
    }
    if (second === 0) return `${micros}`;
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.secondText = `${second}`;
    }
    const microsText = `${micros}`;
    return this.secondText + (PAD_MICROS[microsText.length] as string) + microsText;
  }
}
