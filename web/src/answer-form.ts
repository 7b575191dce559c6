/**
 * The answer to a `needs_input` question: only the fields the run asked for, checked with the
 * server's own schema (`tripInputBodySchema`) before they are sent, and the API's refusal shown
 * the same way if it still has one.
 */
import type { RunResource } from '../../src/travel/api/run-resource';
import { tripInputBodySchema } from '../../src/travel/schemas';
import { ApiProblem, sendInput } from './api';
import { h, type Child } from './dom';
import { clearProblems, field, problemBox, showProblem, valueOf } from './forms';
import { CURRENCIES } from '../../src/domain/currency';

/** The controls for one asked-for fact (its path is the API's: `startDate`, `budget`, `travellerNames` …). */
function controlsFor(path: string, travellers: number): Child {
  switch (path) {
    case 'startDate':
      return field({ path, label: 'Start date', type: 'date', required: true });
    case 'endDate':
      return field({ path, label: 'End date', type: 'date', required: true });
    case 'origin':
      return field({ path, label: 'From (city or airport)', required: true, attrs: { autocomplete: 'off' } });
    case 'destination':
      return field({ path, label: 'To (city or airport)', required: true, attrs: { autocomplete: 'off' } });
    case 'travellers':
      return field({
        path,
        label: 'Travellers',
        type: 'number',
        required: true,
        attrs: { min: 1, max: 9, inputmode: 'numeric' },
      });
    case 'budget':
      return h(
        'div',
        { class: 'pair' },
        field({
          path: 'budget.amount',
          label: 'Budget',
          type: 'number',
          required: true,
          attrs: { min: 1, step: 'any' },
        }),
        field({
          path: 'budget.currency',
          label: 'Currency',
          list: 'answer-currencies',
          attrs: { value: 'USD', maxlength: 3, class: 'currency' },
        }),
        h(
          'datalist',
          { id: 'answer-currencies' },
          CURRENCIES.map((code) => h('option', { value: code })),
        ),
      );
    case 'contactEmail':
      return field({
        path,
        label: 'Contact email (for the booking)',
        type: 'email',
        required: true,
        attrs: { autocomplete: 'email' },
      });
    case 'travellerNames':
      return field({
        path,
        label: 'Traveller names',
        hint: `One traveller per line, first name then last name (${travellers} expected), as on their passports.`,
        multiline: true,
        required: true,
        attrs: { rows: Math.max(2, travellers), autocomplete: 'off' },
      });
    default:
      return field({ path, label: path, required: true });
  }
}

/** The asked-for paths, top level (`budget.amount` → `budget`), in the order asked, once each. */
export function askedPaths(run: RunResource): string[] {
  return [...new Set((run.needsInput?.fields ?? []).map((f) => f.path.split('.')[0]))];
}

export function answerForm(run: RunResource, onSent: () => void): HTMLElement {
  const ask = run.needsInput!;
  const paths = askedPaths(run);
  const travellers = run.request.understood?.travellers ?? run.request.fields.travellers ?? 1;
  const box = problemBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send answer');
  const form = h(
    'form',
    { class: 'card attention', novalidate: true, 'aria-labelledby': 'ask-title', 'data-round': ask.round },
    h('h2', { id: 'ask-title' }, 'The planner needs a few details'),
    h('p', { class: 'question' }, ask.question),
    h(
      'ul',
      { class: 'issues' },
      ask.fields.map((f) => h('li', {}, f.issue)),
    ),
    box,
    paths.map((path) => controlsFor(path, travellers)),
    h(
      'p',
      { class: 'hint' },
      `Answer by ${new Date(ask.expiresAt).toLocaleTimeString()} or the run stops waiting.`,
    ),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearProblems(form, box);
    const parsed = tripInputBodySchema.safeParse(readAnswer(form, paths));
    if (!parsed.success) {
      showProblem(
        form,
        box,
        parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.') || '$',
          issue: issue.message,
        })),
      );
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Sending…';
    sendInput(run, parsed.data)
      .then(() => {
        // The run reads the answer on its own time: say so rather than leave a stale form.
        form.replaceChildren(
          h('h2', { id: 'ask-title', tabindex: -1 }, 'Answer sent'),
          h('p', { role: 'status' }, 'Thank you: the planner is continuing with your answer.'),
        );
        form.querySelector('h2')?.focus();
        onSent();
      })
      .catch((error: unknown) => {
        submit.disabled = false;
        submit.textContent = 'Send answer';
        showProblem(
          form,
          box,
          error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error)),
        );
      });
  });
  return form;
}

function readAnswer(form: HTMLElement, paths: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const path of paths) {
    if (path === 'budget') {
      const amount = valueOf(form, 'budget.amount');
      if (amount !== undefined)
        body.budget = { amount: Number(amount), currency: valueOf(form, 'budget.currency') ?? 'USD' };
    } else if (path === 'travellers') {
      const value = valueOf(form, path);
      if (value !== undefined) body.travellers = Number(value);
    } else if (path === 'travellerNames') {
      const lines = (valueOf(form, path) ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      if (lines.length) {
        body.travellerNames = lines.map((line) => {
          const parts = line.split(/\s+/);
          const lastName = parts.length > 1 ? parts.pop()! : '';
          return { firstName: parts.join(' '), lastName };
        });
      }
    } else {
      const value = valueOf(form, path);
      if (value !== undefined) body[path] = value;
    }
  }
  return body;
}
