import { describe, expect, it } from "vitest";
import { ContributionStatus, ModerationAction } from "@/lib/generated/prisma/enums";
import { decisionSchema } from "@/lib/moderation/schemas";
import {
  allowedDecisions,
  DECISION_LABEL,
  DECISIONS,
  needsReason,
  transition,
} from "@/lib/moderation/status-machine";
import { EXPECTED_TRANSITIONS } from "../integration/support/status-table";

/**
 * The moderation status machine, cell by cell: every (status, decision) pair is listed here
 * with its expected outcome (tests/integration/support/status-table.ts), so adding a status
 * or a decision without deciding its rules fails this file. The same table drives the
 * integration test through decide().
 */

type Status = keyof typeof ContributionStatus;

const EXPECTED = EXPECTED_TRANSITIONS;

const statuses = Object.values(ContributionStatus) as Status[];
const cells = statuses.flatMap((from) => DECISIONS.map((d) => [from, d, EXPECTED[from][d]] as const));

describe("the table covers the schema", () => {
  it("lists every status of the database enum and every decision", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...statuses].sort());
    for (const s of statuses) expect(Object.keys(EXPECTED[s]).sort()).toEqual([...DECISIONS].sort());
    expect(cells).toHaveLength(statuses.length * DECISIONS.length);
  });

  it("has decisions that are all audit-log actions, each with a label", () => {
    for (const d of DECISIONS) {
      expect(Object.values(ModerationAction)).toContain(d);
      expect(DECISION_LABEL[d]).toMatch(/\S/);
    }
  });
});

describe("transition()", () => {
  it.each(cells.filter(([, , to]) => to !== null))("allows %s --%s--> %s", (from, decision, to) => {
    expect(transition(from, decision)).toBe(to);
  });

  it.each(cells.filter(([, , to]) => to === null))("refuses %s --%s--> (null)", (from, decision) => {
    expect(transition(from, decision)).toBeNull();
  });

  it("never leads to PENDING: only an edit under pre-moderation does that", () => {
    for (const [from, d] of cells) expect(transition(from, d)).not.toBe("PENDING");
  });

  it("changes the status for every allowed decision except KEEP, which keeps it published", () => {
    for (const [from, d, to] of cells) {
      if (to === null) continue;
      if (d === "KEEP") expect([from, to]).toEqual(["PUBLISHED", "PUBLISHED"]);
      else expect(to).not.toBe(from);
    }
  });
});

describe("allowedDecisions()", () => {
  it.each(statuses)("offers exactly the allowed decisions from %s, in the table's order", (from) => {
    const expected = DECISIONS.filter((d) => EXPECTED[from][d] !== null);
    expect(allowedDecisions(from)).toEqual(expected);
    for (const d of allowedDecisions(from)) expect(transition(from, d)).not.toBeNull();
  });

  it("leaves no status without a way out", () => {
    for (const s of statuses) expect(allowedDecisions(s).length).toBeGreaterThan(0);
  });
});

describe("needsReason()", () => {
  it("asks for a reason for hide and reject only (the author reads it)", () => {
    expect(DECISIONS.filter(needsReason)).toEqual(["HIDE", "REJECT"]);
  });
});

describe("decisionSchema", () => {
  const item = { id: "7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", version: 1 };

  it.each(DECISIONS)("accepts the decision %s", (decision) => {
    expect(decisionSchema.safeParse({ decision, items: [item] }).success).toBe(true);
  });

  it.each(["AUTO_HIDE", "REQUEUE_EDIT", "APPEAL_UPHELD", "SUSPEND", "publish", ""])("refuses %j, which is not a moderator's decision", (decision) => {
    expect(decisionSchema.safeParse({ decision, items: [item] }).success).toBe(false);
  });

  it("needs at least one item, each with a uuid and a version >= 1", () => {
    expect(decisionSchema.safeParse({ decision: "KEEP", items: [] }).success).toBe(false);
    expect(decisionSchema.safeParse({ decision: "KEEP", items: [{ id: "x", version: 1 }] }).success).toBe(false);
    expect(decisionSchema.safeParse({ decision: "KEEP", items: [{ ...item, version: 0 }] }).success).toBe(false);
  });

  it("treats a blank reason as no reason (decide() then refuses hide/reject without one)", () => {
    const r = decisionSchema.parse({ decision: "HIDE", reason: "   ", items: [item] });
    expect(r.reason).toBeUndefined();
  });
});
