import { ParsedFeedCache } from '../feeds/index.js';

/**
 * Events a calibration worker keeps parsed: the largest calibration feed (a 180-minute quotes
 * file, about 1.6M events) with room to spare, some 200 MB a worker.
 */
const CALIBRATION_CACHED_EVENTS = 2_000_000;

/**
 * This thread's parsed calibration feeds (a module is loaded once per thread): calibrate hands
 * its jobs out in the order of their files, so a worker replays one file many times in a row and
 * parses it once.
 */
export const calibrationFeedCache = new ParsedFeedCache(CALIBRATION_CACHED_EVENTS);
