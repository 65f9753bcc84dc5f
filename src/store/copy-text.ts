/**
 * COPY text-format encoding. Dependency-free so that worker threads preparing bulk loads can import it
 * without loading a database driver.
 */

/** Encodes one value for COPY's text format. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeCopy(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return escapeCopy(JSON.stringify(value));
}

const COPY_SPECIAL = /[\\\t\n\r]/;
function escapeCopy(text: string): string {
  if (!COPY_SPECIAL.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Encodes rows for `SqlClient.copyIn`. Objects are written as JSON (for jsonb columns). */
export function encodeCopyRows(rows: readonly (readonly unknown[])[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += '\t';
      out += copyValue(row[i]);
    }
    out += '\n';
  }
  return out;
}

/** A PostgreSQL text[] literal for a COPY cell (an array value would otherwise be written as JSON). */
export function textArray(items: readonly string[]): string {
  return `{${items.map((i) => `"${i.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
