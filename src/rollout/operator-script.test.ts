import { describe, expect, it } from 'vitest';
import { CanaryError } from '../core/errors.js';
import { parseOperatorScript } from './operator-script.js';

describe('parseOperatorScript', () => {
  it('reads timed commands in event time, to the µs, sorted with file order kept at ties', () => {
    const commands = parseOperatorScript(
      JSON.stringify([
        { at: '2024-08-08T23:58:00.000250Z', command: 'resume' },
        { at: '2024-08-08T23:57:00Z', command: 'halt', reason: 'news at 00:00' },
        { at: '2024-08-08T23:58:00.000250Z', command: 'approve', id: 12 },
      ]),
      'ops.json',
    );
    const base = Date.UTC(2024, 7, 8, 23, 57, 0) * 1000;
    expect(commands).toEqual([
      { atUs: base, action: 'halt', id: null, reason: 'news at 00:00' },
      { atUs: base + 60_000_250, action: 'resume', id: null, reason: 'scripted resume (ops.json)' },
      { atUs: base + 60_000_250, action: 'approve', id: 12, reason: 'scripted approve (ops.json)' },
    ]);
  });

  it.each([
    ['not json', /ops\.json: not JSON/],
    ['{"at": "2024-08-08T23:57:00Z"}', /expected a JSON array/],
    ['[{"at": "2024-08-08 23:57", "command": "halt"}]', /\[0\]\.at: an ISO-8601 UTC time/],
    ['[{"at": "2024-08-08T23:57:00Z", "command": "pause"}]', /\[0\]\.command:/],
    ['[{"at": "2024-08-08T23:57:00Z", "command": "approve"}]', /`id` \(the proposal seq\)/],
    ['[{"at": "2024-08-08T23:57:00Z", "command": "resume", "id": 3}]', /`id`/],
    ['[{"at": "2024-08-08T23:57:00Z", "command": "halt", "why": 1}]', /\[0\]\.-: .*why/],
  ])('refuses %s with E_OPERATOR_SCRIPT naming the entry and field', (text, message) => {
    let thrown: unknown;
    try {
      parseOperatorScript(text, 'ops.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CanaryError);
    expect((thrown as CanaryError).code).toBe('E_OPERATOR_SCRIPT');
    expect((thrown as CanaryError).message).toMatch(message);
  });

  it.each([
    '2024-08-08T25:00:00Z',
    '2024-08-08T24:00:00Z',
    '2024-13-08T23:57:00Z',
    '2024-08-32T23:57:00Z',
    '2024-08-00T23:57:00Z',
    '2024-04-31T23:57:00Z',
    '2023-02-29T23:57:00Z',
    '2024-08-08T23:61:00Z',
    '2024-08-08T23:57:61Z',
    '2024-08-08T23:57:60.500000Z',
  ])('refuses %s, a time no calendar has, naming the entry', (at) => {
    const script = JSON.stringify([
      { at: '2024-08-08T23:57:00Z', command: 'halt' },
      { at, command: 'rollback' },
    ]);
    expect(() => parseOperatorScript(script, 'ops.json')).toThrow(
      expect.objectContaining({
        code: 'E_OPERATOR_SCRIPT',
        message: `ops.json: [1].at: ${at} is not a real time (month 01–12, a day of that month, 00:00:00 to 23:59:59)`,
      }),
    );
  });

  it('takes a leap day and the last µs of a day', () => {
    const [leap, last] = parseOperatorScript(
      JSON.stringify([
        { at: '2024-02-29T00:00:00Z', command: 'halt' },
        { at: '2024-12-31T23:59:59.999999Z', command: 'resume' },
      ]),
      'ops.json',
    );
    expect(leap!.atUs).toBe(Date.UTC(2024, 1, 29) * 1000);
    expect(last!.atUs).toBe(Date.UTC(2025, 0, 1) * 1000 - 1);
  });
});
