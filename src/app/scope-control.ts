import { h, uid } from './dom.ts';
import { parseUserIds } from './registration.ts';
import type { Texts } from './i18n/index.ts';

/** "Load the worker for: every user / only these operators", shared by the installer and the settings. */
export interface ScopeControl {
  element: HTMLFieldSetElement;
  /** The chosen user ids ([] = every user), or null after showing why the input is not usable. */
  read(): number[] | null;
}

export function scopeControl(t: Texts, initial: number[], pickUsers: (() => Promise<number[]>) | null): ScopeControl {
  const name = uid('scope');
  const idsId = uid('user-ids');
  const hintId = `${idsId}-hint`;
  const errorId = `${idsId}-error`;
  const everyone = h('input', {
    type: 'radio',
    name,
    value: 'all',
    checked: initial.length === 0,
    'data-testid': 'scope-everyone',
  });
  const chosen = h('input', {
    type: 'radio',
    name,
    value: 'users',
    checked: initial.length > 0,
    'data-testid': 'scope-users',
  });
  const ids = h('input', {
    id: idsId,
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    value: initial.join(', '),
    'aria-describedby': `${hintId} ${errorId}`,
    'data-testid': 'scope-user-ids',
  });
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const pick = pickUsers
    ? h(
        'button',
        {
          type: 'button',
          class: 'btn btn-light',
          'data-testid': 'scope-pick',
          onclick: () => {
            void pickUsers().then((picked) => {
              if (picked.length === 0) return;
              const merged = [...new Set([...(parseUserIds(ids.value) ?? []), ...picked])];
              ids.value = merged.join(', ');
              chosen.checked = true;
              sync();
            });
          },
        },
        t.scopePick,
      )
    : null;
  const usersBox = h(
    'div',
    { class: 'scope-users' },
    h('label', { for: idsId }, t.scopeUserIds),
    h('div', { class: 'inline' }, ids, pick),
    h('p', { id: hintId, class: 'hint' }, t.scopeUserIdsHint),
    error,
  );
  const sync = () => {
    ids.disabled = !chosen.checked;
    if (pick) pick.disabled = !chosen.checked;
    usersBox.classList.toggle('muted', !chosen.checked);
  };
  everyone.addEventListener('change', sync);
  chosen.addEventListener('change', sync);
  ids.addEventListener('input', () => {
    error.hidden = true;
    ids.removeAttribute('aria-invalid');
  });
  sync();

  const element = h(
    'fieldset',
    { class: 'scope' },
    h('legend', {}, t.scopeLegend),
    h(
      'label',
      { class: 'choice' },
      everyone,
      h('span', {}, h('strong', {}, t.scopeEveryone), h('span', { class: 'hint' }, t.scopeEveryoneHint)),
    ),
    h(
      'label',
      { class: 'choice' },
      chosen,
      h('span', {}, h('strong', {}, t.scopeUsers), h('span', { class: 'hint' }, t.scopeUsersHint)),
    ),
    usersBox,
  );
  return {
    element,
    read() {
      if (!chosen.checked) return [];
      const parsed = parseUserIds(ids.value);
      if (parsed && parsed.length > 0) return parsed;
      error.textContent = t.scopeUserIdsInvalid;
      error.hidden = false;
      ids.setAttribute('aria-invalid', 'true');
      ids.focus();
      return null;
    },
  };
}
