/** Pseudonyms (keyed HMAC-SHA256 of the user id) and the key fingerprint a manifest shows. */
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyFingerprint, newStudyKey, pseudonymizer, pseudonymOf } from "@/lib/research/pseudonym";

const KEY_A = new Uint8Array(32).fill(1);
const KEY_B = new Uint8Array(32).fill(2);
const ALICE = "6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab";
const BOB = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f12345678";

describe("pseudonymOf", () => {
  it("is 32 lowercase hex characters", () => {
    for (const key of [KEY_A, KEY_B, newStudyKey()]) {
      for (const id of [ALICE, BOB]) expect(pseudonymOf(key, id)).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it("is deterministic for a key and a person", () => {
    expect(pseudonymOf(KEY_A, ALICE)).toBe(pseudonymOf(KEY_A, ALICE));
    expect(pseudonymOf(new Uint8Array(KEY_A), ALICE)).toBe(pseudonymOf(KEY_A, ALICE));
  });

  it("differs between people and between keys (studies)", () => {
    expect(pseudonymOf(KEY_A, ALICE)).not.toBe(pseudonymOf(KEY_A, BOB));
    expect(pseudonymOf(KEY_A, ALICE)).not.toBe(pseudonymOf(KEY_B, ALICE));
    const k1 = newStudyKey();
    const k2 = newStudyKey();
    expect(pseudonymOf(k1, ALICE)).not.toBe(pseudonymOf(k2, ALICE));
  });

  it("is the documented method: HMAC-SHA256(key, lowercase user id), first 128 bits, hex", () => {
    const expected = createHmac("sha256", KEY_A).update(ALICE).digest("hex").slice(0, 32);
    expect(pseudonymOf(KEY_A, ALICE)).toBe(expected);
    expect(pseudonymOf(KEY_A, ALICE.toUpperCase())).toBe(expected);
  });

  it("does not contain the user id", () => {
    const p = pseudonymOf(KEY_A, ALICE);
    expect(ALICE.replaceAll("-", "")).not.toContain(p);
    expect(p).not.toContain(ALICE.slice(0, 8));
  });
});

describe("pseudonymizer", () => {
  it("gives the same pseudonyms as pseudonymOf and null for no one", () => {
    const p = pseudonymizer(KEY_A);
    expect(p(ALICE)).toBe(pseudonymOf(KEY_A, ALICE));
    expect(p(ALICE)).toBe(pseudonymOf(KEY_A, ALICE));
    expect(p(BOB)).toBe(pseudonymOf(KEY_A, BOB));
    expect(p(null)).toBeNull();
  });
});

describe("keyFingerprint and newStudyKey", () => {
  it("is sha256: and 64 lowercase hex, the key's sha256, never the key", () => {
    const key = newStudyKey();
    const fp = keyFingerprint(key);
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fp).toBe(`sha256:${createHash("sha256").update(key).digest("hex")}`);
    const keyHex = Buffer.from(key).toString("hex");
    const keyB64 = Buffer.from(key).toString("base64");
    expect(fp).not.toContain(keyHex);
    expect(fp).not.toContain(keyB64);
    expect(fp.slice("sha256:".length)).not.toBe(keyHex);
  });

  it("is deterministic and differs between keys", () => {
    expect(keyFingerprint(KEY_A)).toBe(keyFingerprint(new Uint8Array(KEY_A)));
    expect(keyFingerprint(KEY_A)).not.toBe(keyFingerprint(KEY_B));
  });

  it("makes 32-byte random keys", () => {
    const a = newStudyKey();
    const b = newStudyKey();
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a.length).toBe(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
