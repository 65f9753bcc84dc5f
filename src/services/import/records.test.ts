import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastInstallments, installmentSchema } from './records.js';

const schedule = z.array(installmentSchema).min(1).max(600);

const nearlyValid = fc.record(
  {
    due: fc.oneof(
      fc.constantFrom('2026-01-31', '2026-02-29', '2024-02-29', '2026-13-01', '2026-1-01', ''),
      fc.integer(),
    ),
    principal: fc.oneof(fc.constantFrom('100.00', '0', '1.5', '-1', '1e3', '.5', '12.', ' 1'), fc.double()),
    interest: fc.constantFrom('0.00', '3', 'x'),
    fees: fc.constantFrom('0', '1.25', '-2', null),
    extra: fc.string(),
  },
  { requiredKeys: ['due', 'principal'] },
);

describe('the schedule fast path', () => {
  it('accepts exactly what the Zod schema accepts, with the same result', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(nearlyValid, { maxLength: 4 }),
          fc.anything(),
          fc.array(fc.anything(), { maxLength: 3 }),
        ),
        (value) => {
          const zod = schedule.safeParse(value);
          const fast = fastInstallments(value);
          expect(fast !== null).toBe(zod.success);
          if (zod.success) expect(fast).toEqual(zod.data);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
