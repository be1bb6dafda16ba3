import { z } from 'zod';
import { implausibleEventTime } from '../embed/plausible-event-time.js';

/**
 * An event time in `unit` since the epoch that the canary takes (plausible-event-time.ts: from
 * 2000-01-01 up to 2100-01-01; µs whole): a time in another unit is refused at the protocol's door,
 * `BAD_MESSAGE` naming the field, not left for the canary to throw on.
 */
export const eventTimeSchema = (unit: 'ms' | 'µs'): z.ZodNumber =>
  z.number().superRefine((time, context) => {
    const implausible = implausibleEventTime(time, unit);
    if (implausible !== null) context.addIssue({ code: 'custom', message: implausible });
  });
