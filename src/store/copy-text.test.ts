import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyJson, CopyBuffer, copyValue, encodeCopyRows, escapeCopy } from './copy-text.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** COPY text format read back: fields split on tabs, escapes undone (what PostgreSQL does with a line). */
function unescape(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

describe('COPY text encoding', () => {
  it('writes rows as UTF-8 lines, growing the buffer as needed', () => {
    const out = new CopyBuffer(8);
    out.row([1, '王芳', null, true, { a: 'b\\c' }]);
    out.row(['김민준', 'tab\there', 'line\nbreak']);
    expect(out.rows).toBe(2);
    expect(text(out.bytes())).toBe('1\t王芳\t\\N\tt\t{"a":"b\\\\\\\\c"}\n김민준\ttab\\there\tline\\nbreak\n');
  });

  it('reads back every text and JSON value as written (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 5 })),
        (rows) => {
          const lines = text(encodeCopyRows(rows)).split('\n');
          expect(lines.pop()).toBe('');
          expect(lines.map((l) => l.split('\t').map(unescape))).toEqual(rows);
        },
      ),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(unescape(copyJson(value))!)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(copyValue(value === null ? {} : value)).not.toMatch(/[\t\n\r]/);
      }),
    );
  });

  it('escapes only what COPY reads specially', () => {
    expect(escapeCopy('plain ascii, "quotes" {braces}')).toBe('plain ascii, "quotes" {braces}');
    expect(escapeCopy('a\\b\tc\rd')).toBe('a\\\\b\\tc\\rd');
  });

  it('owns its memory, so its bytes can move to another thread', () => {
    const bytes = encodeCopyRows([['x']]);
    expect(bytes.buffer.byteLength).toBeGreaterThanOrEqual(bytes.length);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    port1.close();
    port2.close();
    expect(bytes.length).toBe(0); // detached: moved, not copied
  });
});
