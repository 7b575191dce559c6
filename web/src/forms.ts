/**
 * Form pieces shared by the plan and answer forms: labelled fields with their own error line,
 * and showing an API refusal (its message, and each `{path, issue}` beside the field it names).
 */
import { h, replace, uid } from './dom';
import type { ApiProblem, FieldIssue } from './api';

export interface FieldOptions {
  /** The request path the API names in its errors (`budget.currency`). */
  path: string;
  label: string;
  type?: string;
  hint?: string;
  required?: boolean;
  attrs?: Record<string, string | number | boolean>;
  /** A textarea instead of an input. */
  multiline?: boolean;
  list?: string;
}

/** A label, the control, an optional hint and an (empty) error line, linked by aria attributes. */
export function field(options: FieldOptions): HTMLElement {
  const id = uid(`f-${options.path.replace(/\W/g, '-')}`);
  const hintId = options.hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: options.path,
    'data-path': options.path,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    required: options.required,
    ...(options.list ? { list: options.list } : {}),
    ...options.attrs,
  };
  const control = options.multiline
    ? h('textarea', { rows: 3, ...common })
    : h('input', { type: options.type ?? 'text', ...common });
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { for: id },
      options.label,
      options.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
    ),
    hintId ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId }),
  );
}

/** A summary box (role=alert) for a form; empty until a problem is shown. */
export function problemBox(): HTMLElement {
  return h('div', { class: 'problem', role: 'alert', hidden: true });
}

/** Clears every field error and the summary of `form`. */
export function clearProblems(form: HTMLElement, box: HTMLElement): void {
  for (const control of form.querySelectorAll<HTMLElement>('[data-path]')) {
    control.removeAttribute('aria-invalid');
    const errorLine = errorLineOf(control);
    if (errorLine) errorLine.textContent = '';
  }
  box.hidden = true;
  replace(box);
}

/**
 * Shows `problem` on `form`: the API's message in the summary, each detail beside its field
 * (the deepest field whose path is the detail's path or a parent of it), and focus on the first
 * field in error, else on the summary.
 */
export function showProblem(
  form: HTMLElement,
  box: HTMLElement,
  problem: ApiProblem | FieldIssue[],
  message?: string,
): void {
  clearProblems(form, box);
  const details = Array.isArray(problem) ? problem : problem.details;
  const text =
    message ?? (Array.isArray(problem) ? 'Please correct the fields marked below.' : problem.message);
  const unplaced: FieldIssue[] = [];
  let first: HTMLElement | undefined;
  for (const detail of details) {
    const control = controlFor(form, detail.path);
    const errorLine = control ? errorLineOf(control) : undefined;
    if (!control || !errorLine) {
      unplaced.push(detail);
      continue;
    }
    control.setAttribute('aria-invalid', 'true');
    errorLine.textContent = errorLine.textContent
      ? `${errorLine.textContent}; ${detail.issue}`
      : detail.issue;
    first ??= control;
  }
  replace(
    box,
    h('p', {}, h('strong', {}, 'Not sent. '), text),
    unplaced.length
      ? h(
          'ul',
          {},
          unplaced.map((d) => h('li', {}, h('code', {}, d.path), `: ${d.issue}`)),
        )
      : null,
  );
  box.hidden = false;
  if (first) {
    first.focus();
  } else {
    box.tabIndex = -1;
    box.focus();
  }
}

function controlFor(form: HTMLElement, path: string): HTMLElement | undefined {
  const controls = [...form.querySelectorAll<HTMLElement>('[data-path]')];
  for (let parts = path.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const candidate = parts.join('.');
    const match = controls.find(
      (c) => c.dataset.path === candidate || c.dataset.path?.startsWith(`${candidate}.`),
    );
    if (match) return match;
  }
  return undefined;
}

function errorLineOf(control: HTMLElement): HTMLElement | undefined {
  const id = control
    .getAttribute('aria-describedby')
    ?.split(' ')
    .find((part) => part.endsWith('-error'));
  return id ? (document.getElementById(id) ?? undefined) : undefined;
}

/** The trimmed value of the control at `path`, or undefined when it is empty. */
export function valueOf(form: HTMLElement, path: string): string | undefined {
  const control = form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-path="${path}"]`);
  const value = control?.value.trim();
  return value ? value : undefined;
}
