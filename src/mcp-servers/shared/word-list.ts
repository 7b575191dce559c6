/** A list written as whitespace-separated words (keeps long code and name tables compact). */
export function wordList(text: string): string[] {
  return text.trim().split(/\s+/);
}
