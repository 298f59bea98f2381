import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://localhost:3300";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
async function ctx(width: number, height: number, who?: string) {
  const c = await browser.newContext({ viewport: { width, height } });
  const p = await c.newPage();
  if (who) {
    await p.goto(`${base}/signin`);
    await p.getByLabel("Email", { exact: true }).fill(`${who}@example.org`);
    await p.getByLabel("Password", { exact: true }).fill(`${who}-password`);
    await p.getByRole("button", { name: "Sign in", exact: true }).click();
    await p.waitForURL((u) => !u.pathname.startsWith("/signin"));
  }
  return p;
}
const slug = "western-hostility-to-russian-exiles-plays-into-putins-hands";
const r = await ctx(1440, 900, "reader");
await r.goto(`${base}/`);
await r.screenshot({ path: "/tmp/shots/home-1440.png", fullPage: true });
const href = await r.locator("a[href^='/articles/']").first().getAttribute("href");
await r.goto(`${base}${href}`);
const article = r.locator("[data-article-slug]");
const realSlug = await article.getAttribute("data-article-slug");
const anchor = await r.locator("section[id^='p-']").nth(1).getAttribute("id");
const t = await r.evaluate(async ([s, a]) => {
  const html = document.documentElement.innerHTML;
  const m = /versionId\\*"\s*:\s*\\*"([0-9a-f-]{36})/.exec(html);
  const text = document.querySelector(`[data-paragraph-text="${a}"]`)!.textContent!;
  for (const [kind, body] of [["ANNOTATION", "An annotation to look at: the estimate comes from independent researchers."], ["COUNTERPOINT", "A counterpoint: others count far fewer who left for good."]]) {
    await fetch(`/api/articles/${s}/contributions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ anchorId: a, versionId: m![1], kind, body, selector: { start: 0, end: text.length, exact: text } }) });
    await new Promise((res) => setTimeout(res, 31000));
  }
  return m![1];
}, [realSlug, anchor]);
console.log("version", t);
await r.reload();
await r.getByRole("button", { name: /^Discuss paragraph 2:/ }).click();
await r.waitForTimeout(800);
await r.screenshot({ path: "/tmp/shots/article-open-1440.png", fullPage: false });
const m = await ctx(390, 844, "reader");
await m.goto(`${base}${href}#${anchor}`);
await m.getByRole("button", { name: /^Discuss paragraph 2:/ }).click();
await m.waitForTimeout(800);
await m.screenshot({ path: "/tmp/shots/article-open-390.png", fullPage: false });
console.log("overflow390", await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth));
await m.getByRole("button", { name: "Respond" }).click();
await m.waitForTimeout(300);
await m.screenshot({ path: "/tmp/shots/article-form-390.png", fullPage: false });
await r.goto(`${base}/search?q=estimate`);
await r.screenshot({ path: "/tmp/shots/search-1440.png", fullPage: true });
const person = await r.locator("a[href^='/people/']").first().getAttribute("href").catch(() => null);
if (person) { await r.goto(`${base}${person}`); await r.screenshot({ path: "/tmp/shots/person-1440.png", fullPage: true }); }
const a = await ctx(1440, 900, "admin");
await a.goto(`${base}/admin/articles`);
await a.screenshot({ path: "/tmp/shots/admin-articles-1440.png", fullPage: true });
await browser.close();
