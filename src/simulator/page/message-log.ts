// The live log of every message between the portal and its app frames.

export interface LoggedMessage {
  at: number;
  direction: 'in' | 'out' | 'dropped' | 'note';
  frame: string;
  text: string;
}

const MAX_SHOWN = 300;
const MAX_KEPT = 5000;
const MAX_TEXT = 400;

export class MessageLog {
  readonly messages: LoggedMessage[] = [];
  private readonly list: HTMLOListElement;
  private readonly started = performance.now();

  constructor(list: HTMLOListElement) {
    this.list = list;
  }

  add(direction: LoggedMessage['direction'], frame: string, text: string): void {
    const entry = { at: Date.now(), direction, frame, text };
    this.messages.push(entry);
    if (this.messages.length > MAX_KEPT) this.messages.splice(0, this.messages.length - MAX_KEPT);
    const item = document.createElement('li');
    item.className = `message message-${direction}`;
    const arrow = { in: 'frame → portal', out: 'portal → frame', dropped: 'dropped', note: 'note' }[direction];
    const time = ((performance.now() - this.started) / 1000).toFixed(3).padStart(8, ' ');
    item.textContent = `${time}s  ${arrow}  [${frame}]  ${text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text}`;
    this.list.prepend(item);
    while (this.list.childElementCount > MAX_SHOWN) this.list.lastElementChild?.remove();
  }

  clear(): void {
    this.list.replaceChildren();
  }
}
