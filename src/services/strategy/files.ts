import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { ArrearsError } from '../../domain/errors.js';
import { parseStrategy, type Strategy, type StrategyIssue } from '../../domain/strategy/index.js';

/**
 * Reads a strategy document (YAML, or JSON — which is YAML too) and validates it. Every problem is
 * reported at once with its field path and the line it is on.
 */
export async function readStrategyFile(file: string): Promise<Strategy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ArrearsError('invalid', `cannot read strategy file ${file}: ${(e as Error).message}`);
  }
  return parseStrategyText(text, file);
}

export function parseStrategyText(text: string, source = 'strategy'): Strategy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: StrategyIssue[] = doc.errors.map((e) => ({
      line: lines.linePos(e.pos[0]).line,
      field: '(document)',
      code: 'syntax',
      message: e.message.split('\n')[0]!,
    }));
    throw new ArrearsError('invalid', `${source}: not valid YAML or JSON`, { issues });
  }
  const result = parseStrategy(doc.toJS());
  if (result.ok) return result.strategy;
  const issues = result.issues.map((issue) => {
    const line = lineOf(doc, lines, issue.field);
    return line === undefined ? issue : { ...issue, line };
  });
  throw new ArrearsError('invalid', `${source}: ${issues.length} problem(s) in the strategy`, { issues });
}

/** The line of the deepest node that exists on the issue's path (the field itself, or where it is missing). */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  field: string,
): number | undefined {
  const path = field === '(document)' ? [] : field.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
