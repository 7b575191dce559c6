/**
 * A run, live: its status, the attention panel (the question to answer or the quote to approve),
 * the budget meters, the step timeline, the result or the error, and the trace on request. It
 * polls GET /api/trips/{id} until the run is final; the attention panel is rebuilt only when
 * what it asks changes, so polling never wipes what the traveller is typing.
 */
import { isFinal } from '../../src/travel/api/run-resource';
import type { RunResource } from '../../src/travel/api/run-resource';
import { ApiProblem, cancelRun, getRun, getTrace, sendApproval } from './api';
import { answerForm } from './answer-form';
import { h, replace } from './dom';
import { budgetMeters, dateTime, duration, money, STATUS_LABELS } from './format';
import { quoteTable, resultView } from './itinerary';
import { traceView } from './trace-view';
import { problemBox, showProblem } from './forms';

/** Poll quickly while the run works, slower while it waits for a person. */
const POLL_ACTIVE_MS = 500;
const POLL_WAITING_MS = 1500;

export interface RunViewHandle {
  element: HTMLElement;
  /** Stops polling (the view is being left). */
  dispose(): void;
}

export function runView(id: string): RunViewHandle {
  const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' }, 'Loading the run…');
  const header = h('div', { class: 'run-head' });
  const attention = h('div', { class: 'attention-slot' });
  const failure = h('div', { class: 'failure-slot' });
  const meters = h('section', { class: 'card meters', 'aria-labelledby': 'meters-title' });
  const timeline = h('section', { class: 'card timeline', 'aria-labelledby': 'timeline-title' });
  const result = h('div', { class: 'result-slot' });
  const traceSlot = h('div', { class: 'trace-slot' });
  const problem = problemBox();
  const element = h(
    'div',
    { class: 'run' },
    h('h1', {}, 'Trip run'),
    status,
    problem,
    header,
    attention,
    failure,
    h('div', { class: 'columns' }, meters, timeline),
    result,
    traceSlot,
  );

  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  let attentionKey = '';
  let shownStatus = '';
  let current: RunResource | undefined;

  const schedule = (ms: number): void => {
    if (disposed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), ms);
  };

  async function refresh(): Promise<void> {
    try {
      const run = await getRun(id);
      if (disposed) return;
      problem.hidden = true;
      render(run);
      if (!isFinal(run.status)) {
        schedule(
          run.status === 'needs_input' || run.status === 'awaiting_approval'
            ? POLL_WAITING_MS
            : POLL_ACTIVE_MS,
        );
      }
    } catch (error) {
      if (disposed) return;
      const apiProblem = error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error));
      showProblem(element, problem, apiProblem, apiProblem.message);
      // A missing run stays missing; anything else may pass.
      if (apiProblem.status !== 404) schedule(POLL_WAITING_MS * 2);
    }
  }

  function render(run: RunResource): void {
    current = run;
    if (shownStatus !== run.status) {
      shownStatus = run.status;
      status.textContent = `Status: ${STATUS_LABELS[run.status]}`;
      status.dataset.status = run.status;
    }
    renderHeader(run);
    renderAttention(run);
    renderFailure(run);
    renderMeters(run);
    renderTimeline(run);
    replace(result, run.result ? resultView(run.result) : null);
  }

  function renderHeader(run: RunResource): void {
    const understood = run.request.understood;
    const facts: [string, string | undefined][] = [
      [
        'From',
        understood?.origin
          ? `${understood.origin.name}${understood.origin.airport ? ` (${understood.origin.airport})` : ''}`
          : run.request.fields.origin,
      ],
      [
        'To',
        understood?.destination
          ? `${understood.destination.name}${understood.destination.airport ? ` (${understood.destination.airport})` : ''}`
          : run.request.fields.destination,
      ],
      ['Dates', understood?.startDate ? `${understood.startDate} → ${understood.endDate ?? '?'}` : undefined],
      ['Travellers', understood?.travellers !== undefined ? String(understood.travellers) : undefined],
      [
        'Budget',
        understood?.budget ? money(understood.budget.amount, understood.budget.currency) : undefined,
      ],
      ['Book', (understood?.book ?? run.request.book) ? 'yes, after approval' : undefined],
    ];
    const cancel = isFinal(run.status)
      ? null
      : h('button', { type: 'button', class: 'danger', onclick: () => void onCancel() }, 'Cancel run');
    replace(
      header,
      h('blockquote', { class: 'request' }, run.request.text),
      h(
        'dl',
        { class: 'facts' },
        facts.filter(([, value]) => value).map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
        h('dt', {}, 'Run'),
        h('dd', {}, h('code', {}, run.id)),
        h('dt', {}, 'Started'),
        h('dd', {}, dateTime(run.createdAt)),
      ),
      h(
        'div',
        { class: 'actions run-actions' },
        cancel,
        h('button', { type: 'button', class: 'secondary', onclick: () => void showTrace() }, 'Show trace'),
      ),
    );
  }

  function renderAttention(run: RunResource): void {
    const key =
      run.status === 'needs_input' && run.needsInput
        ? `input:${run.needsInput.round}:${run.needsInput.expiresAt}`
        : run.status === 'awaiting_approval' && run.quote
          ? `approval:${JSON.stringify(run.quote.total)}`
          : '';
    if (key === attentionKey) return;
    attentionKey = key;
    if (key.startsWith('input:'))
      replace(
        attention,
        answerForm(run, () => schedule(0)),
      );
    else if (key.startsWith('approval:')) replace(attention, approvalPanel(run));
    else replace(attention);
    // Bring what needs the person into view and focus, once, when it appears.
    const heading = attention.querySelector('h2');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }

  function approvalPanel(run: RunResource): HTMLElement {
    const box = problemBox();
    const note = h('textarea', {
      id: 'approval-note',
      rows: 2,
      maxlength: 500,
      'data-path': 'note',
      'aria-describedby': 'approval-note-error',
    });
    const approve = h('button', { type: 'button', class: 'primary' }, 'Approve and book');
    const reject = h('button', { type: 'button', class: 'secondary' }, 'Reject');
    const panel = h(
      'section',
      { class: 'card attention', 'aria-labelledby': 'approve-title' },
      h('h2', { id: 'approve-title' }, 'Approve the booking?'),
      h('p', {}, 'Nothing is booked until you approve. Approving books each item once.'),
      quoteTable(run.quote!),
      box,
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'approval-note' }, 'Note (optional)'),
        note,
        h('p', { class: 'field-error', id: 'approval-note-error' }),
      ),
      h('div', { class: 'actions' }, approve, reject),
    );
    const decide = (approved: boolean): void => {
      if (approve.disabled) return;
      approve.disabled = reject.disabled = true;
      sendApproval(run, approved, note.value.trim() || undefined)
        .then(() => {
          replace(
            panel,
            h(
              'p',
              { class: 'sent', role: 'status' },
              approved ? 'Approved: booking…' : 'Rejected: nothing will be booked.',
            ),
          );
          schedule(0);
        })
        .catch((error: unknown) => {
          approve.disabled = reject.disabled = false;
          showProblem(
            panel,
            box,
            error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error)),
          );
        });
    };
    approve.addEventListener('click', () => decide(true));
    reject.addEventListener('click', () => decide(false));
    return panel;
  }

  function renderFailure(run: RunResource): void {
    if (!run.error || run.status === 'completed') {
      replace(failure);
      return;
    }
    replace(
      failure,
      h(
        'section',
        { class: 'card failure', 'aria-labelledby': 'failure-title' },
        h('h2', { id: 'failure-title' }, STATUS_LABELS[run.status]),
        h('p', {}, run.error.message),
        h('p', { class: 'hint' }, 'Code: ', h('code', {}, run.error.code)),
      ),
    );
  }

  function renderMeters(run: RunResource): void {
    replace(
      meters,
      h('h2', { id: 'meters-title' }, 'Budgets'),
      h(
        'ul',
        { class: 'meter-list' },
        budgetMeters(run.budgets.limits, run.budgets.usage).map((m) => {
          const meterId = `meter-${m.label.replace(/\W/g, '').toLowerCase()}`;
          return h(
            'li',
            { class: m.share >= 1 ? 'full' : m.share >= 0.8 ? 'high' : '' },
            h('label', { for: meterId }, m.label),
            h(
              'meter',
              {
                id: meterId,
                min: 0,
                max: m.max,
                value: Math.min(m.value, m.max),
                low: m.max * 0.6,
                high: m.max * 0.8,
                optimum: 0,
              },
              m.text,
            ),
            h('span', { class: 'meter-text' }, m.text),
          );
        }),
      ),
    );
  }

  function renderTimeline(run: RunResource): void {
    const steps = run.progress.steps;
    // Rebuilt on every poll: keep the reader's scroll place, or follow the newest step when at the end.
    const old = timeline.querySelector('ol.steps');
    const following = !old || old.scrollTop + old.clientHeight >= old.scrollHeight - 4;
    const scrollTop = old?.scrollTop ?? 0;
    replace(
      timeline,
      h('h2', { id: 'timeline-title' }, 'Steps'),
      steps.length
        ? h(
            'ol',
            { class: 'steps', tabindex: 0, 'aria-label': `${steps.length} steps, oldest first` },
            steps.map((step) =>
              h(
                'li',
                { class: `step ${step.status}`, 'data-kind': step.kind },
                h('span', { class: `tag kind-${step.kind}` }, step.kind),
                h('span', { class: 'step-name' }, step.name),
                h('span', { class: 'step-status' }, step.status),
                h(
                  'span',
                  { class: 'step-time' },
                  step.endedAt ? duration(Date.parse(step.endedAt) - Date.parse(step.startedAt)) : '…',
                ),
                step.detail ? h('span', { class: 'step-detail' }, step.detail) : null,
              ),
            ),
          )
        : h('p', { class: 'hint' }, 'No steps yet.'),
      run.progress.step > steps.length
        ? h('p', { class: 'hint' }, `${run.progress.step - steps.length} earlier steps not shown.`)
        : null,
    );
    const list = timeline.querySelector('ol.steps');
    if (list) list.scrollTop = following ? list.scrollHeight : scrollTop;
  }

  async function onCancel(): Promise<void> {
    if (!current) return;
    try {
      await cancelRun(current);
      schedule(0);
    } catch (error) {
      showProblem(
        element,
        problem,
        error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error)),
      );
    }
  }

  async function showTrace(): Promise<void> {
    if (!current) return;
    replace(traceSlot, h('p', { class: 'hint', role: 'status' }, 'Loading the trace…'));
    try {
      replace(traceSlot, traceView(await getTrace(current)));
    } catch (error) {
      const message = error instanceof ApiProblem ? error.message : String(error);
      replace(
        traceSlot,
        h('div', { class: 'problem', role: 'alert' }, h('p', {}, h('strong', {}, 'No trace: '), message)),
      );
    }
    traceSlot.querySelector<HTMLElement>('h2')?.focus();
  }

  void refresh();
  return {
    element,
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
