import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A file name from an idempotency key: readable prefix + hash, so any key maps to one safe name. */
export function fileNameFor(key: string, ext: string): string {
  const safe = key.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return `${safe}-${hash}.${ext}`;
}

/**
 * Writes a file once: `wx` fails when it exists, which means this key was already delivered — not an
 * error, the earlier delivery stands. Returns the path and whether this call wrote it.
 */
export function writeOnce(
  dir: string,
  name: string,
  data: string | Buffer,
): { file: string; written: boolean } {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  try {
    writeFileSync(file, data, { flag: 'wx' });
    return { file, written: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { file, written: false };
    throw e;
  }
}
