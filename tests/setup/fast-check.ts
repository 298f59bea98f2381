import fc from "fast-check";

/**
 * Property tests run the same cases on every run, so a red run always reproduces and CI never
 * flips on a lucky draw. To explore new cases, set FAST_CHECK_SEED (any integer) or
 * FAST_CHECK_SEED=random; a failure prints the seed and path to replay it.
 */
const raw = process.env.FAST_CHECK_SEED;
if (raw !== "random") fc.configureGlobal({ seed: raw ? Number(raw) : 20261202 });
