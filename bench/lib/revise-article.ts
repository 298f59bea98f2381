/** The revision: deterministic edits of the article's paragraphs, of every kind the aligner knows. */
export function reviseArticle(ps: readonly string[]): string[] {
  const out = [...ps];
  const sentences = (t: string) => t.split(/(?<=[.!?])\s+/);
  out[1] = out[1]!.replace(" the ", " the very ");
  out[3] = `Consider the border first. ${out[3]}`;
  const s5 = sentences(out[5]!);
  const half = Math.ceil(s5.length / 2);
  out[18] = out[18]!.replace(/’/g, "'");
  const s20 = sentences(out[20]!);
  out[20] = s20.slice(1).join(" ");
  out[16] = "An entirely new paragraph replaces this one: the editors rewrote it after readers pointed out an error in the figures.";
  out[22] = out[22]!.replace(/ and /, " and, crucially, ");
  const next: string[] = [];
  out.forEach((p, i) => {
    if (i === 5) next.push(s5.slice(0, half).join(" "), s5.slice(half).join(" "));
    else if (i === 7) next.push(`${p} ${out[8]}`);
    else if (i === 8 || i === 10 || i === 14) return;
    else next.push(p);
    if (i === 12) next.push("Editor's note: this article was updated to correct the number of exiles cited above.");
  });
  next.push(out[14]!);
  return next;
}
