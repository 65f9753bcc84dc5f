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

/**
 * A slice of the input to decode and validate: whole NDJSON lines still as UTF-8 bytes (decoded where
 * the work is done, possibly a worker thread, which receives them without a copy), or CSV records
 * already decoded by the CSV parser.
 */
export type InputBatch = { firstLine: number; bytes: Uint8Array<ArrayBuffer> } | { records: RawRecord[] };

export function detectFormat(file: string): InputFormat {
  return /\.csv$/i.test(file) ? 'csv' : 'ndjson';
}

/**
 * Streams the file as batches (one per chunk read, never the whole file in memory), each with the
 * 1-based line numbers of its records.
 */
export async function* readBatches(
  file: string,
  format: InputFormat,
  onBytes?: (bytesRead: number, totalBytes: number) => void,
): AsyncGenerator<InputBatch> {
  const total = (await stat(file)).size;
  if (format === 'ndjson') {
    const stream = createReadStream(file, { highWaterMark: 1 << 20 });
    if (onBytes) stream.on('data', () => onBytes(stream.bytesRead, total));
    yield* splitNdjson(stream);
  } else {
    // A UTF-8 decoder keeps multi-byte characters that straddle chunk boundaries intact.
    const stream = createReadStream(file, { highWaterMark: 1 << 20, encoding: 'utf8' });
    if (onBytes) stream.on('data', () => onBytes(stream.bytesRead, total));
    yield* readCsv(stream);
  }
}

const NEWLINE = 0x0a;

/**
 * Cuts a byte stream at line ends (never inside a line, so never inside a UTF-8 character) and counts
 * lines, without decoding: decoding happens where the batch is processed.
 */
async function* splitNdjson(stream: AsyncIterable<Buffer>): AsyncGenerator<InputBatch> {
  let line = 1;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const end = data.lastIndexOf(NEWLINE) + 1;
    if (end === 0) {
      rest = data;
      continue;
    }
    yield { firstLine: line, bytes: new Uint8Array(data.subarray(0, end)) };
    for (let i = data.indexOf(NEWLINE); i !== -1 && i < end; i = data.indexOf(NEWLINE, i + 1)) line++;
    rest = data.subarray(end);
  }
  if (rest.length > 0) yield { firstLine: line, bytes: new Uint8Array(rest) };
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: false, fatal: true });

/** Bytes that are not UTF-8 are never imported as replacement characters: the lines that hold them are reported. */
const NOT_UTF8 = '\u0000not utf-8';

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    // Find the bad lines one by one; mark them so decodeLines reports them by number.
    const lines: string[] = [];
    let start = 0;
    while (start < bytes.length) {
      let nl = bytes.indexOf(NEWLINE, start);
      if (nl === -1) nl = bytes.length;
      try {
        lines.push(utf8.decode(bytes.subarray(start, nl)));
      } catch {
        lines.push(NOT_UTF8);
      }
      start = nl + 1;
    }
    return lines.join('\n');
  }
}

/** Decodes a batch of NDJSON lines (\n or \r\n); blank lines are skipped but still counted. */
export function decodeLines(batch: { firstLine: number; bytes: Uint8Array<ArrayBuffer> }): RawRecord[] {
  const text = decodeUtf8(batch.bytes);
  const out: RawRecord[] = [];
  let line = batch.firstLine;
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const n = line++;
    const body = text.slice(start, end);
    start = nl + 1;
    if (body.trim() === '') continue;
    if (body === NOT_UTF8) {
      out.push({ line: n, error: 'the line is not valid UTF-8 text' });
      continue;
    }
    try {
      out.push({ line: n, value: JSON.parse(body) as unknown });
    } catch (e) {
      out.push({ line: n, error: `invalid JSON: ${(e as Error).message}` });
    }
  }
  return out;
}

/** CSV cells that hold structured values are written as JSON inside the cell. */
const JSON_COLUMNS = new Set(['installments', 'phones', 'emails', 'addresses', 'contacts', 'settings']);
const BOOLEAN_COLUMNS = new Set(['penaltyOnInterest']);

async function* readCsv(stream: NodeJS.ReadableStream): AsyncGenerator<InputBatch> {
  let records: RawRecord[] = [];
  for await (const record of readCsvRecords(stream)) {
    records.push(record);
    if (records.length >= 1000) {
      yield { records };
      records = [];
    }
  }
  if (records.length > 0) yield { records };
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
        // The stream decoder turns bytes that are not UTF-8 into U+FFFD; such a cell is refused, not imported.
        if (cell.includes('\uFFFD')) {
          error = `column ${key}: not valid UTF-8 text`;
          continue;
        }
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
