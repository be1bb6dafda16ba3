/**
 * Browser code of the dashboard, part 1 of 4 (dashboard-page.ts joins them in one scope): how
 * numbers and event times are written. Defines `formatNumber`, `formatCount`, `formatTsUs`,
 * `formatIsoTime`.
 */
export const DASHBOARD_FORMAT_SCRIPT = String.raw`
const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A figure with 4 significant digits (whole above 10,000, in powers of ten below 0.001), or an
 * em dash for null.
 */
function formatNumber(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const size = Math.abs(value);
  const text = size >= 10000 ? whole.format(value)
    : size !== 0 && size < 0.001 ? value.toExponential(2)
    : significant.format(value);
  return text.replace('-', '−');
}

/** A count with thousands separators. */
function formatCount(value) {
  return typeof value === 'number' && Number.isFinite(value) ? whole.format(value) : '—';
}

/** Event time in µs since the epoch as HH:MM:SS (UTC). */
function formatTsUs(tsUs) {
  return new Date(Math.floor(tsUs / 1000)).toISOString().slice(11, 19);
}

/** An ISO timestamp of event time as YYYY-MM-DD HH:MM:SS (UTC). */
function formatIsoTime(iso) {
  return typeof iso === 'string' ? iso.slice(0, 19).replace('T', ' ') : '—';
}
`;
