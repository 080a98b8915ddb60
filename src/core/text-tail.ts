/** Keeps the last `limit` characters of a stream of text, cut at a line boundary (sam's and host runs' log tails). */
export class TextTail {
  private buffer = '';
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length > this.limit * 2) this.buffer = this.buffer.slice(-this.limit);
  }
  text(): string {
    if (this.buffer.length <= this.limit) return this.buffer;
    const cut = this.buffer.slice(-this.limit);
    return cut.slice(cut.indexOf('\n') + 1);
  }
}
