import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { SPOT_SAMPLES, aaReplayArgs } from './aa-replay.js';
import { cli, ROOT, readReport, tempDir, readAuditLines } from './cli-harness.js';
import { replayRollingBack } from './rollback-replay.js';

function aa(out: string, ...extra: string[]): string[] {
  return aaReplayArgs('short', out, ...extra);
}

interface AuditLine {
  seq: number;
  tsUs: number;
  at: string;
  kind: string;
  action: string;
  disposition: string;
  stepIndex: number | null;
  fromWeightPct: number;
  toWeightPct: number;
  ref: number | null;
  reasons: { code: string; metric: string | null }[];
  guardrails: { name: string; breached: boolean }[];
  configHash: string;
  watermark: { inputs: { path: string; sha256: string }[]; eventsProcessed: number };
}

function readAudit(dir: string): AuditLine[] {
  return readAuditLines<AuditLine>(dir);
}

describe('rollout replay on the real BTCUSDT samples (plan short)', () => {
  it('A/A walks every step and promotes; report.json and audit.jsonl tell the same story', async () => {
    const out = tempDir();
    const result = await cli(aa(out));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readReport(out);
    expect(report.outcome).toBe('promoted');
    expect(report.inputs.plan).toMatchObject({ type: 'plan', name: 'short', mode: 'auto' });
    const applied = report.decisions.filter(
      (d) => d.action !== 'hold' && d.disposition === 'applied',
    );
    expect(applied.map((d) => [d.action, d.fromWeightPct, d.toWeightPct])).toEqual([
      ['increase', 0, 10],
      ['increase', 10, 50],
      ['increase', 50, 100],
      ['promote', 100, 100],
    ]);
    for (const d of applied) {
      expect(d.reasons[0]!.code).toBe('ALL_NON_INFERIOR');
      const metrics = d.reasons.filter((r) => r.metric !== null);
      // Each compared metric twice: the step's evidence, then the whole rollout's.
      expect(metrics.map((r) => `${r.metric}/${r.scope}`)).toEqual(
        ['slippageBps', 'latencyMs', 'rejectRate', 'feeBps', 'edgeBps'].flatMap((m) => [
          `${m}/step`,
          `${m}/rollout`,
        ]),
      );
      // What the step required is shown non-inferior, with its bounds, units and test names.
      for (const r of metrics.filter((m) => m.required === true)) {
        expect(['non_inferior', 'better']).toContain(r.verdict);
        expect(r.ci).not.toBeNull();
        expect(r.unit).toBeTruthy();
        expect(r.alphaNonInferiority).toBe(0.025);
        expect(r.test).toMatch(/^paired-(buckets|intervals)\//);
      }
      for (const r of metrics) expect(r.verdict).not.toBe('worse');
      // The rollback α: half of 0.01 over the rollout, the other half over 3 comparison steps.
      expect(metrics.find((r) => r.scope === 'rollout')!.alpha).toBeCloseTo(0.005, 12);
      expect(metrics.find((r) => r.scope === 'step')!.alpha).toBeCloseTo(0.01 / 2 / 3, 12);
    }
    // Every account trades the promoted version at the end; the shadow step traded paper only.
    expect(report.exposure.accountSharePct).toBe(100);
    // Stable, left empty, keeps the return it earned while it had accounts (not −100 %).
    expect(report.arms.stable.accounts).toBe(0);
    for (const arm of [report.arms.stable, report.arms.canary]) {
      expect(Math.abs(arm.returnPct)).toBeLessThan(0.5);
      expect(arm.maxDrawdownPct).toBeLessThan(0.5);
    }
    expect(report.rollout).toMatchObject({
      status: 'promoted',
      finalWeightPct: 100,
      auditLog: 'audit.jsonl',
    });
    expect(report.shadow!.paperAccounts).toBe(1000);
    expect(report.shadow!.fills).toBeGreaterThan(0);
    // The printed lines are the decisions as they happened.
    expect(result.stdout).toMatch(/increase 0 % → 10 %\s+ALL_NON_INFERIOR/);
    expect(result.stdout).toMatch(/promote\s+100 %/);

    const audit = readAudit(out);
    expect(audit.map((l) => l.seq)).toEqual(audit.map((_, i) => i + 1));
    const hashes = new Set(audit.map((l) => l.configHash));
    expect(hashes.size).toBe(1);
    expect([...hashes][0]).toMatch(/^[0-9a-f]{64}$/);
    const shas = SPOT_SAMPLES.map((f) =>
      createHash('sha256')
        .update(readFileSync(join(ROOT, f)))
        .digest('hex'),
    );
    for (const line of audit) {
      expect(line.watermark.inputs.map((i) => i.sha256)).toEqual(shas);
      expect(line.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    // Event time and the input watermark only move forward.
    for (let i = 1; i < audit.length; i++) {
      expect(audit[i]!.tsUs).toBeGreaterThanOrEqual(audit[i - 1]!.tsUs);
      expect(audit[i]!.watermark.eventsProcessed).toBeGreaterThanOrEqual(
        audit[i - 1]!.watermark.eventsProcessed,
      );
    }
    // Each applied advance has its transition right after it, pointing back to it.
    for (const d of applied) {
      const transition = audit.find((l) => l.kind === 'transition' && l.ref === d.seq);
      expect(transition?.toWeightPct).toBe(d.toWeightPct);
    }
    // report.json's decisions are the audit log's decision records.
    const decisionSeqs = audit
      .filter((l) => l.kind === 'decision' || l.kind === 'timeout')
      .map((l) => l.seq);
    expect(report.decisions.map((d) => d.seq)).toEqual(decisionSeqs);
  });

  it('never advances before the step has run its minimum duration (event time, from the audit log)', async () => {
    const out = tempDir();
    expect((await cli(aa(out))).code).toBe(0);
    const plan = readReport(out).inputs.plan;
    const steps = (plan.type === 'plan' ? plan.steps : []) as readonly { minDurationMs: number }[];
    expect(steps.length).toBeGreaterThan(1);
    const audit = readAudit(out);
    // A step begins when the router's weight is set for it (the `transition` record naming it).
    const beganUs = new Map<number, number>();
    for (const line of audit) {
      if (line.kind === 'transition' && line.stepIndex !== null && !beganUs.has(line.stepIndex))
        beganUs.set(line.stepIndex, line.tsUs);
    }
    const advances = audit.filter(
      (l) =>
        l.kind === 'decision' &&
        l.disposition === 'applied' &&
        (l.action === 'increase' || l.action === 'promote'),
    );
    expect(advances.length).toBe(steps.length);
    let binding = 0;
    for (const advance of advances) {
      const step = advance.stepIndex!;
      const minimumUs = steps[step]!.minDurationMs * 1000;
      const ranUs = advance.tsUs - beganUs.get(step)!;
      expect(ranUs, `step ${step}`).toBeGreaterThanOrEqual(minimumUs);
      // Where the evidence came early, the minimum is what held the step: the gate is exercised.
      if (ranUs < minimumUs + 1_000_000) binding += 1;
    }
    expect(binding).toBeGreaterThan(0);
  });

  it("a fault that appears at 25 % is rolled back at 50 % by the step's own test, never promoted", async () => {
    // The README's example: momentum deciding every few seconds, so the 50 % step's first orders
    // are one bucket; averaged over the rollout the +3 bp fault is 0.54 bp, within its margin.
    const out = tempDir();
    const hold = '{"minHoldMs":3000}';
    const result = await cli([
      'replay',
      ...SPOT_SAMPLES,
      ...['--stable', 'momentum@1.0.0', '--stable-params', hold],
      ...['--canary', 'momentum@1.0.0', '--canary-params', hold],
      ...['--plan', 'short', '--inject', 'canary:slippage=+3bp,from=25%', '--out', out],
    ]);
    expect(result.code).toBe(0);
    const report = readReport(out);
    expect(report.outcome).toBe('rolled_back');
    const applied = report.decisions.filter(
      (d) => d.action !== 'hold' && d.disposition === 'applied',
    );
    expect(applied.map((d) => [d.action, d.fromWeightPct, d.toWeightPct])).toEqual([
      ['increase', 0, 10],
      ['increase', 10, 50],
      ['rollback', 50, 0],
    ]);
    const rollback = applied.at(-1)!;
    expect(rollback.reasons[0]).toMatchObject({
      code: 'METRIC_WORSE',
      metric: 'slippageBps',
      scope: 'step',
    });
    // Before it, the step waited for its own evidence while the rollout's said non-inferior.
    const waited = report.decisions.filter(
      (d) => d.fromWeightPct === 50 && d.reasons[0]!.code === 'WAIT_STEP_EVIDENCE',
    );
    expect(waited.length).toBeGreaterThan(0);
    for (const d of waited) {
      const overRollout = d.reasons.find(
        (r) => r.metric === 'slippageBps' && r.scope === 'rollout',
      );
      expect(overRollout?.verdict).toBe('non_inferior');
    }
  });

  it('writes byte-identical report.json and audit.jsonl when run twice', async () => {
    const [a, b] = [tempDir(), tempDir()];
    expect((await cli(aa(a))).code).toBe(0);
    expect((await cli(aa(b))).code).toBe(0);
    expect(readFileSync(join(a, 'report.json'))).toEqual(readFileSync(join(b, 'report.json')));
    expect(readFileSync(join(a, 'audit.jsonl'))).toEqual(readFileSync(join(b, 'audit.jsonl')));
  });

  it.each([
    ['canary:slippage=+3bp', 'slippageBps'],
    ['canary:rejects=+6%', 'rejectRate'],
    ['canary:latency=+50%', 'latencyMs'],
  ])(
    'a planted regression (%s) rolls back, with the metric shown worse',
    async (inject, metric) => {
      const out = tempDir();
      expect((await cli(aa(out, '--inject', inject))).code).toBe(0);
      const report = readReport(out);
      expect(report.outcome).toBe('rolled_back');
      const rollback = report.decisions.find((d) => d.action === 'rollback')!;
      expect(rollback.reasons[0]).toMatchObject({ code: 'METRIC_WORSE', metric, verdict: 'worse' });
      const [lower] = rollback.reasons[0]!.ci!;
      expect(lower).toBeGreaterThan(rollback.reasons[0]!.margin!);
      // The regression shows on paper, in the shadow step: no real account traded it.
      expect(rollback.fromWeightPct).toBe(0);
      // After a rollback no account trades the canary.
      expect(report.exposure.canaryAccounts).toBe(0);
      expect(report.rollout!.finalWeightPct).toBe(0);
    },
  );

  it('in manual mode, decisions wait as proposals and nothing advances', async () => {
    const out = tempDir();
    expect((await cli(aa(out, '--mode', 'manual'))).code).toBe(0);
    const report = readReport(out);
    const proposed = report.decisions.filter((d) => d.disposition === 'proposed');
    expect(proposed.length).toBeGreaterThan(0);
    expect(proposed[0]!.action).toBe('increase');
    expect(
      report.decisions.filter((d) => d.disposition === 'applied' && d.action !== 'hold'),
    ).toEqual([]);
    expect(report.rollout!.finalWeightPct).toBe(0);
    expect(report.outcome).toBe('in_progress');
  });

  it('a step undecided at its maximum halts for an operator, and says so on stdout (npm start)', async () => {
    const out = tempDir();
    const result = await cli([
      'replay',
      SPOT_SAMPLES[0]!,
      '--stable',
      'momentum@1.0.0',
      '--canary',
      'momentum@2.0.0',
      '--plan',
      'short',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const report = readReport(out);
    expect(report.outcome).toBe('halted');
    const last = report.decisions.find((d) => d.reasons[0]?.code === 'MAX_DURATION');
    expect(last).toMatchObject({ action: 'hold', stepIndex: 0, disposition: 'applied' });
    expect(result.stdout).toMatch(
      /hold +0 % +MAX_DURATION: step 0 \(shadow\) undecided after its maximum of 180000 ms: halted for an operator/,
    );
    // The summary names the halt as what decided the run (a hold, yet the decisive record).
    expect(result.stdout).toContain(
      `halted at 0.00 % after 1 applied decision (decision ${last!.seq}: MAX_DURATION)`,
    );
    // Once halted the operator decides: the rule records no more holds (it could still roll back).
    const after = report.decisions.slice(report.decisions.indexOf(last!) + 1);
    expect(after.filter((d) => d.action !== 'rollback')).toEqual([]);
    const lines = result.stdout.split('\n');
    const halt = lines.findIndex((l) => l.includes('MAX_DURATION'));
    expect(lines.slice(halt + 1).filter((l) => /^\S+Z +hold /.test(l))).toEqual([]);
  });
});

describe('positions on rollback, flatten or handoff', () => {
  const rollbackWith = async (policy: 'flatten' | 'handoff'): Promise<ReportJson> =>
    readReport(await replayRollingBack(SPOT_SAMPLES[0]!, policy));

  it('flatten closes the canary’s positions on the canary; handoff moves them to stable as they are', async () => {
    const flatten = await rollbackWith('flatten');
    const handoff = await rollbackWith('handoff');
    for (const report of [flatten, handoff]) {
      expect(report.outcome).toBe('rolled_back');
      expect(report.arms.canary.accounts).toBe(0);
      expect(report.decisions.find((d) => d.action === 'rollback')!.reasons[0]!.code).toBe(
        'GUARDRAIL_CANARY_LOSS_QUOTE',
      );
    }
    expect((flatten.inputs.plan as { positions: string }).positions).toBe('flatten');
    expect((handoff.inputs.plan as { positions: string }).positions).toBe('handoff');
    // always-long sends one order per account; flattening sends one closing order more each.
    const canaryAccounts = handoff.arms.canary.orders;
    expect(canaryAccounts).toBeGreaterThan(0);
    expect(flatten.arms.canary.orders).toBe(2 * canaryAccounts);
    expect(Number(flatten.arms.canary.fees)).toBeGreaterThan(Number(handoff.arms.canary.fees));
    // Flattened: the loss is realized on the canary, nothing is left open there.
    expect(flatten.arms.canary.unrealizedPnl).toBe('0');
    expect(Number(flatten.arms.canary.realizedPnl)).toBeLessThan(0);
    // Handed off: nothing realized on the canary; the open loss it had at the move stays its own.
    expect(handoff.arms.canary.realizedPnl).toBe('0');
    expect(Number(handoff.arms.canary.unrealizedPnl)).toBeLessThan(0);
    // Stable takes the positions over and trades them to its own targets: more stable orders.
    expect(handoff.arms.stable.orders).toBeGreaterThan(flatten.arms.stable.orders);
  });
});

describe('guardrails', () => {
  it('a breached guardrail rolls back at once, with the breach as evidence', async () => {
    const dir = tempDir();
    const plan = join(dir, 'tight.json');
    writeFileSync(
      plan,
      JSON.stringify({
        steps: [
          { weightPct: 50, minDurationMs: 600_000 },
          { weightPct: 100, minDurationMs: 0 },
        ],
        guardrails: { maxLossQuote: 1 },
      }),
    );
    const out = join(dir, 'run');
    expect(
      (await cli(['replay', SPOT_SAMPLES[0]!, '--plan', plan, '--accounts', '200', '--out', out]))
        .code,
    ).toBe(0);
    const report = readReport(out);
    expect(report.outcome).toBe('rolled_back');
    const rollback = report.decisions.find((d) => d.action === 'rollback')!;
    expect(rollback.reasons[0]!.code).toBe('GUARDRAIL_CANARY_LOSS_QUOTE');
    expect(rollback.guardrails.find((g) => g.name === 'canaryLossQuote')).toMatchObject({
      breached: true,
      limit: 1,
    });
  });
});

describe('rollout usage errors', () => {
  it.each([
    [['--plan', 'short', '--weight', '10'], /either --plan .* or --weight/],
    [['--plan-time-scale', '0.1'], /--plan-time-scale needs --plan/],
    [['--plan', 'nonsense-plan'], /nonsense-plan.*\[E_PLAN\]/],
    [['--mode', 'sometimes'], /--mode/],
  ])('%j', async (extra, message) => {
    const result = await cli(['replay', SPOT_SAMPLES[0]!, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('a bad plan file names the file and the field', async () => {
    const plan = join(tempDir(), 'bad.json');
    writeFileSync(plan, JSON.stringify({ steps: [{ weightPct: 50, minDurationMs: -5 }] }));
    const result = await cli(['replay', SPOT_SAMPLES[0]!, '--plan', plan]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.json: .*steps\.0\.minDurationMs.*\[E_PLAN\]/);
  });

  it('a guardrail out of range is E_PLAN naming the file and the field, not an internal error', async () => {
    const plan = join(tempDir(), 'limits.json');
    writeFileSync(
      plan,
      JSON.stringify({
        steps: [
          { weightPct: 10, minDurationMs: 60_000 },
          { weightPct: 100, minDurationMs: 60_000 },
        ],
        guardrails: { maxDrawdownPct: -1 },
      }),
    );
    const result = await cli(['replay', SPOT_SAMPLES[0]!, '--plan', plan]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/limits\.json: guardrails\.maxDrawdownPct: .*\[E_PLAN\]/);
    expect(result.stderr).not.toMatch(/internal error/);
  });
});
