import { requireAdmin } from "@/lib/auth/session";
import { AppError } from "@/lib/http/errors";
import { handler, json } from "@/lib/http/respond";
import { scoreContributions } from "@/lib/ranking/score-contributions";

/** POST: an admin scores now (what `npm run ranking:score` does); 409 while another run holds the lock. */
export const POST = handler(async () => {
  await requireAdmin();
  const run = await scoreContributions("operator");
  if (!run) throw new AppError("conflict", "A scoring run is already under way. Try again in a moment.");
  return json({ run }, 201);
});
