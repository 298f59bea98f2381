"use client";

import { signOut } from "./session";

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => void signOut(window.location.pathname)}
      className="rounded border border-stone-300 px-3 py-1.5 text-stone-800 hover:bg-stone-100"
    >
      Sign out
    </button>
  );
}
