import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAccounts } from '../src/engine/generate-accounts.js';
import { formatSummary } from '../src/cli/format-summary.js';
import type { OperatorOutcome } from '../src/control/index.js';
import { runReplay } from '../src/engine/run-replay.js';
import { DEFAULT_EXECUTION_CONFIG, NO_INJECTIONS } from '../src/execution/index.js';
import { loadArmStrategies } from '../src/live/index.js';
import { PLAN_PRESETS, parseOperatorScript, type OperatorCommand } from '../src/rollout/index.js';
import { cli, readReport, SAMPLES, tempDir } from './cli-harness.js';

/** `npm start`'s rollout: v2's shadow step is undecided at its 3-minute maximum and halts. */
async function replayWithOperator(script: readonly OperatorCommand[]) {
  const applied: { action: string; outcome: OperatorOutcome; atUs: number | null }[] = [];
  const result = await runReplay(
    {
      files: [join(SAMPLES, 'spot_btcusdt_20240808.gz')],
      feed: { onBadLine: 'fail' },
      accountsSource: 'generated',
      accounts: generateAccounts(1000, 7),
      salt: 'strategy-canary',
      weightBps: 0,
      seed: 7,
      strategies: await loadArmStrategies({ stable: 'momentum@1.0.0', canary: 'momentum@2.0.0' }),
      execution: DEFAULT_EXECUTION_CONFIG,
      injections: NO_INJECTIONS,
      maxLeverage: 1,
      quantityDecimals: 8,
      sampleIntervalMs: 1000,
      rollout: { plan: PLAN_PRESETS.short, mode: 'auto', auditPath: null, operatorScript: script },
    },
    {
      onOperator: (command, outcome, atUs) =>
        applied.push({ action: command.action, outcome, atUs }),
    },
  );
  return { ...result, applied };
}

describe('a scripted operator in a replay (--operator)', () => {
  it('resumes a halted rollout, then rolls it back, in event time; a command that cannot apply says why', async () => {
    const script = parseOperatorScript(
      JSON.stringify([
        { at: '2024-08-08T23:55:00Z', command: 'resume' }, // not halted yet: refused
        { at: '2024-08-08T23:57:30Z', command: 'resume' }, // after the 23:57:15 halt
        { at: '2024-08-08T23:59:00Z', command: 'rollback', reason: 'what if we had pulled it' },
        { at: '2030-01-01T00:00:00Z', command: 'halt' }, // after the data
      ]),
      'ops.json',
    );
    const without = await replayWithOperator([]);
    expect(without.report.outcome).toBe('halted');
    const { report, rollout, applied } = await replayWithOperator(script);

    expect(
      applied.map((a) => [a.action, a.outcome.applied, a.outcome.refusal?.code ?? null]),
    ).toEqual([
      ['resume', false, 'NOT_HALTED'],
      ['resume', true, null],
      ['rollback', true, null],
      ['halt', false, 'AFTER_DATA'],
    ]);
    // Applied at the first market event at or after each command's time.
    expect(applied[1]!.atUs).toBeGreaterThanOrEqual(script[1]!.atUs);
    expect(applied[1]!.atUs! - script[1]!.atUs).toBeLessThan(1_000_000);
    expect(applied[3]!.atUs).toBeNull();

    // Audited as operator records, like a live operator's.
    const operator = rollout!.records.filter((r) => r.kind === 'operator');
    expect(operator.map((r) => [r.action, r.disposition])).toEqual([
      ['resume', 'refused'],
      ['resume', 'applied'],
      ['force-rollback', 'applied'],
    ]);
    // Resumed, the analysis drives again until the scripted rollback.
    const resumedAt = operator[1]!.tsUs;
    const rolledBackAt = operator[2]!.tsUs;
    const between = report.decisions.filter((d) => {
      const tsUs = Date.parse(d.at) * 1000;
      return tsUs > resumedAt && tsUs < rolledBackAt;
    });
    expect(between.length).toBeGreaterThan(0);
    expect(report.outcome).toBe('rolled_back');
    expect(report.rollout!.finalWeightPct).toBe(0);
  });
});

describe("a scripted operator's rollback in the summary", () => {
  it('is named as what decided the rollout, as report.md names it', async () => {
    const script = parseOperatorScript(
      JSON.stringify([
        { at: '2024-08-08T23:57:30Z', command: 'resume' },
        { at: '2024-08-08T23:59:00Z', command: 'rollback', reason: 'what if we had pulled it' },
      ]),
      'ops.json',
    );
    const { report, rollout } = await replayWithOperator(script);
    expect(report.outcome).toBe('rolled_back');
    const rollback = rollout!.records.find((r) => r.action === 'force-rollback')!;
    // Not the last analysis decision before it, a hold that decided nothing.
    expect(formatSummary(report, [], null, rollout!.records)).toMatch(
      new RegExp(
        `: rolled back at 0\\.00 % after .+ \\(operator command ${rollback.seq}: OPERATOR\\)$`,
        'm',
      ),
    );
  });
});

describe('replay --operator FILE', () => {
  it('prints what each scripted command did, and refuses a bad script or one without a plan', async () => {
    const dir = tempDir();
    const ops = join(dir, 'ops.json');
    writeFileSync(ops, JSON.stringify([{ at: '2024-08-08T23:57:30Z', command: 'resume' }]));
    const args = [
      'replay',
      join(SAMPLES, 'spot_btcusdt_20240808.gz'),
      '--canary',
      'momentum@2.0.0',
    ];
    const run = await cli([
      ...args,
      '--plan',
      'short',
      '--operator',
      ops,
      '--out',
      join(dir, 'run'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^2024-08-08T23:57:30\.\d{6}Z {2}operator resume {2}applied$/m);
    expect(readReport(join(dir, 'run')).outcome).not.toBe('halted');

    const noPlan = await cli([...args, '--operator', ops]);
    expect(noPlan.code).toBe(2);
    expect(noPlan.stderr).toMatch(/--operator needs --plan .*\[E_USAGE\]/);
    writeFileSync(ops, '[{"at": "yesterday", "command": "resume"}]');
    const bad = await cli([...args, '--plan', 'short', '--operator', ops]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\[0\]\.at: .*\[E_OPERATOR_SCRIPT\]/);
  });

  it('refuses a time no calendar has (25:00) before replaying anything', async () => {
    const dir = tempDir();
    const ops = join(dir, 'ops.json');
    writeFileSync(ops, '[{"at": "2024-08-08T25:00:00Z", "command": "rollback"}]');
    const out = join(dir, 'run');
    const result = await cli([
      'replay',
      join(SAMPLES, 'spot_btcusdt_20240808.gz'),
      '--plan',
      'short',
      '--operator',
      ops,
      '--out',
      out,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /\[0\]\.at: 2024-08-08T25:00:00Z is not a real time.*\[E_OPERATOR_SCRIPT\]/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a halt during the baseline keeps every account on stable, and the summary says so', async () => {
    const dir = tempDir();
    const ops = join(dir, 'ops.json');
    writeFileSync(ops, '[{"at": "2024-08-08T23:55:00Z", "command": "halt", "reason": "hold on"}]');
    const out = join(dir, 'run');
    const sample = join(SAMPLES, 'spot_btcusdt_20240808.gz');
    // `standard` begins with a 10-minute baseline, longer than the sample's 6 minutes.
    const result = await cli(['replay', sample, '--plan', 'standard', '--operator', ops]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^2024-08-08T23:55:00\.\d{6}Z {2}operator halt {2}applied$/m);
    expect(result.stdout).toContain(
      'positions flatten: halted by an operator in its baseline (every account on stable;',
    );
    expect(result.stdout).not.toContain('still in its baseline');
    const written = await cli([
      'replay',
      sample,
      '--plan',
      'standard',
      '--operator',
      ops,
      '--out',
      out,
    ]);
    expect(written.code).toBe(0);
    const report = readReport(out);
    expect(report.rollout).toMatchObject({ status: 'pending', halted: true });
    expect(report.exposure.maxAccountSharePct).toBe(0);
  });
});
