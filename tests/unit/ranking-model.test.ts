import { describe, expect, it } from "vitest";
import { MODEL_PARAMS, THRESHOLDS } from "@/lib/ranking/config";
import { fitModel, type FitResult } from "@/lib/ranking/model";
import { statusFor } from "@/lib/ranking/status";
import { twoCamps } from "./fixtures/two-camps";

/**
 * The bridging model on a synthetic population of two camps (tests/unit/fixtures/two-camps.ts),
 * with the published parameters and thresholds.
 */

const score = (fit: FitResult, item: string) => {
  const s = fit.items.find((x) => x.item === item);
  if (!s) throw new Error(`${item} was not scored`);
  return { ...s, status: statusFor(s, THRESHOLDS) };
};
const statuses = (fit: FitResult, prefix: string) =>
  fit.items.filter((s) => s.item.startsWith(prefix)).map((s) => statusFor(s, THRESHOLDS));

describe("the bridging model on two camps", () => {
  const fit = fitModel(twoCamps().ratings, MODEL_PARAMS);

  it("converges", () => {
    expect(fit.converged).toBe(true);
    expect(fit.ratersFitted).toBe(80);
  });

  it("does not give the status to an item rated helpful by one camp and not by the other", () => {
    const s = score(fit, "ONE_CAMP");
    expect(s.status).toBe("RATED");
    expect(Math.abs(s.factor)).toBeGreaterThan(THRESHOLDS.maxAbsFactor);
  });

  it("does not give the status to an item only one camp rated (all helpful)", () => {
    expect(score(fit, "ONE_SIDED").status).toBe("RATED");
  });

  it("gives the status to an item rated helpful by both camps", () => {
    const s = score(fit, "BOTH_CAMPS");
    expect(s.status).toBe("HELPFUL");
    expect(s.intercept).toBeGreaterThanOrEqual(THRESHOLDS.minIntercept);
    expect(Math.abs(s.factor)).toBeLessThan(THRESHOLDS.maxAbsFactor);
  });

  it("tells apart the background items: partisan ones never, most of those both camps liked", () => {
    expect(statuses(fit, "pa")).not.toContain("HELPFUL");
    expect(statuses(fit, "pb")).not.toContain("HELPFUL");
    expect(statuses(fit, "bad")).not.toContain("HELPFUL");
    expect(statuses(fit, "good").filter((s) => s === "HELPFUL").length).toBeGreaterThanOrEqual(12);
  });

  it("says 'needs more ratings' below the minimum", () => {
    expect(score(fit, "FEW").status).toBe("NEEDS_MORE_RATINGS");
  });

  it("is deterministic", () => {
    expect(fitModel(twoCamps().ratings, MODEL_PARAMS)).toEqual(fit);
  });
});

describe("a brigade of 50 fresh accounts", () => {
  const without = fitModel(twoCamps().ratings, MODEL_PARAMS);

  it.each(["BRIGADED", "ONE_CAMP", "ONE_SIDED"])("all rating %s helpful does not lift it", (item) => {
    const fit = fitModel(twoCamps({ brigade: 50, brigadeTarget: item }).ratings, MODEL_PARAMS);
    expect(fit.ratersExcluded).toBe(50);
    const s = score(fit, item);
    expect(s.status).not.toBe("HELPFUL");
    expect(s.intercept).toBeLessThanOrEqual(score(without, item).intercept + 1e-9);
  });

  it("would lift it if raters without history counted (why they are left out)", () => {
    const fit = fitModel(twoCamps({ brigade: 50 }).ratings, { ...MODEL_PARAMS, minRaterRatings: 1 });
    expect(score(fit, "BRIGADED").status).toBe("HELPFUL");
  });

  it("does not lift an item once it has built a history on one side", () => {
    // 50 accounts that each also rate five camp-A partisan items helpful: the model puts them in
    // camp A, so their support for a camp-B item is not support from across.
    const pop = twoCamps();
    for (let i = 0; i < 50; i++) {
      pop.ratings.push({ rater: `s${i}`, item: "pb3", value: 1 });
      for (let j = 0; j < 5; j++) pop.ratings.push({ rater: `s${i}`, item: `pa${(i * 7 + j * 13) % 60}`, value: 1 });
    }
    const fit = fitModel(pop.ratings, MODEL_PARAMS);
    expect(fit.ratersExcluded).toBe(0);
    expect(score(fit, "pb3").status).not.toBe("HELPFUL");
  });
});

describe("fitModel edge cases", () => {
  it("scores nothing from no ratings", () => {
    expect(fitModel([], MODEL_PARAMS)).toMatchObject({ items: [], ratingsFitted: 0, converged: true });
  });

  it("unanimous established raters make a helpful item", () => {
    const ratings = [];
    for (let u = 0; u < 6; u++) {
      ratings.push({ rater: `u${u}`, item: "x", value: 1 });
      for (let i = 0; i < 4; i++) ratings.push({ rater: `u${u}`, item: `y${i}`, value: 0 });
    }
    const fit = fitModel(ratings, MODEL_PARAMS);
    expect(score(fit, "x").status).toBe("HELPFUL");
    expect(score(fit, "y0").status).toBe("RATED");
  });
});
