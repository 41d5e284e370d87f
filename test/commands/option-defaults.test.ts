// Defaults live only in the zod schemas: a default commander also held would be a second place
// to change (and could disagree). Every option of every command is checked, so a new command or
// flag is covered without touching this test.
import { describe, expect, it } from 'vitest';
import type { Runner } from '../../src/commands/context.js';
import { COMMANDS } from '../../src/program.js';

const noRun: Runner = () => async () => undefined;

describe('option defaults', () => {
  for (const make of COMMANDS) {
    const cmd = make(noRun);
    it(`${cmd.name()}: commander holds no default (zod does)`, () => {
      const withDefault = cmd.options
        // --no-x is true unless given: commander's meaning of the flag, not a default of ours.
        .filter((o) => o.defaultValue !== undefined && !o.negate)
        .map((o) => `${o.long ?? o.short} = ${JSON.stringify(o.defaultValue)}`);
      expect(withDefault).toEqual([]);
    });
  }

  it('covers every command', () => {
    expect(COMMANDS.length).toBeGreaterThanOrEqual(10);
  });
});
