/** A local SMTP sink for the dispatch benchmark: accepts and counts messages. Prints its port; on SIGTERM prints the count. */
import { SMTPServer } from 'smtp-server';

let count = 0;
let bytes = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  maxClients: 256,
  onData(stream, _session, callback) {
    stream.on('data', (c: Buffer) => (bytes += c.length));
    stream.on('end', () => {
      count++;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(JSON.stringify({ count, bytes }) + '\n');
  server.close(() => process.exit(0));
});
