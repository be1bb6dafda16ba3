import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { AuditLineForReport } from '../report/decision-log.js';
import type { ReportJson } from '../report/report-json.js';
import { readAuditLog } from '../rollout/index.js';

/**
 * A run directory's audit entries (none without a rollout), checked to be the log its report.json
 * was written with, so that a report never draws one run's decision log under another's verdict:
 * there when report.json counts audit records, each record naming report.json's input files by
 * the same sha256, as many records (a `repair` record aside), and holding report.json's decisions
 * (at the same event times, with the same reasons).
 * @throws ConfigError `E_RUN_DIR` naming what does not match and how to get the log back.
 */
export function readCheckedRunAudit(
  dir: string,
  report: ReportJson,
): readonly AuditLineForReport[] {
  const name = report.rollout?.auditLog;
  if (report.rollout == null || name == null) return [];
  const path = join(dir, name);
  const expected = report.rollout.auditRecords;
  const again =
    report.inputs.command === null
      ? 'replay the run again to rebuild both'
      : `replay the run again to rebuild both (${report.inputs.command} --out DIR)`;
  const log = readAuditLog(path);
  if (!log.exists) {
    if (expected === 0) return [];
    throw new ConfigError(
      'E_RUN_DIR',
      `${path}: missing, and report.json counts ${expected} audit records: the report's decision log is drawn from them; put the run's ${name} back, or ${again}`,
    );
  }
  const another = `this audit log is not the one report.json was written with (another run's?): put the run's own back, or ${again}`;
  const digests = new Map(report.inputs.files.map((file) => [file.path, file.sha256]));
  for (const entry of log.entries) {
    for (const input of entry.watermark.inputs) {
      const digest = digests.get(input.path);
      if (digest !== input.sha256)
        throw new ConfigError(
          'E_RUN_DIR',
          `${path}: record ${entry.seq} names input ${input.path} sha256 ${input.sha256}, report.json ${digest === undefined ? 'has no such input' : `sha256 ${digest}`}: ${another}`,
        );
    }
  }
  const records = log.entries.filter((entry) => entry.kind !== 'repair').length;
  if (records !== expected)
    throw new ConfigError(
      'E_RUN_DIR',
      `${path}: ${records} records, report.json counts ${expected}: ${another}`,
    );
  // A decision is its record's: the same event time, and the record's reasons among its own (the
  // evidence's messages carry the estimates; report.json may add a reason, as CALENDAR_CLOSED).
  const bySeq = new Map(log.entries.map((entry) => [entry.seq, entry]));
  const key = (reason: { readonly code: string; readonly message?: unknown }): string =>
    `${reason.code}\n${String(reason.message)}`;
  for (const decision of report.decisions) {
    const entry = bySeq.get(decision.seq);
    const reasons = new Set(decision.reasons.map(key));
    if (entry?.at !== decision.at || !entry.reasons.every((reason) => reasons.has(key(reason))))
      throw new ConfigError(
        'E_RUN_DIR',
        `${path}: report.json's decision ${decision.seq} (${decision.action} at ${decision.at}) is not its record ${decision.seq}: ${another}`,
      );
  }
  return log.entries;
}
