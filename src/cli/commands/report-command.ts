import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { OutputError, UsageError } from '../../core/errors.js';
import { renderComparisonMd } from '../../report/render-comparison-md.js';
import type { CliIo } from '../cli-io.js';
import { readCheckedRunAudit } from '../read-checked-run-audit.js';
import { makeDirectory, readRunReport, writeRenderedReports } from '../run-directory.js';
import { checkTornAuditLine, repairAuditLog } from './torn-audit-line.js';

interface ReportCliOptions {
  readonly out?: string;
  readonly repair?: boolean;
}

/**
 * `strategy-canary report DIR` rebuilds report.md and report.html of a run directory from its
 * report.json and audit.jsonl; `report DIR_A DIR_B` compares two runs (comparison.md, into
 * `--out` when given: with one run, `--out` is refused). A report.json missing a field, or an
 * audit log missing or not the one report.json was written with, is refused (`E_RUN_DIR`). An
 * audit log whose last line was torn by a crash is refused (`E_AUDIT_LOG`) unless `--repair`
 * moves the torn bytes to `<log>.torn` and appends a `repair` record, as `serve --repair` does.
 */
export function reportCommand(io: CliIo): Command {
  return new Command('report')
    .description(
      'Rebuild report.md and report.html of a run directory (what replay --out wrote) from its report.json and audit.jsonl; with two directories, compare the runs.',
    )
    .argument('<run-dir>', 'a run directory')
    .argument('[other-run-dir]', 'a second run directory to compare with the first')
    .option(
      '--out <dir>',
      'with two runs only: where comparison.md goes (default: print it on stdout only)',
    )
    .option(
      '--repair',
      'an audit log whose last line was torn by a crash: move the torn bytes to <log>.torn and append a repair record (without it, such a log is refused, E_AUDIT_LOG)',
    )
    .action(async (dir: string, other: string | undefined, options: ReportCliOptions) => {
      const report = readRunReport(dir);
      if (other === undefined) {
        if (options.out !== undefined)
          throw new UsageError(
            `report: --out goes with two runs (where their comparison.md goes); one run's report.md and report.html are rebuilt in its own directory, ${dir}`,
          );
        // Checked before a torn last line is repaired in it: never write into another run's log.
        readCheckedRunAudit(dir, report);
        const auditName = report.rollout?.auditLog;
        if (auditName != null) {
          const auditPath = join(dir, auditName);
          if (checkTornAuditLine(auditPath, options.repair === true, 'run report again') !== null) {
            const repaired = repairAuditLog(auditPath);
            if (repaired !== null) io.stderr.write(`${repaired}\n`);
          }
        }
        const written = await writeRenderedReports(dir, report, readCheckedRunAudit(dir, report));
        io.stdout.write(`report.md: ${written.md}\nreport.html: ${written.html}\n`);
        return;
      }
      const otherReport = readRunReport(other);
      const text = renderComparisonMd([
        { dir, report, audit: readCheckedRunAudit(dir, report) },
        { dir: other, report: otherReport, audit: readCheckedRunAudit(other, otherReport) },
      ]);
      io.stdout.write(text);
      if (options.out !== undefined) {
        const path = join(options.out, 'comparison.md');
        try {
          await makeDirectory(options.out);
          await writeFile(path, text);
        } catch (error) {
          throw new OutputError(path, error);
        }
        io.stdout.write(`\ncomparison: ${path}\n`);
      }
    });
}
