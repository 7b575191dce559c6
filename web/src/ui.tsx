/**
 * Small shared pieces: a labelled form field with its hint and error linked for screen readers,
 * an error summary that links to the fields, a status badge, and a button that asks before it
 * does something that cannot be undone.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { FieldProblem } from './validate';

interface FieldProps {
  path: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: (props: {
    id: string;
    name: string;
    'data-path': string;
    'aria-describedby'?: string;
    'aria-invalid'?: 'true';
    required?: boolean;
  }) => JSX.Element;
  class?: string;
}

/** A label, the control (rendered by `children` with the ids it needs), a hint and an error line. */
export function Field({ path, label, hint, error, required, children, class: extra }: FieldProps) {
  const id = `f-${useId().replace(/[^\w-]/g, '')}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : undefined, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}${extra ? ` ${extra}` : ''}`}>
      <label for={id}>
        {label}
        {required ? null : <span class="optional"> (optional)</span>}
      </label>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children({
        id,
        name: path,
        'data-path': path,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': 'true' as const } : {}),
        ...(required ? { required: true } : {}),
      })}
      {error ? (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The problems of a form, each a link to its field; focused when it appears. */
export function ErrorSummary({
  title,
  problems,
  message,
}: {
  title: string;
  problems: FieldProblem[];
  message?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const signature = problems.map((p) => `${p.path}:${p.message}`).join('|') + (message ?? '');
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (!problems.length && !message) return null;
  const focusField = (path: string) => (event: Event) => {
    event.preventDefault();
    document.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`)?.focus();
  };
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2 class="error-title">{title}</h2>
      {message ? <p>{message}</p> : null}
      {problems.length ? (
        <ul>
          {problems.map((p) => (
            <li key={p.path}>
              <a href={`#${p.path}`} onClick={focusField(p.path)}>
                {p.message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Badge({ tone, children }: { tone: string; children: ComponentChildren }) {
  return <span class={`badge tone-${tone}`}>{children}</span>;
}

/**
 * A button that asks first: the question and two answers replace it, focus moves to the
 * question, Escape or "keep" puts the button back (and focus on it).
 */
export function ConfirmButton({
  label,
  question,
  explain,
  confirmLabel,
  keepLabel,
  onConfirm,
  class: extra,
}: {
  label: string;
  question: string;
  explain?: string;
  confirmLabel: string;
  keepLabel: string;
  onConfirm: () => Promise<unknown>;
  class?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const questionRef = useRef<HTMLParagraphElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  // A layout effect, so focus moves in the same commit that removes the element holding it; a
  // plain effect runs a frame later and leaves focus on <body> meanwhile.
  useLayoutEffect(() => {
    if (asking) questionRef.current?.focus();
    else if (wasAsking.current) buttonRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking)
    return (
      <button
        type="button"
        class={`secondary ${extra ?? ''}`}
        ref={buttonRef}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  const keep = () => {
    setAsking(false);
    setProblem(undefined);
  };
  return (
    <div
      class="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key === 'Escape') keep();
      }}
    >
      <p class="confirm-question" tabIndex={-1} ref={questionRef}>
        <strong>{question}</strong>
        {explain ? ` ${explain}` : ''}
      </p>
      {problem ? (
        <p class="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div class="actions">
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            onConfirm()
              .then(() => setAsking(false))
              .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)))
              .finally(() => setBusy(false));
          }}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" class="secondary" onClick={keep}>
          {keepLabel}
        </button>
      </div>
    </div>
  );
}

/** Sets the page title while mounted (and whenever it changes). */
export function useTitle(title: string | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} · Waypoint`;
  }, [title]);
}
