"use client";

import dynamic from "next/dynamic";
import { useViewer } from "./use-viewer";

// Fetched only for a reader it is for, not with every page (docs/decisions/0047-session-reader.md).
const EmailConfirmation = dynamic(() => import("./email-confirmation").then((m) => m.EmailConfirmation));

/** For signed-in readers who have not confirmed their address yet: a reminder and "send it again". */
export function VerifyEmailBanner() {
  const { viewer } = useViewer();
  if (!viewer || viewer.emailVerified !== false) return null;
  return <EmailConfirmation />;
}
