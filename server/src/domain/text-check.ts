import { isUtf8 } from 'node:buffer';

/** Streams through content and tells whether it is UTF-8 text without NUL bytes (what TXT/CSV must be). */
export class TextCheck {
  private text = true;
  private carry: Buffer = Buffer.alloc(0);

  update(chunk: Uint8Array): void {
    if (!this.text) return;
    if (chunk.includes(0)) {
      this.text = false;
      return;
    }
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const cut = data.length - incompleteTail(data);
    if (!isUtf8(data.subarray(0, cut))) this.text = false;
    // A multi-byte character may be split across chunks: keep its start for the next one.
    this.carry = Buffer.from(data.subarray(cut));
  }

  get isText(): boolean {
    return this.text && this.carry.length === 0;
  }
}

/** How many bytes at the end start a UTF-8 sequence that is not complete yet (0–3). */
function incompleteTail(data: Uint8Array): number {
  for (let i = 1; i <= Math.min(3, data.length); i++) {
    const b = data[data.length - i]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b < 0xc0) return 0;
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return needed > i ? i : 0;
  }
  return 0;
}
