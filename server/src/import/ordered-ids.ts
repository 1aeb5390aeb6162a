// Customer ids for a bulk import: UUIDs of version 7 (RFC 9562), whose first 48 bits are the Unix time
// in milliseconds, so ids made one after another sort one after another. A batch of new customers
// then goes into the primary key and into customer_identities' index by customer at the right-hand
// edge (PostgreSQL's B-tree takes its fast path for a key above every other one), not at a random
// leaf of an index of millions each. They are as unique as random ids of one millisecond can be: the
// 74 bits after the time and version are drawn at random each millisecond; the last 32 of them are a
// counter from there (starting in its lower half, so it cannot wrap), ordering the ids of one millisecond.
import { randomBytes } from 'node:crypto';

export interface OrderedIds {
  /** A fresh id, above every id this generator made before. */
  next(): string;
}

export function orderedIds(now: () => number = Date.now): OrderedIds {
  let ms = -1;
  /** The id's first 24 hex digits (with its dashes) for the current millisecond. */
  let prefix = '';
  let counter = 0;
  return {
    next() {
      const t = now();
      if (t > ms) {
        ms = t;
        const r = randomBytes(10);
        const time = t.toString(16).padStart(12, '0');
        const randA = (0x7000 | (r.readUInt16BE(0) & 0x0fff)).toString(16);
        // Variant 10, then the 30 random bits of rand_b above the counter.
        const variant = (0x8000 | (r.readUInt16BE(2) & 0x3fff)).toString(16);
        const high = r.readUInt16BE(4).toString(16).padStart(4, '0');
        prefix = `${time.slice(0, 8)}-${time.slice(8)}-${randA}-${variant}-${high}`;
        counter = r.readUInt32BE(6) >>> 1;
      } else {
        counter += 1;
      }
      return `${prefix}${counter.toString(16).padStart(8, '0')}`;
    },
  };
}
