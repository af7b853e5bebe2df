import { DEFAULT_ON, MAX_OUTPUTS } from '../config/hold-relay-option.ts';
import { readOptionValue } from '../config/option-value.ts';
import { HOLD_EVENT_TYPES, type HoldEventType } from '../hold/types.ts';
import { isRecord } from '../lib/is-record.ts';
import type { FieldKind } from '../outputs/types.ts';
import { fieldsOf, type OutputCatalog } from './catalog.ts';

/**
 * The holdRelay option as the settings form edits it, and back. Whatever the form has no control
 * for (an unknown key, or a value its control cannot hold) is kept aside and written back as it
 * was, so switching between the form and the JSON view loses nothing.
 */

export interface OutputDraft {
  type: string;
  enabled: boolean;
  /** null: the type's default event types. */
  on: HoldEventType[] | null;
  values: Record<string, string | boolean>;
  /** Keys the form has no control for, kept unchanged. */
  extra: Record<string, unknown>;
}

export interface OptionDraft {
  outputs: OutputDraft[];
  /** Top-level keys besides `outputs`. */
  extra: Record<string, unknown>;
}

export type DraftRead = { ok: true; draft: OptionDraft } | { ok: false; reason: string };

/** The event types an output of `type` acts on when its entry has no `on`, as the worker decides. */
export function defaultOn(type: string, catalog: OutputCatalog): readonly HoldEventType[] {
  return catalog.get(type)?.defaultOn ?? DEFAULT_ON;
}

/** Reads the option (a JSON string, an object, or nothing) into a draft, or says why the form cannot show it. */
export function readOption(raw: unknown, catalog: OutputCatalog): DraftRead {
  const value = readOptionValue(raw);
  if (value.kind === 'missing') return { ok: true, draft: { outputs: [], extra: {} } };
  if (value.kind === 'invalid') return { ok: false, reason: value.reason };
  const outputs = value.outputs ?? [];
  const bad = outputs.findIndex((entry) => !isRecord(entry) || typeof entry.type !== 'string');
  if (bad >= 0) return { ok: false, reason: `outputs[${bad}] is not an object with a "type" string` };
  return {
    ok: true,
    draft: {
      outputs: (outputs as Record<string, unknown>[]).map((entry) => entryToDraft(entry, catalog)),
      extra: value.extra,
    },
  };
}

export function entryToDraft(entry: Record<string, unknown>, catalog: OutputCatalog): OutputDraft {
  const { type, enabled, on, ...rest } = entry;
  const draft: OutputDraft = { type: String(type), enabled: enabled !== false, on: null, values: {}, extra: {} };
  if (enabled !== undefined && typeof enabled !== 'boolean') draft.extra.enabled = enabled;
  if (Array.isArray(on) && on.every((t) => HOLD_EVENT_TYPES.includes(t as HoldEventType)))
    draft.on = on as HoldEventType[];
  else if (on !== undefined) draft.extra.on = on;
  const specs = fieldsOf(catalog, draft.type);
  for (const [key, value] of Object.entries(rest)) {
    const spec = specs.find((s) => s.key === key);
    const shown = spec ? toControl(spec.kind, value) : undefined;
    if (shown === undefined) draft.extra[key] = value;
    else draft.values[key] = shown;
  }
  return draft;
}

function toControl(kind: FieldKind, value: unknown): string | boolean | undefined {
  if (kind === 'boolean') return typeof value === 'boolean' ? value : undefined;
  if (kind === 'number') return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
  if (kind === 'json') return isRecord(value) ? JSON.stringify(value, null, 2) : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function draftToEntry(draft: OutputDraft, catalog: OutputCatalog): Record<string, unknown> {
  const entry: Record<string, unknown> = { type: draft.type };
  if (!draft.enabled) entry.enabled = false;
  if (draft.on !== null && !sameSet(draft.on, defaultOn(draft.type, catalog)))
    entry.on = HOLD_EVENT_TYPES.filter((t) => draft.on?.includes(t));
  for (const spec of fieldsOf(catalog, draft.type)) {
    const value = draft.values[spec.key] ?? (spec.required ? '' : undefined);
    if (value === undefined || value === false || (value === '' && !spec.required)) continue;
    entry[spec.key] = fromControl(spec.kind, value);
  }
  return { ...entry, ...draft.extra };
}

function fromControl(kind: FieldKind, value: string | boolean): unknown {
  if (typeof value === 'boolean') return value;
  const text = kind === 'secret' || kind === 'url' || kind === 'text' ? value.trim() : value;
  if (kind === 'number') return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
  if (kind === 'json') {
    try {
      return JSON.parse(text);
    } catch {
      return text; // jsonProblems() names it; the output's validator would only say "must be an object"
    }
  }
  return text;
}

export function writeOption(draft: OptionDraft, catalog: OutputCatalog): Record<string, unknown> {
  return { ...draft.extra, outputs: draft.outputs.map((output) => draftToEntry(output, catalog)) };
}

/** Form fields holding JSON that does not parse: [output index, field key, parser message]. */
export function jsonProblems(draft: OptionDraft, catalog: OutputCatalog): [number, string, string][] {
  const problems: [number, string, string][] = [];
  draft.outputs.forEach((output, index) => {
    for (const spec of fieldsOf(catalog, output.type)) {
      const value = output.values[spec.key];
      if (spec.kind !== 'json' || typeof value !== 'string' || value.trim() === '') continue;
      try {
        JSON.parse(value);
      } catch (error) {
        problems.push([index, spec.key, (error as Error).message]);
      }
    }
  });
  return problems;
}

export function newOutput(type: string): OutputDraft {
  return { type, enabled: true, on: null, values: {}, extra: {} };
}

/** Sets a control's value; a value kept aside for that key is dropped, the control now holds it. */
export function setValue(output: OutputDraft, key: string, value: string | boolean): void {
  output.values[key] = value;
  output.extra = withoutKey(output.extra, key);
}

export function setOn(output: OutputDraft, on: HoldEventType[]): void {
  output.on = on;
  delete output.extra.on;
}

export function setEnabled(output: OutputDraft, enabled: boolean): void {
  output.enabled = enabled;
  delete output.extra.enabled;
}

export function withoutKey(record: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

export const canAddOutput = (draft: OptionDraft): boolean => draft.outputs.length < MAX_OUTPUTS;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
