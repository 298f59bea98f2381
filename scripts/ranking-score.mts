// npm run ranking:score — one scoring run now (operators; tests). The same job the background
// loop runs; waits for another instance's run to finish rather than skipping.
import { closeDb } from "@/lib/db/client";
import { scoreContributions } from "@/lib/ranking/score-contributions";

try {
  let run = await scoreContributions("operator");
  for (let i = 0; !run && i < 60; i++) {
    console.log("[ranking] another instance is scoring; waiting…");
    await new Promise((r) => setTimeout(r, 2000));
    run = await scoreContributions("operator");
  }
  if (!run) throw new Error("another instance kept the scoring lock for two minutes");
  console.log(JSON.stringify(run, null, 2));
} catch (err) {
  console.error(`[ranking] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
