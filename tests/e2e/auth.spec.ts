import { ARTICLE_PATH, createUser, expect, newUserData, siteHeader, signInThroughForm, test } from "./fixtures";

test.describe("accounts", () => {
  test("sign up through the form, sign out, sign in again; a wrong password is refused", async ({ page, consoleGuard }) => {
    const user = newUserData("Ada");
    const header = siteHeader(page);

    await page.goto("/signup");
    await page.getByLabel("Display name").fill(user.name);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();

    // Signing up also signs in.
    await expect(header).toContainText(`Signed in as ${user.name}`);

    await header.getByRole("button", { name: "Sign out" }).click();
    await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(header).not.toContainText("Signed in as");

    await signInThroughForm(page, user);
    await header.getByRole("button", { name: "Sign out" }).click();
    await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();

    // A wrong password: next-auth answers 401, the form says why and stays signed out.
    consoleGuard.allowFailedRequest(401, /\/api\/auth\/callback\/credentials/);
    await page.goto("/signin");
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(`${user.password}-wrong`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
    await page.reload();
    await expect(header).not.toContainText("Signed in as");
  });

  test("sign-up explains a short password and an email that is already registered", async ({ page, request, consoleGuard }) => {
    consoleGuard.allowFailedRequest(422, /\/api\/signup$/);
    consoleGuard.allowFailedRequest(409, /\/api\/signup$/);
    const header = siteHeader(page);
    const fresh = newUserData("Short");

    await page.goto("/signup");
    await page.getByLabel("Display name").fill(fresh.name);
    await page.getByLabel("Email", { exact: true }).fill(fresh.email);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();

    const password = page.getByLabel("Password", { exact: true });
    await expect(page.getByText("Password must be at least 10 characters.")).toBeVisible();
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveAccessibleDescription(/Password must be at least 10 characters\./);
    await expect(page.getByRole("alert").filter({ hasText: "Please correct the fields below." })).toBeVisible();
    await expect(header).not.toContainText("Signed in as");

    const existing = await createUser(request, "Taken");
    await page.getByLabel("Display name").fill("Someone else");
    await page.getByLabel("Email", { exact: true }).fill(existing.email.toUpperCase());
    await page.getByLabel("Password", { exact: true }).fill("a-long-enough-password");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByRole("alert").filter({ hasText: "already exists" })).toBeVisible();
    await expect(page.getByLabel("Email", { exact: true })).toHaveAccessibleDescription(/Email is already registered\./);
    await expect(page).toHaveURL(/\/signup/);
    await expect(header).not.toContainText("Signed in as");
  });

  test("a signed-out reader asks nothing about a session; the header follows a sign-in and sign-out in another tab", async ({ page, request, consoleGuard }) => {
    const user = await createUser(request, "Tabs");
    const sessionReads: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/auth/session") sessionReads.push(r.url());
    });
    await page.goto(ARTICLE_PATH);
    const header = siteHeader(page);
    // Shown once the reader has decided; had it asked, "Sign in" would wait for the answer.
    await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
    // Shown again: a signed-out tab does not re-read either (docs/decisions/0047-session-reader.md).
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    expect(sessionReads).toEqual([]);

    // A second tab of the same browser signs in; the first one shows it without a reload.
    const other = await page.context().newPage();
    consoleGuard.watch(other, "second tab");
    await signInThroughForm(other, user);
    await expect(header).toContainText(`Signed in as ${user.name}`);
    expect(sessionReads.length).toBeGreaterThan(0);

    // And the sign-out there.
    await siteHeader(other).getByRole("button", { name: "Sign out" }).click();
    await expect(siteHeader(other).getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(header).not.toContainText("Signed in as");
    await other.close();
  });
});
