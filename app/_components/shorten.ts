/** `text` cut to at most `max` characters, with an ellipsis when it was cut. */
export function shorten(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
