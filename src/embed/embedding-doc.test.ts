import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  botFillSchema,
  botOrderSchema,
  botRejectSchema,
  botStrategyErrorSchema,
} from './bot-report.js';
import { PLAN_PRESETS } from '../rollout/index.js';
import { testCanary } from './test-support/bot-driver.js';

const read = (relative: string): string =>
  readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
const DOC = read('../../docs/embedding.md');

/** The `readonly name` members of `interface <name> { … }` in a source file. */
function interfaceMembers(source: string, name: string): string[] {
  const start = source.indexOf(`export interface ${name} {`);
  expect(start, name).toBeGreaterThanOrEqual(0);
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}readonly (\w+)\??:/gm)].map((m) => m[1]!);
}

/** The section of the doc under a `### heading`, up to the next heading. */
function section(heading: string): string {
  const start = DOC.indexOf(`### ${heading}`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = DOC.indexOf('\n#', start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
}

describe('docs/embedding.md', () => {
  it('documents every createCanary option', () => {
    const options = interfaceMembers(read('./create-canary.ts'), 'CanaryOptions');
    expect(options).toContain('lateReportMs');
    const table = section('`createCanary` options');
    for (const option of options) expect(table, option).toContain(`\`${option}\``);
  });

  it('offers the presets createCanary takes, and only those', () => {
    const row = section('`createCanary` options')
      .split('\n')
      .find((line) => line.startsWith('| `plan`'));
    const offered = /a preset name \(([^)]*)\)/u.exec(row ?? '')?.[1] ?? '';
    const taken = Object.keys(PLAN_PRESETS).filter((name) => {
      try {
        testCanary({ plan: name as keyof typeof PLAN_PRESETS }).close();
        return true;
      } catch {
        return false;
      }
    });
    expect(taken).toContain('standard');
    expect([...offered.matchAll(/`([\w-]+)`/gu)].map((m) => m[1])).toEqual(taken);
  });

  it('documents every report field, the side values and the reject reasons', () => {
    const table = section('Reports');
    for (const schema of [botOrderSchema, botFillSchema, botRejectSchema, botStrategyErrorSchema]) {
      for (const field of Object.keys(schema.shape)) expect(table, field).toContain(`\`${field}\``);
    }
    for (const side of botOrderSchema.shape.side.options) expect(table).toContain(`\`${side}\``);
    for (const reason of botRejectSchema.shape.reason.options) {
      expect(table, reason).toContain(`\`${reason}\``);
    }
  });

  it('shows the decision object with every field', () => {
    const fields = interfaceMembers(read('../core/decision.ts'), 'Decision');
    expect(fields).toContain('disposition');
    const shown = section('The decision object');
    for (const field of fields) expect(shown, field).toContain(`readonly ${field}:`);
  });
});
