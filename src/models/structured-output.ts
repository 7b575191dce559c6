/**
 * Reading a structured answer. A model asked for JSON may still write something else (truncated
 * output, prose, a fenced block): that is not a provider error but an answer the agent loop asks
 * the model to repair, so parsing never throws.
 */

const FENCED = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i;

/**
 * The JSON value of an answer, or undefined when it is not JSON. A single surrounding Markdown
 * code fence (```json … ```) is tolerated: models without strict structured output (Ollama, vLLM
 * without a grammar) often add one. `null` is a JSON value and comes back as `null`.
 */
export function parseJsonAnswer(text: string): unknown {
  const trimmed = text.trim();
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
