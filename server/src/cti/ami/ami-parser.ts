// Incremental parser of the Asterisk Manager Interface byte stream: a banner line, then messages of
// CRLF-terminated `Key: Value` lines, each message ended by a blank line. Chunk boundaries may fall
// anywhere (inside a line, a CRLF or a multi-byte character); the output does not depend on them.
import { StringDecoder } from 'node:string_decoder';

export interface AmiMessage {
  /** Lines in arrival order with the key as sent: the wire truth, including repeated keys. */
  pairs: Array<[key: string, value: string]>;
  /** Keys lower-cased (AMI keys are case-insensitive in practice); the first occurrence of a key wins. */
  fields: Record<string, string>;
}

export type AmiFrame = { kind: 'banner'; version: string } | { kind: 'message'; message: AmiMessage };

export interface AmiParserStats {
  /** Lines that were neither `Key: Value`, blank nor a banner; skipped, the message around them kept. */
  garbageLines: number;
  /** Messages (or runaway lines) larger than the limit; dropped whole. */
  oversizedMessages: number;
}

const BANNER = /^Asterisk Call Manager\/(\S+)\s*$/;
const KEY_VALUE = /^([A-Za-z][A-Za-z0-9_\-()./]{0,99}): ?(.*)$/;
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

/** Reads a field case-insensitively; '' and absent both come back as undefined. */
export function amiField(message: AmiMessage, key: string): string | undefined {
  const value = message.fields[key.toLowerCase()];
  return value === undefined || value === '' ? undefined : value;
}

export class AmiParser {
  readonly stats: AmiParserStats = { garbageLines: 0, oversizedMessages: 0 };
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxBytes: number;
  private partialLine = '';
  /** True while skipping the rest of a line that grew past the limit without a newline. */
  private skippingLine = false;
  private pairs: Array<[string, string]> = [];
  private messageBytes = 0;
  /** True while skipping the rest of a message that grew past the limit. */
  private droppingMessage = false;

  constructor(opts: { maxMessageBytes?: number } = {}) {
    this.maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Feeds bytes as they arrive; returns the frames completed by them, in order. */
  push(chunk: Buffer | string): AmiFrame[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const frames: AmiFrame[] = [];
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      const piece = text.slice(start, newline);
      start = newline + 1;
      if (this.skippingLine) {
        this.skippingLine = false;
        this.partialLine = '';
        continue;
      }
      const line = this.partialLine + piece;
      this.partialLine = '';
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, frames);
    }
    const rest = text.slice(start);
    if (!this.skippingLine) {
      this.partialLine += rest;
      if (this.partialLine.length > this.maxBytes) {
        // A line with no end in sight: drop it and the message it belongs to, keep memory bounded.
        this.partialLine = '';
        this.skippingLine = true;
        this.startDropping();
      }
    }
    return frames;
  }

  /** The connection closed: a message without its blank line is incomplete and is discarded. */
  reset(): void {
    this.decoder.end();
    this.partialLine = '';
    this.skippingLine = false;
    this.pairs = [];
    this.messageBytes = 0;
    this.droppingMessage = false;
  }

  private onLine(line: string, frames: AmiFrame[]): void {
    if (line === '') {
      if (!this.droppingMessage && this.pairs.length > 0) frames.push({ kind: 'message', message: toMessage(this.pairs) });
      this.pairs = [];
      this.messageBytes = 0;
      this.droppingMessage = false;
      return;
    }
    if (this.droppingMessage) return;
    const banner = this.pairs.length === 0 ? BANNER.exec(line) : null;
    if (banner?.[1]) {
      frames.push({ kind: 'banner', version: banner[1] });
      return;
    }
    const kv = KEY_VALUE.exec(line);
    if (!kv?.[1]) {
      this.stats.garbageLines += 1;
      return;
    }
    this.messageBytes += line.length + 2;
    if (this.messageBytes > this.maxBytes) {
      this.startDropping();
      return;
    }
    this.pairs.push([kv[1], kv[2] ?? '']);
  }

  private startDropping(): void {
    if (!this.droppingMessage) this.stats.oversizedMessages += 1;
    this.droppingMessage = true;
    this.pairs = [];
    this.messageBytes = 0;
  }
}

function toMessage(pairs: Array<[string, string]>): AmiMessage {
  const fields: Record<string, string> = {};
  for (const [key, value] of pairs) {
    const k = key.toLowerCase();
    if (!Object.prototype.hasOwnProperty.call(fields, k)) Object.defineProperty(fields, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return { pairs, fields };
}
