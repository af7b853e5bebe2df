// Reads a text/event-stream response as it arrives: each `data:` message parsed as JSON.
export interface SseReader {
  messages: unknown[];
  close(): Promise<void>;
}

export function readSse(res: Response): SseReader {
  const messages: unknown[] = [];
  if (!res.body) throw new Error('the response has no body to stream');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const pump = async (): Promise<void> => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) messages.push(JSON.parse(data));
      }
    }
  };
  const pumping = pump().catch(() => undefined);
  return {
    messages,
    async close() {
      await reader.cancel().catch(() => undefined);
      await pumping;
    },
  };
}
