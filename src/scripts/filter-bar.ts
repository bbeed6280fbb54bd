/** The filter bar and its chips: shows a state, and reads the state the viewer set. */
import type { FilterSpec } from '../lib/contract/declaration.ts';
import { emptyState, type FilterState } from '../lib/filter-state.ts';

export interface FilterBar {
  show(state: FilterState): void;
  read(previous: FilterState): FilterState;
}

/** `labels` names the columns and dimensions a chip may show that the bar has no group for (e.g. a state from the map). */
export function filterBar(
  form: HTMLFormElement,
  chips: HTMLElement,
  defaultFilter: FilterSpec | undefined,
  onChange: (s: FilterState) => void,
  labels: Record<string, string> = {},
): FilterBar {
  const from = form.querySelector<HTMLInputElement>('[name=from]')!;
  const to = form.querySelector<HTMLInputElement>('[name=to]')!;
  const preset = form.querySelector<HTMLSelectElement>('[data-preset]')!;
  const groups = [...form.querySelectorAll<HTMLDetailsElement>('[data-filter]')];
  // Found once: the bar shows every state, and its groups never change.
  const boxesOf = new Map<Element, HTMLInputElement[]>(groups.map((g) => [g, [...g.querySelectorAll<HTMLInputElement>('input[type=checkbox]')]]));
  const checkboxes = (group: Element) => boxesOf.get(group)!;
  const [min, max] = [form.dataset.min!, form.dataset.max!];
  const excluded = (column: string) => (defaultFilter?.column === column ? defaultFilter.exclude : []);
  let current = emptyState();

  function presetRange(value: string): [string | null, string | null] {
    if (value === 'ytd') return [`${max.slice(0, 4)}-01-01`, max];
    if (value === 'last12') {
      const start = new Date(`${max}T00:00:00Z`);
      start.setUTCFullYear(start.getUTCFullYear() - 1);
      start.setUTCDate(start.getUTCDate() + 1);
      return [start.toISOString().slice(0, 10), max];
    }
    const [a, b] = value.split('/');
    return [a || null, b || null];
  }

  const bar: FilterBar = {
    show(state) {
      current = state;
      from.value = state.from ?? '';
      to.value = state.to ?? '';
      const range = `${state.from ?? ''}/${state.to ?? ''}`;
      const match = [...preset.options].find((o) => o.value && o.value !== 'custom' && presetRange(o.value).join('/') === range);
      preset.value = range === '/' ? '' : (match?.value ?? 'custom');
      for (const group of groups) {
        const column = group.dataset.filter!;
        const chosen = state.members[column];
        const boxes = checkboxes(group);
        for (const box of boxes) box.checked = chosen ? chosen.includes(box.value) : !excluded(column).includes(box.value);
        const on = boxes.filter((b) => b.checked).length;
        group.querySelector('[data-summary]')!.textContent = on === boxes.length ? 'All' : on === 1 ? boxes.find((b) => b.checked)!.value : `${on} of ${boxes.length}`;
      }
      renderChips(state);
    },
    read(previous) {
      const members = { ...previous.members };
      for (const group of groups) {
        const column = group.dataset.filter!;
        const boxes = checkboxes(group);
        const checked = boxes.filter((b) => b.checked).map((b) => b.value);
        const byDefault = boxes.map((b) => b.value).filter((v) => !excluded(column).includes(v));
        const isDefault = checked.length === byDefault.length && byDefault.every((v) => checked.includes(v));
        if (isDefault) delete members[column];
        else members[column] = checked;
      }
      return { ...previous, from: from.value || null, to: to.value || null, members };
    },
  };

  function renderChips(state: FilterState) {
    const items: [string, () => FilterState][] = [];
    if (state.from || state.to) items.push([`${state.from ?? min} – ${state.to ?? max}`, () => ({ ...state, from: null, to: null })]);
    for (const [column, members] of Object.entries(state.members)) {
      const label = groups.find((g) => g.dataset.filter === column)?.querySelector('.group-label')?.textContent ?? labels[column] ?? column.replaceAll('_', ' ');
      const { [column]: _removed, ...rest } = state.members;
      items.push([`${label}: ${members.length ? members.join(', ') : 'none'}`, () => ({ ...state, members: rest })]);
    }
    for (const [dimension, path] of Object.entries(state.drill)) {
      const { [dimension]: _removed, ...rest } = state.drill;
      items.push([`${labels[dimension] ?? dimension.replaceAll('_', ' ')}: ${path.join(' › ')}`, () => ({ ...state, drill: rest })]);
    }
    const note = defaultFilter && !state.members[defaultFilter.column] ? `${defaultFilter.label}.` : '';
    chips.replaceChildren(
      ...items.map(([text, next]) => {
        const chip = document.createElement('button');
        chip.type = 'button';
        chip.className = 'chip';
        chip.textContent = text;
        chip.setAttribute('aria-label', `Remove filter ${text}`);
        chip.addEventListener('click', () => onChange(next()));
        return chip;
      }),
    );
    if (note) chips.append(Object.assign(document.createElement('span'), { className: 'muted', textContent: note }));
  }

  form.addEventListener('change', (event) => {
    if (event.target === preset) {
      if (preset.value === 'custom') return;
      [from.value, to.value] = presetRange(preset.value).map((v) => v ?? '') as [string, string];
    }
    onChange(bar.read(current));
  });
  for (const button of form.querySelectorAll<HTMLButtonElement>('[data-select]')) {
    button.addEventListener('click', () => {
      for (const box of checkboxes(button.closest('[data-filter]')!)) box.checked = button.dataset.select === 'all';
      onChange(bar.read(current));
    });
  }
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    onChange(emptyState());
  });
  return bar;
}
