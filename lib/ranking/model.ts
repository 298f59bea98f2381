import { mulberry32 } from "@/lib/random";
import type { ModelParams } from "./config";

/**
 * The bridging model, in the manner of Community Notes' matrix factorisation (one factor):
 *
 *   rating(u, n) ≈ μ + b_u + c_n + f_u · g_n
 *
 * fitted by alternating least squares on
 *
 *   Σ (r − μ − b_u − c_n − f_u g_n)² + λ_i (Σ b_u² + Σ c_n²) + λ_f (Σ f_u² + Σ g_n²)
 *
 * with λ_i several times λ_f. Agreement that the factor can explain ("raters on this side like
 * it") is cheap to explain with the factor; only what raters on both sides share is left for the
 * item's intercept c_n, which is penalised harder. So c_n rises only with support from raters who
 * usually disagree. Pure and deterministic: no database, seeded initial factors, fixed order.
 *
 * Each sweep solves, for every rater, the 2×2 least-squares problem for (b_u, f_u) with the items
 * fixed, then centres the rater factors (mean 0: a lean every rater shares is agreement, so
 * it belongs to the intercepts, not to the factor), then solves every item's (c_n, g_n), then μ.
 * Afterwards the rater factors are
 * scaled to root-mean-square 1 (and the item factors by the inverse, so every product is
 * unchanged): the item factor is then in rating units per typical rater lean, whatever the size
 * of the population, and the published |factor| threshold means the same thing from run to run.
 * The sign of a factor is arbitrary; only its size is used.
 */

export interface RatingInput {
  rater: string;
  item: string;
  /** 0 (not helpful) … 1 (helpful). */
  value: number;
}

export interface ItemScore {
  item: string;
  intercept: number;
  factor: number;
  /** Ratings of this item from raters in the fit. */
  fitRatings: number;
}

export interface FitResult {
  mu: number;
  items: ItemScore[];
  /** Raters in the fit and raters left out for too short a history. */
  ratersFitted: number;
  ratersExcluded: number;
  ratingsFitted: number;
  iterations: number;
  converged: boolean;
  /** Root-mean-square error of the fitted ratings. */
  rmse: number;
}

/** Compressed rows: for each of `n` groups, the rating indices that belong to it. */
function groupBy(keys: Int32Array, n: number): { start: Int32Array; idx: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let k = 0; k < keys.length; k++) start[keys[k]! + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const idx = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) idx[fill[keys[k]!]!++] = k;
  return { start, idx };
}

/**
 * For each group, minimise Σ (y − a − x·z)² + λ_a a² + λ_z z² over (a, z), where `other` gives x
 * for each rating: a 2×2 linear system. Writes into `a` and `z`; returns the largest change.
 */
function solveGroups(
  groups: { start: Int32Array; idx: Int32Array },
  target: Float64Array,
  otherKey: Int32Array,
  otherFactor: Float64Array,
  a: Float64Array,
  z: Float64Array,
  lambdaA: number,
  lambdaZ: number,
  countZ = true,
): number {
  let maxDelta = 0;
  const n = groups.start.length - 1;
  for (let gi = 0; gi < n; gi++) {
    let s1 = 0;
    let sx = 0;
    let sxx = 0;
    let sy = 0;
    let sxy = 0;
    for (let p = groups.start[gi]!; p < groups.start[gi + 1]!; p++) {
      const k = groups.idx[p]!;
      const x = otherFactor[otherKey[k]!]!;
      const y = target[k]!;
      s1 += 1;
      sx += x;
      sxx += x * x;
      sy += y;
      sxy += x * y;
    }
    const m11 = s1 + lambdaA;
    const m22 = sxx + lambdaZ;
    const det = m11 * m22 - sx * sx;
    const na = (sy * m22 - sx * sxy) / det;
    const nz = (m11 * sxy - sx * sy) / det;
    maxDelta = Math.max(maxDelta, Math.abs(na - a[gi]!), countZ ? Math.abs(nz - z[gi]!) : 0);
    a[gi] = na;
    z[gi] = nz;
  }
  return maxDelta;
}

export function fitModel(ratings: readonly RatingInput[], params: ModelParams): FitResult {
  // Raters with too short a history stay out of the fit entirely (see the ADR: a fresh account's
  // lean is unknown, so its rating cannot be told apart from support across perspectives).
  const perRater = new Map<string, number>();
  for (const r of ratings) perRater.set(r.rater, (perRater.get(r.rater) ?? 0) + 1);
  const kept = ratings.filter((r) => (perRater.get(r.rater) ?? 0) >= params.minRaterRatings);
  let ratersExcluded = 0;
  for (const count of perRater.values()) if (count < params.minRaterRatings) ratersExcluded++;

  // Dense indices, in order of first appearance (the input order is fixed by the caller).
  const raterIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const itemIds: string[] = [];
  const R = kept.length;
  const ru = new Int32Array(R);
  const ri = new Int32Array(R);
  const rv = new Float64Array(R);
  for (let k = 0; k < R; k++) {
    const r = kept[k]!;
    let u = raterIndex.get(r.rater);
    if (u === undefined) raterIndex.set(r.rater, (u = raterIndex.size));
    let i = itemIndex.get(r.item);
    if (i === undefined) {
      itemIndex.set(r.item, (i = itemIndex.size));
      itemIds.push(r.item);
    }
    ru[k] = u;
    ri[k] = i;
    rv[k] = r.value;
  }
  const U = raterIndex.size;
  const I = itemIndex.size;
  if (R === 0) {
    return { mu: 0, items: [], ratersFitted: 0, ratersExcluded, ratingsFitted: 0, iterations: 0, converged: true, rmse: 0 };
  }

  const byRater = groupBy(ru, U);
  const byItem = groupBy(ri, I);
  const b = new Float64Array(U);
  const f = new Float64Array(U);
  const c = new Float64Array(I);
  const g = new Float64Array(I);
  const rand = mulberry32(params.seed);
  for (let u = 0; u < U; u++) f[u] = (rand() - 0.5) * 0.2;
  for (let i = 0; i < I; i++) g[i] = (rand() - 0.5) * 0.2;
  let mu = 0;
  for (let k = 0; k < R; k++) mu += rv[k]!;
  mu /= R;

  const target = new Float64Array(R);
  const fPrev = new Float64Array(U);
  let iterations = 0;
  let converged = false;
  while (iterations < params.maxIterations) {
    iterations++;
    // Raters, with the items fixed: y = r − μ − c_n, regress on g_n.
    for (let k = 0; k < R; k++) target[k] = rv[k]! - mu - c[ri[k]!]!;
    fPrev.set(f);
    let delta = solveGroups(byRater, target, ri, g, b, f, params.lambdaIntercept, params.lambdaFactor, false);
    // The factor describes how raters differ from one another, so it is centred: a lean that
    // every rater shares is agreement across perspectives and belongs to the item's intercept.
    let fMean = 0;
    for (let u = 0; u < U; u++) fMean += f[u]!;
    fMean /= U;
    for (let u = 0; u < U; u++) {
      f[u]! -= fMean;
      delta = Math.max(delta, Math.abs(f[u]! - fPrev[u]!));
    }
    // Items, with the raters fixed: y = r − μ − b_u, regress on f_u.
    for (let k = 0; k < R; k++) target[k] = rv[k]! - mu - b[ru[k]!]!;
    delta = Math.max(delta, solveGroups(byItem, target, ru, f, c, g, params.lambdaIntercept, params.lambdaFactor));
    // The global mean of what is left (not penalised).
    let sum = 0;
    for (let k = 0; k < R; k++) sum += rv[k]! - b[ru[k]!]! - c[ri[k]!]! - f[ru[k]!]! * g[ri[k]!]!;
    const nextMu = sum / R;
    delta = Math.max(delta, Math.abs(nextMu - mu));
    mu = nextMu;
    if (delta < params.tolerance) {
      converged = true;
      break;
    }
  }

  // Scale rater factors to RMS 1; item factors by the inverse (products unchanged).
  let ss = 0;
  for (let u = 0; u < U; u++) ss += f[u]! * f[u]!;
  const rms = Math.sqrt(ss / U);
  const scale = rms > 1e-12 ? rms : 1;

  let se = 0;
  for (let k = 0; k < R; k++) {
    const e = rv[k]! - mu - b[ru[k]!]! - c[ri[k]!]! - f[ru[k]!]! * g[ri[k]!]!;
    se += e * e;
  }

  const items: ItemScore[] = itemIds.map((item, i) => ({
    item,
    intercept: c[i]!,
    factor: g[i]! * scale,
    fitRatings: byItem.start[i + 1]! - byItem.start[i]!,
  }));
  return { mu, items, ratersFitted: U, ratersExcluded, ratingsFitted: R, iterations, converged, rmse: Math.sqrt(se / R) };
}
