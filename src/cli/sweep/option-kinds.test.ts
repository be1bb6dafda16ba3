import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { processIo } from '../cli-io.js';
import { replayCommand } from '../commands/replay-command.js';
import { optionKinds } from './option-kinds.js';

describe('optionKinds', () => {
  it("reads each option's kind from the command's definition", () => {
    const command = new Command('x')
      .option('--flag')
      .option('--no-thing')
      .option('--one <v>')
      .option('--maybe [v]')
      .option('--many <v...>')
      .option('--again <v>', 'repeatable', (v: string, p: string[]) => [...p, v], [] as string[]);
    expect([...optionKinds(command)]).toEqual([
      ['--flag', 'flag'],
      ['--no-thing', 'flag'],
      ['--one', 'value'],
      ['--maybe', 'optional-value'],
      ['--many', 'list'],
      ['--again', 'list'],
    ]);
  });

  it('knows the replay options a grid sets most', () => {
    const kinds = optionKinds(replayCommand(processIo()));
    expect(kinds.get('--salt')).toBe('value');
    expect(kinds.get('--trades-only')).toBe('flag');
    expect(kinds.get('--no-html')).toBe('flag');
    expect(kinds.get('--inject')).toBe('list');
    expect(kinds.get('--candidate')).toBe('list');
  });
});
