import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, tempDir } from '../../../test/cli-harness.js';

const SPOT_0808 = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');
let run: string;

/** A replay of `feed` under `plan` into a new run directory. */
async function replayRun(feed: string, plan = 'short'): Promise<string> {
  const dir = join(tempDir('sc-report-run-'), 'run');
  const result = await cli([
    'replay',
    feed,
    '--stable',
    'momentum@1.0.0',
    '--canary',
    'momentum@2.0.0',
    '--plan',
    plan,
    '--out',
    dir,
  ]);
  expect(result.code).toBe(0);
  return dir;
}

beforeAll(async () => {
  run = await replayRun(SPOT_0808);
}, 120_000);

/** A copy of the run, with a stale report.md to tell whether it was rewritten. */
function copyOfRun(): string {
  const dir = join(tempDir('sc-report-copy-'), 'run');
  cpSync(run, dir, { recursive: true });
  writeFileSync(join(dir, 'report.md'), 'stale');
  return dir;
}

/** `report DIR`'s refusal: exit 2, one line with `code`, and report.md not rewritten. */
async function refused(dir: string, code: string, ...more: string[]): Promise<string> {
  const result = await cli(['report', dir, ...more]);
  expect(result.code).toBe(2);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(new RegExp(`\\[${code}\\]\\n$`, 'u'));
  expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('stale');
  return result.stderr;
}

/** A copy of the run whose audit log ends in a line torn by a crash. */
function tornRun(): { dir: string; auditPath: string; complete: string; torn: string } {
  const dir = join(tempDir('sc-report-torn-'), 'run');
  cpSync(run, dir, { recursive: true });
  const auditPath = join(dir, 'audit.jsonl');
  const complete = readFileSync(auditPath, 'utf8');
  const lastSeq = complete.trimEnd().split('\n').length;
  const torn = `{"seq":${lastSeq + 1},"tsUs":17231612`;
  appendFileSync(auditPath, torn);
  return { dir, auditPath, complete, torn };
}

describe('strategy-canary report: a torn last audit line', () => {
  it('is refused (exit 2, E_AUDIT_LOG) naming --repair, and nothing is rewritten', async () => {
    const { dir, auditPath, complete, torn } = tornRun();
    writeFileSync(join(dir, 'report.md'), 'stale');
    const lineNumber = complete.trimEnd().split('\n').length + 1;
    const result = await cli(['report', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^strategy-canary: .*audit\\.jsonl:${lineNumber}: torn last line \\(no-final-newline, ${torn.length} bytes .*; run report again with --repair to move it to .*audit\\.jsonl\\.torn .*\\[E_AUDIT_LOG\\]\\n$`,
      ),
    );
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('stale');
    expect(readFileSync(auditPath, 'utf8')).toBe(complete + torn);
  });

  it('with --repair, is moved aside into <log>.torn, a repair record is appended and the report rebuilt', async () => {
    const { dir, auditPath, complete, torn } = tornRun();
    const lineNumber = complete.trimEnd().split('\n').length + 1;
    const result = await cli(['report', dir, '--repair']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `^repaired: .*audit\\.jsonl:${lineNumber}: torn last line \\(${torn.length} bytes\\) moved to .*audit\\.jsonl\\.torn; audit record ${lineNumber} says so\\n$`,
      ),
    );
    expect(result.stdout).toMatch(/^report\.md: .*\nreport\.html: .*\n$/);
    expect(readFileSync(`${auditPath}.torn`, 'utf8')).toBe(torn);
    const log = readFileSync(auditPath, 'utf8');
    expect(log.startsWith(complete)).toBe(true);
    const repair = JSON.parse(log.slice(complete.length)) as { seq: number; kind: string };
    expect(repair).toMatchObject({ seq: lineNumber, kind: 'repair' });
    // Repaired for good: the next report needs no option, and says nothing about it.
    const again = await cli(['report', dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
  });

  it('--repair is refused (E_STATE_LOCKED) while another process holds the log, nothing changed', async () => {
    const { dir, auditPath, complete, torn } = tornRun();
    writeFileSync(join(dir, 'report.md'), 'stale');
    // A live process of this host (the test runner's parent) named in the log's lock file.
    const holder = { pid: process.ppid, host: hostname(), since: '2026-12-07T10:00:00.000Z' };
    writeFileSync(`${auditPath}.lock`, JSON.stringify(holder));
    expect(await refused(dir, 'E_STATE_LOCKED', '--repair')).toContain(
      `is in use by process ${process.ppid}`,
    );
    expect(readFileSync(auditPath, 'utf8')).toBe(complete + torn);
    expect(existsSync(`${auditPath}.torn`)).toBe(false);
  });

  it('--repair on an intact log changes nothing', async () => {
    const dir = join(tempDir('sc-report-intact-'), 'run');
    cpSync(run, dir, { recursive: true });
    const before = readFileSync(join(dir, 'audit.jsonl'));
    const result = await cli(['report', dir, '--repair']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(readFileSync(join(dir, 'audit.jsonl'))).toEqual(before);
  });
});

describe('strategy-canary report: a run directory that does not hold together', () => {
  it('refuses a report.json missing a field, naming it (E_RUN_DIR)', async () => {
    const dir = copyOfRun();
    const path = join(dir, 'report.json');
    const report = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...report, arms: undefined }));
    expect(await refused(dir, 'E_RUN_DIR')).toMatch(/report\.json: arms: .*replay the run again/u);
    const decisions = report.decisions as Record<string, unknown>[];
    const noReasons = [{ ...decisions[0], reasons: undefined }, ...decisions.slice(1)];
    writeFileSync(path, JSON.stringify({ ...report, decisions: noReasons }));
    expect(await refused(dir, 'E_RUN_DIR')).toMatch(/report\.json: decisions\.0\.reasons: /u);
  });

  it("refuses another run's audit.jsonl: another feed's, or the same feed's under another plan", async () => {
    const eth = await replayRun(join('feeds', 'samples', 'spot_ethusdt_20240808.gz'));
    const aggressive = await replayRun(SPOT_0808, 'aggressive');
    for (const other of [eth, aggressive]) {
      const dir = copyOfRun();
      cpSync(join(other, 'audit.jsonl'), join(dir, 'audit.jsonl'));
      expect(await refused(dir, 'E_RUN_DIR', '--repair')).toMatch(
        /audit\.jsonl: .*: this audit log is not the one report\.json was written with/u,
      );
      expect(readFileSync(join(dir, 'audit.jsonl'))).toEqual(
        readFileSync(join(other, 'audit.jsonl')),
      );
    }
    const dir = copyOfRun();
    cpSync(join(eth, 'audit.jsonl'), join(dir, 'audit.jsonl'));
    expect(await refused(dir, 'E_RUN_DIR')).toMatch(
      /record 1 names input .*spot_ethusdt_20240808\.gz sha256 [0-9a-f]{64}, report\.json has no such input/u,
    );
  }, 120_000);

  it('refuses a missing audit.jsonl that report.json counts records of, saying how to get it back', async () => {
    const dir = copyOfRun();
    rmSync(join(dir, 'audit.jsonl'));
    expect(await refused(dir, 'E_RUN_DIR')).toMatch(
      /audit\.jsonl: missing, and report\.json counts \d+ audit records: .*put the run's audit\.jsonl back, or replay the run again to rebuild both \(strategy-canary replay .* --out DIR\)/u,
    );
  });

  it('refuses --out with one run (it is for two runs’ comparison.md)', async () => {
    const dir = copyOfRun();
    const out = join(tempDir('sc-report-out-'), 'elsewhere');
    expect(await refused(dir, 'E_USAGE', '--out', out)).toMatch(/--out goes with two runs/u);
    expect(existsSync(out)).toBe(false);
  });
});

describe('strategy-canary report A B --out', () => {
  it.runIf(existsSync('/proc/self'))(
    'under /proc fails with E_OUTPUT at once',
    () => {
      // In a child with a deadline: Node's recursive mkdir spins there for good.
      const proc = spawnSync(process.execPath, [BIN, 'report', run, run, '--out', '/proc/nope'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 30_000,
        killSignal: 'SIGKILL',
      });
      expect(proc.status).toBe(2);
      expect(proc.stderr).toMatch(
        /^strategy-canary: cannot write \/proc\/nope\/comparison\.md: .*\[E_OUTPUT\]\n$/u,
      );
    },
    60_000,
  );
});
