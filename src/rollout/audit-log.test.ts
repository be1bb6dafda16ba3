import { appendFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { formatAuditEntry, type InputWatermark } from './audit-entry.js';
import { AuditLog } from './audit-log.js';
import type { AuditRecord } from './audit-record.js';
import { PLAN_PRESETS } from './plan-presets.js';
import { planHash } from './plan-hash.js';
import { readAuditLog } from './read-audit-log.js';
import { repairTornLine } from './repair-torn-line.js';
import { RolloutController } from './rollout-controller.js';
import { NEW, OLD, proposal } from './test-support/fake-engine.js';

const T0 = 1_723_161_254_000_000;
const HASH = planHash(PLAN_PRESETS.standard);
const WM: InputWatermark = {
  inputs: [{ path: 'feeds/samples/spot_btcusdt_20240808.gz', sha256: 'a'.repeat(64) }],
  eventsProcessed: 1234,
  lastEventTsUs: T0,
};

/** Five records of a short auto run: start, set-weight, complete, decision (increase), set-weight. */
function records(): AuditRecord[] {
  const c = new RolloutController({
    plan: PLAN_PRESETS.standard,
    mode: 'auto',
    stableVersion: OLD,
    canaryVersion: NEW,
  });
  return [
    ...c.start(T0).records,
    ...c.transitionComplete(T0 + 1).records,
    ...c.onDecision(proposal('increase', 0), T0 + 300_000_000).records,
  ];
}

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
  path = join(dir, 'audit.jsonl');
});

function writeLog(count = 5): string[] {
  const log = AuditLog.open(path, { configHash: HASH });
  for (const record of records().slice(0, count)) log.append(record, WM);
  log.close();
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

function auditError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('E_AUDIT_LOG');
    return error as ConfigError;
  }
  throw new Error('no error');
}

describe('AuditLog.append', () => {
  it('writes one JSON line per record, in the documented field order, on disk before it returns', () => {
    const log = AuditLog.open(path, { configHash: HASH });
    const [first] = records();
    const entry = log.append(first!, WM);
    // read while the log is still open: the line is already in the file
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(`${formatAuditEntry(entry)}\n`);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'seq',
      'tsUs',
      'at',
      'kind',
      'action',
      'disposition',
      'mode',
      'trigger',
      'stepIndex',
      'evaluatedStepIndex',
      'fromWeightPct',
      'toWeightPct',
      'ref',
      'detail',
      'positions',
      'versions',
      'reasons',
      'guardrails',
      'configHash',
      'watermark',
    ]);
    expect(JSON.parse(text)).toMatchObject({
      seq: 1,
      tsUs: T0,
      at: '2024-08-08T23:54:14.000000Z',
      kind: 'start',
      configHash: HASH,
      watermark: WM,
    });
    log.close();
  });

  it('refuses records out of order and appends after close', () => {
    const log = AuditLog.open(path, { configHash: HASH });
    const rs = records();
    expect(() => log.append(rs[1]!, WM)).toThrow(/out of order/);
    log.append(rs[0]!, WM);
    expect(() => log.append(rs[0]!, WM)).toThrow(/out of order/);
    log.close();
    expect(() => log.append(rs[1]!, WM)).toThrow(/closed/);
  });

  it('is deterministic: the same records give byte-identical files', () => {
    writeLog();
    const other = join(dir, 'other.jsonl');
    const log = AuditLog.open(other, { configHash: HASH });
    for (const record of records()) log.append(record, WM);
    log.close();
    expect(readFileSync(other)).toEqual(readFileSync(path));
  });

  it('continues an existing log at its last seq; refuses one of another configuration', () => {
    writeLog(2);
    const log = AuditLog.open(path, { configHash: HASH });
    expect(log.lastSeq).toBe(2);
    log.append(records()[2]!, WM);
    log.close();
    expect(readAuditLog(path).lastSeq).toBe(3);
    expect(auditError(() => AuditLog.open(path, { configHash: 'f'.repeat(64) })).message).toMatch(
      /another configuration/,
    );
  });
});

describe('readAuditLog', () => {
  it('reads a missing file as a new, empty log', () => {
    expect(readAuditLog(path)).toEqual({
      path,
      exists: false,
      entries: [],
      lastSeq: 0,
      torn: null,
      sizeBytes: 0,
    });
  });

  it('reads an empty file: no entries, nothing torn', () => {
    writeFileSync(path, '');
    expect(readAuditLog(path)).toMatchObject({ exists: true, entries: [], lastSeq: 0, torn: null });
  });

  it('reads a clean file back entry for entry', () => {
    const lines = writeLog();
    const contents = readAuditLog(path);
    expect(contents.torn).toBeNull();
    expect(contents.lastSeq).toBe(5);
    expect(contents.entries.map((e) => formatAuditEntry(e))).toEqual(lines);
  });

  it('reports a torn last line (cut JSON, no newline) without counting it', () => {
    const lines = writeLog(4);
    const sizeBefore = readFileSync(path).length;
    const cut = formatAuditEntry({ ...records()[4]!, configHash: HASH, watermark: WM }).slice(
      0,
      57,
    );
    appendFileSync(path, cut);
    const contents = readAuditLog(path);
    expect(contents.entries).toHaveLength(4);
    expect(contents.entries.map((e) => formatAuditEntry(e))).toEqual(lines);
    expect(contents.torn).toEqual({
      offset: sizeBefore,
      length: 57,
      lineNumber: 5,
      text: cut,
      reason: 'no-final-newline',
    });
  });

  it('treats a complete JSON line without its newline as torn (the write was cut before the newline)', () => {
    writeLog(4);
    const whole = formatAuditEntry({ ...records()[4]!, configHash: HASH, watermark: WM });
    appendFileSync(path, whole);
    const contents = readAuditLog(path);
    expect(contents.lastSeq).toBe(4);
    expect(contents.torn).toMatchObject({ lineNumber: 5, reason: 'no-final-newline', text: whole });
  });

  it('treats a last line that ends with a newline but is not JSON as torn', () => {
    writeLog(3);
    appendFileSync(path, '\u0000\u0000\u0000\n');
    expect(readAuditLog(path).torn).toMatchObject({
      lineNumber: 4,
      reason: 'invalid-json',
      length: 4,
    });
  });

  it('calls a bad line before the last one a corrupt file, with its line number', () => {
    const lines = writeLog(3);
    writeFileSync(path, `${lines[0]}\n{"seq": 2, "torn\n${lines[2]}\n`);
    expect(auditError(() => readAuditLog(path)).message).toBe(
      `${path}:2: corrupt audit log: not valid JSON (a torn line that is not the last one)`,
    );
    writeFileSync(path, `${lines[0]}\n${lines[0]}\n`);
    expect(auditError(() => readAuditLog(path)).message).toMatch(
      /:2: corrupt audit log: seq 1 where 2 was expected/,
    );
    writeFileSync(path, `${lines[0]}\n${lines[2]}\n`);
    expect(auditError(() => readAuditLog(path)).message).toMatch(/:2: .*seq 3 where 2/);
    writeFileSync(path, `${lines[0]!.replace('"kind":"start"', '"kind":"stop"')}\n`);
    expect(auditError(() => readAuditLog(path)).message).toMatch(/:1: corrupt audit log: kind: /);
  });
});

describe('repairTornLine', () => {
  it('moves the torn bytes to <file>.torn, truncates, and records a repair entry', () => {
    const lines = writeLog(4);
    const cut = formatAuditEntry({ ...records()[4]!, configHash: HASH, watermark: WM }).slice(
      0,
      80,
    );
    appendFileSync(path, cut);
    expect(auditError(() => AuditLog.open(path, { configHash: HASH })).message).toMatch(
      /:5: torn last line/,
    );
    const repair = repairTornLine(readAuditLog(path), { configHash: HASH })!;
    expect(readFileSync(`${path}.torn`, 'utf8')).toBe(cut);
    expect(repair.tornPath).toBe(`${path}.torn`);
    const after = readAuditLog(path);
    expect(after.torn).toBeNull();
    expect(after.entries.slice(0, 4).map((e) => formatAuditEntry(e))).toEqual(lines);
    expect(after.entries[4]).toMatchObject({
      seq: 5,
      kind: 'repair',
      tsUs: after.entries[3]!.tsUs,
      fromWeightPct: 1,
      toWeightPct: 1,
      detail: { code: 'TORN_LINE' },
      watermark: WM,
    });
    expect(after.entries[4]!.detail!.message).toContain(
      `80 bytes at offset ${Buffer.byteLength(`${lines.join('\n')}\n`)}`, // bytes: the lines hold '→'
    );
    // nothing torn: nothing to do
    expect(repairTornLine(after, { configHash: HASH })).toBeNull();
  });

  it('repairs a log whose only line is torn, and keeps every torn fragment in .torn', () => {
    appendFileSync(path, '{"seq":1,"ts');
    repairTornLine(readAuditLog(path), { configHash: HASH });
    const after = readAuditLog(path);
    expect(after.entries).toHaveLength(1);
    expect(after.entries[0]).toMatchObject({
      seq: 1,
      kind: 'repair',
      tsUs: 0,
      mode: null,
      fromWeightPct: 0,
    });
    appendFileSync(path, 'xyz');
    repairTornLine(readAuditLog(path), { configHash: HASH });
    expect(readFileSync(`${path}.torn`, 'utf8')).toBe('{"seq":1,"tsxyz');
    expect(readAuditLog(path).lastSeq).toBe(2);
    expect(existsSync(path)).toBe(true);
  });
});
