import type { CardAnswer } from './types.ts';
import { isRecord } from '../lib/is-record.ts';
import { isSafelyMarker } from './payloads.ts';

/**
 * Card commands answer `[]` (or data) on success and `[{"result":"error","errorCode":"..."}]` on
 * failure; the SDK turns silence into `{isSafely: true}` after 900 ms.
 */
export function decodeCardAnswer(answer: unknown): CardAnswer {
  if (isSafelyMarker(answer)) return { ok: false, error: 'no answer from the portal within 900 ms' };
  if (Array.isArray(answer)) {
    const failure = answer.find((item) => isRecord(item) && item.result === 'error');
    if (isRecord(failure)) {
      const code = typeof failure.errorCode === 'string' ? failure.errorCode : 'unknown error';
      return { ok: false, error: code };
    }
  }
  return { ok: true, value: answer };
}
