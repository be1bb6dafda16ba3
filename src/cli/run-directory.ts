import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, OutputError } from '../core/errors.js';
import { renderAccountsCsv, type AccountResult } from '../report/account-result.js';
import type { AuditLineForReport } from '../report/decision-log.js';
import { renderReportHtml } from '../report/render-report-html.js';
import { REPORT_SCHEMA_VERSION, renderReportJson, type ReportJson } from '../report/report-json.js';
import { renderReportMd } from '../report/render-report-md.js';
import { readAuditLog } from '../rollout/index.js';

/** The files a run directory holds. */
export const RUN_FILES = {
  json: 'report.json',
  md: 'report.md',
  html: 'report.html',
  accounts: 'accounts.csv',
  audit: 'audit.jsonl',
} as const;

async function write(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new OutputError(path, error);
  }
}

/** Writes report.md and report.html of a run directory from its report and audit entries. */
export async function writeRenderedReports(
  dir: string,
  report: ReportJson,
  audit: readonly AuditLineForReport[],
): Promise<{ md: string; html: string }> {
  const md = join(dir, RUN_FILES.md);
  const html = join(dir, RUN_FILES.html);
  await write(md, renderReportMd(report, audit));
  // ECharts takes most of a second to load: only commands that draw charts pay for it.
  const { renderReportCharts } = await import('../report/render-report-charts.js');
  await write(html, renderReportHtml(report, audit, renderReportCharts(report)));
  return { md, html };
}

/** Writes a finished replay's outputs: report.json, accounts.csv, report.md and report.html. */
export async function writeRunOutputs(
  dir: string,
  report: ReportJson,
  accounts: readonly AccountResult[],
): Promise<{ json: string; audit: string | null; md: string; html: string; accounts: string }> {
  const json = join(dir, RUN_FILES.json);
  await write(json, renderReportJson(report));
  const accountsPath = join(dir, RUN_FILES.accounts);
  await write(accountsPath, renderAccountsCsv(accounts));
  const rendered = await writeRenderedReports(dir, report, readRunAudit(dir, report));
  const audit = report.rollout?.auditLog;
  return {
    json,
    audit: audit == null ? null : join(dir, audit),
    accounts: accountsPath,
    ...rendered,
  };
}

/**
 * A run directory's report.json, checked: readable, JSON, this tool's schema version.
 * @throws ConfigError `E_RUN_DIR` naming the file and what is wrong.
 */
export function readRunReport(dir: string): ReportJson {
  const path = join(dir, RUN_FILES.json);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'E_RUN_DIR',
      `${path}: cannot read it (${(error as Error).message}); a run directory is what replay --out wrote`,
      { cause: error },
    );
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('E_RUN_DIR', `${path}: not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const version = (report as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new ConfigError(
      'E_RUN_DIR',
      `${path}: schemaVersion ${JSON.stringify(version)}, this version of the tool reads ${REPORT_SCHEMA_VERSION} (replay the run again to rebuild it)`,
    );
  }
  return report as ReportJson;
}

/** The run's audit entries (none without a rollout); a torn last line is left out, as on resume. */
export function readRunAudit(dir: string, report: ReportJson): readonly AuditLineForReport[] {
  const name = report.rollout?.auditLog;
  if (name == null) return [];
  return readAuditLog(join(dir, name)).entries;
}
