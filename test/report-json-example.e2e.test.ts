import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { cli, ROOT, readReport, tempDir } from './cli-harness.js';
import { EXAMPLE_TRIM, exampleAuditLine, exampleReportText } from './docs-example-trim.js';

const REPORT_JSON_MD = readFileSync(join(ROOT, 'docs', 'report-json.md'), 'utf8');
const ROLLOUT_MD = readFileSync(join(ROOT, 'docs', 'rollout.md'), 'utf8');

/** The text between `begin` and the next `end` (both must be there). */
function between(text: string, begin: string, end: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start + begin.length);
  if (start < 0 || stop < 0) throw new Error(`no section between ${begin} and ${end}`);
  return text.slice(start + begin.length, stop);
}

/** The content of the first fenced code block in `markdown` (without its final newline). */
function firstFence(markdown: string): string {
  const match = /^```[a-z]*\n([\s\S]*?)\n```$/m.exec(markdown);
  if (match === null) throw new Error('no fenced code block');
  return match[1]!;
}

/** Prose with its line breaks and runs of spaces as single spaces. */
function collapsed(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** Checks that prose (collapsed) says `fragment`, going on to the other checks when it does not. */
function says(prose: string, fragment: string): void {
  expect.soft(prose).toContain(fragment);
}

/**
 * The words of a documented shell command: backslash-newline continues the line, single quotes
 * quote; anything else a shell would interpret is refused, so the test runs what a shell would.
 */
function shellWords(command: string): string[] {
  const text = command.replace(/\\\n/g, ' ');
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unclosed quote in: ${command}`);
      word = (word ?? '') + text.slice(i + 1, close);
      i = close;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if ('"\\$`*?[~;&|<>(){}#'.includes(c)) {
      throw new Error(`shell syntax this test does not interpret (${c}) in: ${command}`);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

// docs/report-json.md "## Example": the command, the paragraph saying what is trimmed, the JSON.
const EXAMPLE = between(REPORT_JSON_MD, '\n## Example\n', '<!-- example:end -->');
const [EXAMPLE_INTRO, EXAMPLE_BODY] = EXAMPLE.split('<!-- example:begin -->') as [string, string];
const COMMAND = firstFence(EXAMPLE_INTRO);
const TRIM_PARAGRAPH = collapsed(EXAMPLE_INTRO.slice(EXAMPLE_INTRO.lastIndexOf('```') + 3));
// docs/rollout.md "## Audit log": the same run's command, the prose, the lines it shows.
const AUDIT = between(ROLLOUT_MD, '\n## Audit log', '<!-- audit-example:end -->');
const [AUDIT_INTRO, AUDIT_BODY] = AUDIT.split('<!-- audit-example:begin -->') as [string, string];

describe('the example run of docs/report-json.md and docs/rollout.md', () => {
  let out = '';
  let report: ReportJson;

  beforeAll(async () => {
    // The documented command, run from the repository's root, its --out in a fresh directory.
    const words = shellWords(COMMAND);
    expect(words[0]).toBe('strategy-canary');
    const args = words.slice(1);
    const outAt = args.indexOf('--out');
    expect(outAt).toBeGreaterThan(0);
    out = tempDir();
    args[outAt + 1] = out;
    const result = await cli(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    report = readReport(out);
  }, 120_000);

  it('is one run: both docs give the same command', () => {
    expect(firstFence(AUDIT_INTRO)).toBe(COMMAND);
  });

  it('report-json.md shows its report.json, trimmed only as its paragraph says', () => {
    const decision = report.decisions.find((d) => d.seq === EXAMPLE_TRIM.decisionSeq)!;
    expect(decision).toMatchObject({
      action: 'increase',
      fromWeightPct: 0,
      toWeightPct: 10,
      stepIndex: 0,
    });
    const { returns, latencyMs, slippageBps } = report.series;
    const pointCounts = new Set(
      [returns.stable, returns.canary].flatMap((s) =>
        [s.tsMs, s.returnPct, s.drawdownPct].map((a) => a.length),
      ),
    );
    const quantileCounts = new Set(
      [latencyMs.stable, latencyMs.canary, slippageBps.stable, slippageBps.canary].flatMap((s) => [
        s!.q.length,
        s!.value.length,
      ]),
    );
    // One count each, as the paragraph states them.
    expect(pointCounts.size).toBe(1);
    expect(quantileCounts.size).toBe(1);
    const assumptions = (report.inputs.execution as { assumptions: readonly string[] }).assumptions;
    const { assumptions: a, reasons: r, guardrails: g, points: p, decisionSeq: seq } = EXAMPLE_TRIM;
    says(
      TRIM_PARAGRAPH,
      `\`inputs.execution.assumptions\` keeps its first ${a} of ${assumptions.length} sentences`,
    );
    says(
      TRIM_PARAGRAPH,
      `\`decisions\` keeps 1 of its ${report.decisions.length} entries (seq ${seq}, the increase ` +
        `from the shadow step to 10 %) with its first ${r} of ${decision.reasons.length} reasons ` +
        `and its first ${g} of ${decision.guardrails.length} guardrail states`,
    );
    says(
      TRIM_PARAGRAPH,
      `each \`series.returns\` array keeps its first ${p} of ${[...pointCounts][0]} points, each ` +
        `quantile list (\`q\`, \`value\`) its first ${p} of ${[...quantileCounts][0]}`,
    );
    // Everything else as written, byte for byte (nothing is normalized: see the paragraph).
    expect.soft(firstFence(EXAMPLE_BODY)).toBe(exampleReportText(report));
  });

  it('rollout.md shows lines 8 to 10 of its audit.jsonl, trimmed only as it says', () => {
    const { first, last } = EXAMPLE_TRIM.auditLines;
    const lines = readFileSync(join(out, 'audit.jsonl'), 'utf8').split('\n');
    const decision = JSON.parse(lines[EXAMPLE_TRIM.decisionSeq - 1]!) as {
      seq: number;
      reasons: { metric: string | null }[];
      guardrails: unknown[];
    };
    expect(decision.seq).toBe(EXAMPLE_TRIM.decisionSeq);
    const prose = collapsed(AUDIT_INTRO);
    says(
      prose,
      `each of the ${decision.reasons.filter((x) => x.metric !== null).length} evidence records`,
    );
    says(prose, `Lines ${first} to ${last} of its \`audit.jsonl\``);
    says(
      prose,
      `line ${EXAMPLE_TRIM.decisionSeq}'s \`reasons\` keep only their first ` +
        `${EXAMPLE_TRIM.reasons} of ${decision.reasons.length} entries and its \`guardrails\` ` +
        `only the first ${EXAMPLE_TRIM.guardrails} of ${decision.guardrails.length}`,
    );
    expect.soft(firstFence(AUDIT_BODY)).toBe(
      lines
        .slice(first - 1, last)
        .map((line) => exampleAuditLine(line))
        .join('\n'),
    );
  });
});
