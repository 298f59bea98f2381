import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { renderBody } from "@/lib/text/render-body";
import { BAD_URLS } from "./bad-urls";

const render = (text: string) => renderToStaticMarkup(<>{renderBody(text)}</>);

const XSS_PAYLOADS: readonly string[] = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.com/x.js></SCRIPT>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<img src=x onerror=alert(1)>",
  "<IMG SRC=\"javascript:alert('XSS');\">",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  '"><iframe src="javascript:alert(1)"></iframe>',
  "'><iframe srcdoc='<script>alert(1)</script>'>",
  "<a href=\"javascript:alert(1)\">click</a>",
  "<body onload=alert(1)>",
  "<div style=\"background:url(javascript:alert(1))\">x</div>",
  "<input autofocus onfocus=alert(1)>",
  "<details open ontoggle=alert(1)>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
  "<embed src=javascript:alert(1)>",
  "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
  "<!--<img src=x onerror=alert(1)>-->",
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](data:text/html,<script>alert(1)</script>)",
  "[x](vbscript:msgbox(1))",
  "[x](//evil.com)",
  "[x](https://example.com\"onmouseover=\"alert(1))",
  "[x](https://example.com'onmouseover='alert(1))",
  "[<img src=x onerror=alert(1)>](https://example.com)",
  "**<script>alert(1)</script>**",
  "*<img src=x onerror=alert(1)>*",
  "`<script>alert(1)</script>`",
  "> <svg onload=alert(1)>",
  "- <iframe src=https://evil.com></iframe>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "\u003cscript\u003ealert(1)\u003c/script\u003e",
  "<a href=https://example.com onclick=alert(1)>x</a>",
  ...BAD_URLS.filter((u) => !/[\s)\]]/.test(u) && u).map((u) => `[link](${u})`),
];

/** Every real tag in the markup (text content cannot contain a raw `<`: React escapes it). */
const tags = (html: string) => html.match(/<[^>]*>/g) ?? [];

describe("renderBody: user text cannot become markup", () => {
  it("has a long list of payloads to try", () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(XSS_PAYLOADS.map((p) => [JSON.stringify(p), p]))("renders %s harmlessly", (_label, payload) => {
    const html = render(payload);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toMatch(/<(object|embed|meta|style|body|input|details|math|div)\b/i);
    for (const tag of tags(html)) {
      expect(tag).toMatch(/^<\/?(p|br|strong|em|code|blockquote|ul|li|a)\b/);
      expect(tag, "no event handler attribute").not.toMatch(/\son[a-z]+\s*=/i);
      expect(tag, "no style attribute").not.toMatch(/\sstyle\s*=/i);
    }
    expect(html).not.toMatch(/href\s*=\s*"?\s*(javascript|data|vbscript|file):/i);
    for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https?:\/\//i);
  });

  it("shows markup as escaped text", () => {
    expect(render("<script>alert(1)</script>")).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(render("<img src=x onerror=alert(1)>")).toBe("<p>&lt;img src=x onerror=alert(1)&gt;</p>");
    expect(render('"><iframe src=x>')).toContain("&quot;&gt;&lt;iframe src=x&gt;");
  });

  it("shows a link with an unsafe URL as plain text", () => {
    expect(render("[x](javascript:alert(1))")).toBe("<p>[x](javascript:alert(1))</p>");
    expect(render("[x](//evil.com)")).toBe("<p>[x](//evil.com)</p>");
  });

  it("keeps a quote inside an allowed href from breaking out of the attribute", () => {
    const html = render('[x](https://example.com"onmouseover="alert(1))');
    expect(tags(html).join("")).not.toMatch(/\sonmouseover=/i);
  });
});

describe("renderBody: the markdown subset", () => {
  it("renders **bold**, *italic*, _italic_ and `code`", () => {
    expect(render("a **bold** b *it* c _em_ d `x < y`")).toBe(
      "<p>a <strong>bold</strong> b <em>it</em> c <em>em</em> d <code>x &lt; y</code></p>",
    );
  });

  it("renders [text](https://…) as a link that does not pass rank or the opener", () => {
    const html = render("see [the report](https://x.org/report?a=1&b=2) here");
    const a = /<a [^>]*>[^<]*<\/a>/.exec(html)?.[0] ?? "";
    expect(a).toContain('href="https://x.org/report?a=1&amp;b=2"');
    const rel = /rel="([^"]*)"/.exec(a)?.[1]?.split(/\s+/) ?? [];
    expect(rel).toEqual(expect.arrayContaining(["nofollow", "noopener"]));
    expect(a).toContain(">the report</a>");
    expect(html.startsWith("<p>see <a ")).toBe(true);
    expect(html.endsWith("</a> here</p>")).toBe(true);
  });

  it("links to a URL with balanced parentheses in full (Wikipedia-style sources)", () => {
    const html = render("[Foo](https://en.wikipedia.org/wiki/Foo_(bar)) is cited");
    expect(html).toBe(
      '<p><a href="https://en.wikipedia.org/wiki/Foo_(bar)" rel="nofollow ugc noopener noreferrer" target="_blank">Foo</a> is cited</p>',
    );
  });

  it("leaves underscores inside words alone (identifiers, URLs written as text)", () => {
    expect(render("snake_case_name")).toBe("<p>snake_case_name</p>");
    expect(render("see https://example.com/a_b_c")).toBe("<p>see https://example.com/a_b_c</p>");
    expect(render("but _this_ is emphasis")).toBe("<p>but <em>this</em> is emphasis</p>");
  });

  it('renders "> " lines as a quote', () => {
    expect(render("> quoted line\n> second line\n\nafter")).toBe(
      "<blockquote>quoted line<br/>second line</blockquote><p>after</p>",
    );
  });

  it('renders "- " lines as a list', () => {
    expect(render("- one\n- **two**\n- three")).toBe("<ul><li>one</li><li><strong>two</strong></li><li>three</li></ul>");
  });

  it("splits paragraphs on blank lines and keeps single line breaks", () => {
    expect(render("first\nline\n\nsecond")).toBe("<p>first<br/>line</p><p>second</p>");
    expect(render("")).toBe("");
  });
});
