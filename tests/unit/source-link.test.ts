import { describe, expect, it } from "vitest";
import { sourceSchema } from "@/lib/annotations/schemas";
import { bareDoi, doiUrl, sourceColumns, sourceDomainOf } from "@/lib/annotations/source-link";
import { firstLineText } from "@/lib/text/render-body";
import { BAD_URLS } from "./bad-urls";

/** Sources as objects: the derived domain, DOIs as people write them, and each field's check. */

describe("sourceDomainOf", () => {
  it("is the host, lower case, without a leading www.", () => {
    expect(sourceDomainOf("https://WWW.TheGuardian.com/world/2024?x=1#y")).toBe("theguardian.com");
    expect(sourceDomainOf("http://user.example.org:8080/a")).toBe("user.example.org");
    expect(sourceDomainOf("https://www2.example.org/")).toBe("www2.example.org");
    expect(sourceDomainOf("https://xn--80ak6aa92e.com/")).toBe("xn--80ak6aa92e.com");
    expect(sourceDomainOf("not a url")).toBeNull();
  });
});

describe("DOIs", () => {
  it.each([
    ["10.1000/xyz123", "10.1000/xyz123"],
    ["doi:10.1038/nphys1170", "10.1038/nphys1170"],
    ["https://doi.org/10.1126/science.169.3946.635", "10.1126/science.169.3946.635"],
    ["http://dx.doi.org/10.1002/(SICI)1097-4571", "10.1002/(SICI)1097-4571"],
  ])("%s is the DOI %s", (typed, doi) => {
    expect(bareDoi(typed)).toBe(doi);
    expect(doiUrl(typed)).toBe(`https://doi.org/${doi.split("/").map(encodeURIComponent).join("/")}`);
  });

  it.each(["", "10.12/x", "11.1000/x", "10.1000/", "10.1000/a b", "https://example.org/10.1000/x", "javascript:10.1000/x"])(
    "%j is not a DOI",
    (typed) => expect(bareDoi(typed)).toBeNull(),
  );
});

describe("sourceSchema", () => {
  const base = { url: "https://example.org/report", stance: "REFUTES" };

  it("keeps what was typed, and drops optional fields left empty or blank", () => {
    expect(sourceSchema.parse({ ...base, doi: "doi:10.1000/x", archiveUrl: "https://archive.ph/abc", quote: "  Exactly\nthis  " })).toEqual({
      ...base,
      doi: "doi:10.1000/x",
      archiveUrl: "https://archive.ph/abc",
      quote: "  Exactly\nthis  ",
    });
    expect(sourceSchema.parse({ ...base, title: " ", doi: "", archiveUrl: "  ", quote: "" })).toEqual(base);
  });

  it("checks the archived copy's address like the source's (empty means none given)", () => {
    for (const bad of BAD_URLS.filter((u) => u.trim() !== "")) {
      const r = sourceSchema.safeParse({ ...base, archiveUrl: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(["archiveUrl"]);
    }
  });

  it("names the field of a bad DOI or an overlong quote", () => {
    const doi = sourceSchema.safeParse({ ...base, doi: "see the paper" });
    expect(doi.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["doi", "must be a DOI like 10.1234/abcd"]]);
    const quote = sourceSchema.safeParse({ ...base, quote: "x".repeat(1001) });
    expect(quote.error!.issues[0]!.path).toEqual(["quote"]);
  });

  it("stores the domain beside the URL", () => {
    expect(sourceColumns(sourceSchema.parse({ ...base, url: "https://www.Example.org/a" }))).toMatchObject({ sourceDomain: "example.org", sourceUrl: "https://www.Example.org/a" });
  });
});

describe("firstLineText", () => {
  it("is the first line as plain text", () => {
    expect(firstLineText("**Rents** rose in [Tbilisi](https://example.org) by `40%`.\nMore.")).toBe("Rents rose in Tbilisi by 40%.");
    expect(firstLineText("\n\n> Quoted first\n> still quoted")).toBe("Quoted first");
    expect(firstLineText("- first item\n- second")).toBe("first item");
    expect(firstLineText("<script>alert(1)</script>")).toBe("<script>alert(1)</script>");
    expect(firstLineText("")).toBe("");
  });

  it("cuts long lines at a word, with an ellipsis, never inside a surrogate pair", () => {
    const long = "word ".repeat(60);
    const cut = firstLineText(long, 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith("word…")).toBe(true);
    const emoji = "😀".repeat(40);
    const e = firstLineText(emoji, 21);
    expect(e.endsWith("😀…")).toBe(true);
  });
});
