import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { toDay } from '../../domain/calendar/index.js';
import { ArrearsError, type FieldIssue } from '../../domain/errors.js';
import type { StatementLine } from './parse.js';

/**
 * ISO 20022 camt.053 (bank-to-customer statement), versions .001.02 to .001.08, read without regard to
 * namespace or prefix. Each entry (`Ntry`) is one statement line, or — a batch — each of its
 * `NtryDtls/TxDtls` is one. The lines are the same records the CSV parser produces, so matching and
 * posting are the same path; `line` is the transaction's place in the file (1, 2, …) and `position` its
 * place in the document (`Stmt[1]/Ntry[3]/TxDtls[2]`).
 */

/** Elements that may repeat: always read as arrays, so one and many look the same. */
const REPEATED = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd', 'Bal']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;

const AMOUNT = /^\d{1,15}(\.\d{1,5})?$/;
/** The EndToEndId value ISO 20022 prescribes when the payer gave none (it identifies nothing). */
const NOT_PROVIDED = 'NOTPROVIDED';

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** An element's text, whether it has attributes (`{'#text': …}`) or not; '' when absent. */
function text(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (isNode(v) && '#text' in v) return text(v['#text']);
  return '';
}

function at(node: unknown, ...path: string[]): unknown {
  let v = node;
  for (const key of path) {
    if (Array.isArray(v)) v = v[0];
    if (!isNode(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** A date from `<X><Dt>` or `<X><DtTm>` (the bank's local date of a date-time), else ''. */
function dateOf(node: unknown): string {
  const dt = text(at(node, 'Dt'));
  if (dt) return dt;
  return text(at(node, 'DtTm')).slice(0, 10);
}

/** `<Sts>BOOK</Sts>` (up to .001.05) or `<Sts><Cd>BOOK</Cd></Sts>` (.001.06 and later). */
function statusOf(entry: Node): string {
  const sts = entry.Sts;
  return (text(sts) || text(at(sts, 'Cd')) || text(at(sts, 'Prtry'))).toUpperCase();
}

/** An amount element's decimal text and its `Ccy` attribute. */
function amountOf(v: unknown): { amount: string; currency: string } | null {
  if (v === undefined) return null;
  return { amount: text(v), currency: isNode(v) ? text(v['@Ccy']).toUpperCase() : '' };
}

/**
 * The remittance information: the structured creditor references (`Strd/CdtrRefInf/Ref`) first, then the
 * unstructured lines (`Ustrd`) joined with spaces; an entry without transaction details may carry only
 * `AddtlNtryInf`.
 */
function referenceOf(tx: unknown, entry: Node): string {
  const rmt = at(tx, 'RmtInf');
  const structured = list(at(rmt, 'Strd'))
    .map((s) => text(at(s, 'CdtrRefInf', 'Ref')))
    .filter(Boolean);
  const unstructured = list(at(rmt, 'Ustrd')).map(text).filter(Boolean);
  const parts = [...structured, ...unstructured];
  if (parts.length === 0) {
    const extra = text(at(tx, 'AddtlTxInf')) || text(entry.AddtlNtryInf);
    if (extra) parts.push(extra);
  }
  return parts.join(' ');
}

/**
 * Parses a camt.053 statement. Any defect — not well-formed XML, no `BkToCstmrStmt/Stmt`, an entry without
 * a date, amount, currency or credit/debit mark, a transaction id missing or used twice — fails the whole
 * file with every issue listed by position and field (`Stmt[1]/Ntry[3]/Amt`), so nothing is posted from a
 * file that is not entirely readable. Debit entries become lines with a negative amount (reported
 * `invalid`, like CSV debits); entries not booked (`PDNG`, `INFO`) are lines the matcher refuses.
 */
export function parseCamt053(xml: string, file: string): StatementLine[] {
  const refuse = (issues: FieldIssue[], what: string): never => {
    throw new ArrearsError('invalid', `${file} is not a readable camt.053 statement: ${what}`, { issues });
  };
  if (/<!DOCTYPE/i.test(xml))
    refuse(
      [{ field: 'file', message: 'a document type declaration is not allowed' }],
      'it declares a DOCTYPE',
    );
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    refuse(
      [{ line: valid.err.line, field: 'file', message: `${valid.err.msg} (column ${valid.err.col})` }],
      `line ${valid.err.line}: ${valid.err.msg}`,
    );
  const doc = parser.parse(xml) as Node;
  const statements = list(at(doc, 'Document', 'BkToCstmrStmt', 'Stmt'));
  if (statements.length === 0)
    refuse(
      [{ field: 'Document/BkToCstmrStmt/Stmt', message: 'no statement: is this a camt.053 file?' }],
      'no Document/BkToCstmrStmt/Stmt element',
    );

  const issues: FieldIssue[] = [];
  const lines: StatementLine[] = [];
  const seen = new Map<string, string>();
  statements.forEach((stmt, s) => {
    list(at(stmt, 'Ntry')).forEach((e, n) => {
      const entryPos = `Stmt[${s + 1}]/Ntry[${n + 1}]`;
      if (!isNode(e)) {
        issues.push({ field: entryPos, message: 'is empty' });
        return;
      }
      const entry = e;
      const issue = (pos: string, field: string, message: string) =>
        issues.push({ line: lines.length + 1, field: `${pos}/${field}`, message });
      const mark = text(entry.CdtDbtInd).toUpperCase();
      if (mark !== 'CRDT' && mark !== 'DBIT')
        issue(entryPos, 'CdtDbtInd', `"${text(entry.CdtDbtInd)}" is not CRDT or DBIT`);
      const status = statusOf(entry);
      const bookedOn = dateOf(entry.BookgDt) || dateOf(entry.ValDt);
      const entryAmount = amountOf(entry.Amt);
      const entryId = text(entry.AcctSvcrRef) || text(entry.NtryRef);
      const txs = list(at(entry, 'NtryDtls')).flatMap((d) => list(at(d, 'TxDtls')));
      const batch = txs.length > 1;
      const parts = batch ? txs : [txs[0]];
      parts.forEach((tx, k) => {
        const pos = batch ? `${entryPos}/TxDtls[${k + 1}]` : entryPos;
        const txMark = text(at(tx, 'CdtDbtInd')).toUpperCase() || mark;
        const txAmount = batch
          ? (amountOf(at(tx, 'Amt')) ??
            amountOf(at(tx, 'AmtDtls', 'TxAmt', 'Amt')) ??
            amountOf(at(tx, 'AmtDtls', 'InstdAmt', 'Amt')))
          : entryAmount;
        const endToEnd = text(at(tx, 'Refs', 'EndToEndId'));
        const transactionId = batch
          ? text(at(tx, 'Refs', 'AcctSvcrRef')) ||
            (endToEnd && endToEnd !== NOT_PROVIDED ? endToEnd : '') ||
            (entryId ? `${entryId}/${k + 1}` : '')
          : text(entry.AcctSvcrRef) ||
            text(at(tx, 'Refs', 'AcctSvcrRef')) ||
            (endToEnd && endToEnd !== NOT_PROVIDED ? endToEnd : '') ||
            text(entry.NtryRef);

        if (!bookedOn)
          issue(entryPos, 'BookgDt', 'no booking date (BookgDt/Dt or DtTm) nor value date (ValDt)');
        else
          try {
            toDay(bookedOn);
          } catch {
            issue(entryPos, 'BookgDt', `"${bookedOn}" is not a date written YYYY-MM-DD`);
          }
        if (!txAmount)
          issue(
            pos,
            'Amt',
            batch ? 'a transaction of a batch needs its own amount (Amt or AmtDtls/TxAmt/Amt)' : 'no amount',
          );
        else {
          if (!AMOUNT.test(txAmount.amount))
            issue(pos, 'Amt', `"${txAmount.amount}" is not a decimal amount like 120.50`);
          if (!/^[A-Z]{3}$/.test(txAmount.currency))
            issue(pos, 'Amt/@Ccy', `"${txAmount.currency}" is not a three-letter currency code`);
        }
        if (!transactionId)
          issue(pos, 'AcctSvcrRef', 'no transaction id (AcctSvcrRef, Refs/EndToEndId or NtryRef)');
        else if (transactionId.length > 100)
          issue(pos, 'AcctSvcrRef', 'the transaction id is over 100 characters');
        else if (seen.has(transactionId))
          issue(
            pos,
            'AcctSvcrRef',
            `transaction id "${transactionId}" is also that of ${seen.get(transactionId)}`,
          );
        else seen.set(transactionId, pos);

        const reference = referenceOf(tx, entry);
        const line: StatementLine = {
          line: lines.length + 1,
          position: pos,
          bookedOn,
          amount: `${txMark === 'DBIT' ? '-' : ''}${txAmount?.amount ?? ''}`,
          currency: txAmount?.currency ?? '',
          reference,
          transactionId,
        };
        if (status !== 'BOOK') line.notBooked = status || 'no status';
        lines.push(line);
      });
    });
  });
  if (issues.length > 0)
    throw new ArrearsError(
      'invalid',
      `${file} has ${issues.length} invalid field${issues.length === 1 ? '' : 's'}; nothing was posted (first: ${issues[0]!.field}: ${issues[0]!.message})`,
      { issues },
    );
  return lines;
}
