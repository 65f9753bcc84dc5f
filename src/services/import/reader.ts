import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse';

export type InputFormat = 'ndjson' | 'csv';

export interface RawRecord {
  line: number;
  /** The decoded record, or undefined when the line could not be decoded. */
  value?: unknown;
  /** Why the line could not be decoded. */
  error?: string;
}

export function detectFormat(file: string): InputFormat {
  return /\.csv$/i.test(file) ? 'csv' : 'ndjson';
}

/**
 * Streams records with their 1-based line numbers, in batches (one per chunk read: per-record async
 * iteration cost more than parsing); never holds the file in memory.
 */
export async function* readRecords(
  file: string,
  format: InputFormat,
  onBytes?: (bytesRead: number, totalBytes: number) => void,
): AsyncGenerator<RawRecord[]> {
  const total = (await stat(file)).size;
  // A UTF-8 decoder keeps multi-byte characters that straddle chunk boundaries intact.
  const stream = createReadStream(file, { highWaterMark: 1 << 20, encoding: 'utf8' });
  if (onBytes) stream.on('data', () => onBytes(stream.bytesRead, total));
  if (format === 'ndjson') yield* readNdjson(stream);
  else yield* readCsv(stream);
}

/** Splits a text stream into lines (\n or \r\n), one array per chunk; much faster than node:readline. */
export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const lines: string[] = [];
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (lines.length > 0) yield lines;
  }
  if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

async function* readNdjson(stream: AsyncIterable<Buffer | string>): AsyncGenerator<RawRecord[]> {
  let line = 0;
  for await (const lines of readLines(stream)) {
    const batch: RawRecord[] = [];
    for (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      try {
        batch.push({ line, value: JSON.parse(text) as unknown });
      } catch (e) {
        batch.push({ line, error: `invalid JSON: ${(e as Error).message}` });
      }
    }
    yield batch;
  }
}

/** CSV cells that hold structured values are written as JSON inside the cell. */
const JSON_COLUMNS = new Set(['installments', 'phones', 'emails', 'addresses', 'contacts', 'settings']);
const BOOLEAN_COLUMNS = new Set(['penaltyOnInterest']);

async function* readCsv(stream: NodeJS.ReadableStream): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  for await (const record of readCsvRecords(stream)) {
    batch.push(record);
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* readCsvRecords(stream: NodeJS.ReadableStream): AsyncGenerator<RawRecord> {
  const parser = stream.pipe(
    parseCsv({ columns: true, info: true, relax_column_count: false, bom: true, skip_empty_lines: true }),
  );
  try {
    for await (const item of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const line = item.info.lines;
      const value: Record<string, unknown> = {};
      let error: string | undefined;
      for (const [key, cell] of Object.entries(item.record)) {
        if (cell === '') continue;
        if (JSON_COLUMNS.has(key)) {
          if (key === 'emails' && !cell.trim().startsWith('[')) {
            value[key] = cell
              .split(';')
              .map((s) => s.trim())
              .filter(Boolean);
            continue;
          }
          try {
            value[key] = JSON.parse(cell) as unknown;
          } catch (e) {
            error = `column ${key}: invalid JSON: ${(e as Error).message}`;
          }
        } else if (BOOLEAN_COLUMNS.has(key)) {
          value[key] = cell === 'true' ? true : cell === 'false' ? false : cell;
        } else {
          value[key] = cell;
        }
      }
      yield error ? { line, error } : { line, value };
    }
  } catch (e) {
    // A structural CSV error (unbalanced quote, wrong column count) stops the parse: report where.
    const err = e as Error & { lines?: number };
    yield { line: err.lines ?? 0, error: `CSV: ${err.message}` };
  }
}
