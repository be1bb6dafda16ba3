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
});
