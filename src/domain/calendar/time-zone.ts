const validZones = new Map<string, boolean>();

/** True when the runtime knows this IANA zone name ("Asia/Seoul"); offsets and abbreviations are refused. */
export function isTimeZone(name: string): boolean {
  let valid = validZones.get(name);
  if (valid === undefined) {
    valid = /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$|^UTC$/.test(name);
    if (valid) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: name });
      } catch {
        valid = false;
      }
    }
    validZones.set(name, valid);
  }
  return valid;
}
