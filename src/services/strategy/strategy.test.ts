import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArrearsError } from '../../domain/errors.js';
import {
  DEFAULT_STRATEGY_JURISDICTIONS,
  defaultStrategyFile,
  parseStrategyText,
  readStrategyFile,
} from './index.js';
import { defaultTemplates, LOCALES } from '../../templates/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'arrears-strategy-'));

function issuesOf(text: string) {
  try {
    parseStrategyText(text);
  } catch (e) {
    if (e instanceof ArrearsError) return e.details?.issues;
    throw e;
  }
  throw new Error('expected the strategy to be rejected');
}

describe('strategy files', () => {
  it.each(DEFAULT_STRATEGY_JURISDICTIONS)('ships a valid default strategy for %s', async (j) => {
    const s = await readStrategyFile(defaultStrategyFile(j));
    expect(s.name).toBe(`default-${j.toLowerCase()}`);
    expect(s.segments.map((x) => x.id)).toEqual(['early', 'mid', 'late']);
    // Every step names a template Arrears ships for that channel, in every locale.
    const shipped = new Set(defaultTemplates().map((t) => `${t.name}/${t.channel}/${t.locale}`));
    for (const seg of s.segments)
      for (const step of [...(seg.path ?? []), ...(seg.arms ?? []).flatMap((a) => a.path)])
        for (const locale of LOCALES) expect(shipped).toContain(`${step.template}/${step.channel}/${locale}`);
  });

  it('reports schema problems with the line they are on', () => {
    const text = [
      'name: test', //                                   1
      'version: 1', //                                   2
      'segments:', //                                    3
      '  - id: early', //                                4
      '    when: { dpd: { gte: 1 } }', //                5
      '    path:', //                                    6
      '      - id: sms-1', //                            7
      '        channel: pigeon', //                      8
      '        template: reminder', //                   9
      '        at: { dpd: 0 }', //                      10
    ].join('\n');
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({ line: 8, field: 'segments.0.path.0.channel', code: 'invalid_value' }),
      expect.objectContaining({ line: 10, field: 'segments.0.path.0.at.dpd', code: 'too_small' }),
    ]);
  });

  it('reports YAML syntax errors with their line, and reads JSON too', async () => {
    expect(issuesOf('name: x\nversion: [1\n')).toEqual([
      expect.objectContaining({ field: '(document)', code: 'syntax', line: 3 }),
    ]);
    const file = path.join(dir, 's.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'json',
        version: 2,
        segments: [{ id: 'all', path: [{ id: 'e', channel: 'email', template: 't', at: { dpd: 1 } }] }],
      }),
    );
    expect((await readStrategyFile(file)).version).toBe(2);
    await expect(readStrategyFile(path.join(dir, 'missing.yaml'))).rejects.toThrow(
      /cannot read strategy file/,
    );
  });
});
