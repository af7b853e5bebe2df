// The webhook sink panel: what reached the simulator's receiver, and buttons to make it fail or hang.

interface Attempt {
  seq: number;
  at: number;
  id: string | null;
  type: string | null;
  status: number;
  verified: boolean | null;
  problem: string | null;
}

interface SinkView {
  mode: string;
  summary: { attempts: number; delivered: number; uniqueDelivered: number; duplicates: number; badSignatures: number };
  attempts: Attempt[];
}

const POLL_MS = 1000;
const SHOWN = 40;

export function startSinkPanel(root: ParentNode): void {
  const body = root.querySelector<HTMLTableSectionElement>('[data-testid="sink-attempts"]');
  const summary = root.querySelector<HTMLElement>('[data-testid="sink-summary"]');
  const modes = ['ok', 'fail', 'hang'].map(
    (mode) => [mode, root.querySelector<HTMLButtonElement>(`[data-testid="sink-${mode}"]`)] as const,
  );
  let lastSeq = -1;

  const render = (view: SinkView) => {
    for (const [mode, button] of modes) button?.setAttribute('aria-pressed', String(view.mode === mode));
    if (summary) {
      const s = view.summary;
      summary.textContent = `Answering: ${describeMode(view.mode)}. ${s.attempts} attempt(s), ${s.uniqueDelivered} event(s) delivered, ${s.duplicates} duplicate(s), ${s.badSignatures} bad signature(s).`;
    }
    const newest = view.attempts.at(-1)?.seq ?? 0;
    if (!body || newest === lastSeq) return;
    lastSeq = newest;
    body.replaceChildren(...view.attempts.slice(-SHOWN).reverse().map(row));
  };

  const refresh = async () => {
    try {
      const response = await fetch('/sim/sink', { cache: 'no-store' });
      render((await response.json()) as SinkView);
    } catch {
      if (summary) summary.textContent = 'The simulator server does not answer.';
    }
  };

  for (const [mode, button] of modes) {
    button?.addEventListener('click', () => {
      void fetch('/sim/sink/mode', { method: 'POST', body: JSON.stringify({ mode }) }).then(refresh);
    });
  }
  root.querySelector('[data-testid="sink-clear"]')?.addEventListener('click', () => {
    void fetch('/sim/sink/clear', { method: 'POST' }).then(() => {
      lastSeq = -1;
      return refresh();
    });
  });
  void refresh();
  setInterval(() => void refresh(), POLL_MS);
}

function describeMode(mode: string): string {
  return mode === 'fail' ? '503 Service Unavailable' : mode === 'hang' ? 'never (requests hang)' : '200 OK';
}

function row(attempt: Attempt): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const cell = (text: string, className = '') => {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    tr.append(td);
  };
  cell(String(attempt.seq));
  cell(new Date(attempt.at).toLocaleTimeString());
  cell(attempt.type ?? '?');
  cell(attempt.id ?? '(none)');
  cell(
    attempt.verified === null ? 'no secret' : attempt.verified ? 'valid' : `invalid: ${attempt.problem ?? ''}`,
    attempt.verified === false ? 'bad' : attempt.verified ? 'good' : '',
  );
  cell(
    attempt.status === 0 ? 'hung' : String(attempt.status),
    attempt.status >= 200 && attempt.status < 300 ? 'good' : 'bad',
  );
  return tr;
}
