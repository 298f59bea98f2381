/** The words the benchmarks' seeded contribution bodies are made of. */
export const WORDS = (
  "the claim rests on a figure that the cited report does not support evidence suggests otherwise " +
  "consider the base rate before drawing conclusions this paragraph conflates two different policies " +
  "sanctions exiles border visa asylum Kremlin opposition resolution parliament credibility mobilization " +
  "source survey estimate migration statistics methodology sample period numbers context history region " +
  "however moreover although because therefore whereas meanwhile indeed arguably plausibly"
).split(" ");
