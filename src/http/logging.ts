import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream, LoggerOptions } from 'pino';

// Query parameters whose values may be logged as they are; every other value is masked, since a
// search by name, phone or e-mail would otherwise put personal data in the logs.
const PLAIN_QUERY = new Set([
  'asOf',
  'limit',
  'cursor',
  'status',
  'creditor',
  'jurisdiction',
  'agency',
  'after',
]);

/** The request URL with every query value outside PLAIN_QUERY replaced by `***`. */
export function maskedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const out = [...params].map(([k, v]) => `${k}=${PLAIN_QUERY.has(k) ? v : '***'}`);
  return `${url.slice(0, q)}?${out.join('&')}`;
}

/** Personal data and secrets, wherever they appear in a logged object. */
const REDACT = [
  'password',
  'token',
  'sessionToken',
  'csrfToken',
  'name',
  'phones',
  'emails',
  'addresses',
  'contacts',
  // case notes: free text that may hold personal data
  'text',
  '*.text',
  'debtor.name',
  '*.password',
  '*.token',
  '*.phones',
  '*.emails',
  '*.addresses',
  '*.contacts',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export function loggerOptions(
  level: string,
  stream?: DestinationStream,
): FastifyServerOptions['loggerInstance'] | LoggerOptions | boolean {
  const options: LoggerOptions & { stream?: DestinationStream } = {
    level,
    redact: { paths: REDACT, censor: '***' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
        method: req.method,
        url: maskedUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  if (stream) options.stream = stream;
  return options;
}
