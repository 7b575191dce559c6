/**
 * Plan: the request box and the optional facts, sent to POST /api/trips with an Idempotency-Key.
 * The key belongs to the request's content, so a double click or a retry after a network error
 * starts one run, and an edited request gets a new key. The server validates (zod): its field
 * errors are shown beside the fields.
 */
import { CURRENCIES } from '../../src/domain/currency';
import type { TripRequestBody } from '../../src/travel/schemas';
import { ApiProblem, startTrip } from './api';
import { h } from './dom';
import { field, problemBox, showProblem, clearProblems, valueOf } from './forms';

export function planView(onStarted: (id: string) => void): HTMLElement {
  const box = problemBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Plan my trip');
  const form = h(
    'form',
    { class: 'card plan', novalidate: true, 'aria-labelledby': 'plan-title' },
    h('h1', { id: 'plan-title' }, 'Plan a trip'),
    box,
    field({
      path: 'request',
      label: 'Where would you like to go?',
      hint: 'In your own words, e.g. "A 4-day hiking trip from Seattle to El Calafate for two, budget $5,000".',
      multiline: true,
      required: true,
      attrs: { maxlength: 2000, autocomplete: 'off' },
    }),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Details (optional: anything missing is asked for)'),
      h(
        'div',
        { class: 'grid' },
        field({
          path: 'origin',
          label: 'From',
          attrs: { autocomplete: 'off', placeholder: 'City or airport' },
        }),
        field({
          path: 'destination',
          label: 'To',
          attrs: { autocomplete: 'off', placeholder: 'City or airport' },
        }),
        field({ path: 'startDate', label: 'Start date', type: 'date' }),
        field({ path: 'endDate', label: 'End date', type: 'date' }),
        field({
          path: 'travellers',
          label: 'Travellers',
          type: 'number',
          attrs: { min: 1, max: 9, inputmode: 'numeric' },
        }),
        h(
          'div',
          { class: 'pair' },
          field({
            path: 'budget.amount',
            label: 'Budget',
            type: 'number',
            attrs: { min: 1, step: 'any', inputmode: 'decimal' },
          }),
          field({
            path: 'budget.currency',
            label: 'Currency',
            list: 'currencies',
            attrs: { value: 'USD', maxlength: 3, autocomplete: 'off', class: 'currency' },
          }),
        ),
        h(
          'datalist',
          { id: 'currencies' },
          CURRENCIES.map((code) => h('option', { value: code })),
        ),
      ),
      h(
        'div',
        { class: 'check' },
        h('input', { type: 'checkbox', id: 'plan-book', 'data-path': 'book' }),
        h('label', { for: 'plan-book' }, 'Book it once I approve the quote'),
      ),
    ),
    h('div', { class: 'actions' }, submit),
  );

  let lastBody = '';
  let key = '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    const body = readPlan(form);
    const text = JSON.stringify(body);
    if (text !== lastBody) {
      lastBody = text;
      key = crypto.randomUUID();
    }
    clearProblems(form, box);
    submit.disabled = true;
    submit.textContent = 'Starting…';
    startTrip(body, key)
      .then((run) => onStarted(run.id))
      .catch((error: unknown) => {
        showProblem(
          form,
          box,
          error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error)),
        );
      })
      .finally(() => {
        submit.disabled = false;
        submit.textContent = 'Plan my trip';
      });
  });
  return form;
}

/** The form as a request body; what the traveller left empty is left out, the rest is the server's to judge. */
function readPlan(form: HTMLElement): TripRequestBody {
  const body: Record<string, unknown> = { request: valueOf(form, 'request') ?? '' };
  for (const path of ['origin', 'destination', 'startDate', 'endDate'] as const) {
    const value = valueOf(form, path);
    if (value !== undefined) body[path] = value;
  }
  const travellers = valueOf(form, 'travellers');
  if (travellers !== undefined) body.travellers = Number(travellers);
  const amount = valueOf(form, 'budget.amount');
  if (amount !== undefined)
    body.budget = { amount: Number(amount), currency: valueOf(form, 'budget.currency') ?? 'USD' };
  if (form.querySelector<HTMLInputElement>('[data-path="book"]')?.checked) body.book = true;
  return body as TripRequestBody;
}
