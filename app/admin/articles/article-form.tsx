"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import { Field } from "@/app/_components/field";

/** The optional frontmatter fields, in the order the article files list them (lib/content/parse-article.ts). */
const OPTIONAL_FIELDS = [
  { name: "publisher", label: "Publisher", hint: "e.g. The Moscow Times" },
  { name: "section", label: "Section", hint: "e.g. Opinion" },
  { name: "author", label: "Author" },
  { name: "date", label: "Date", hint: "As the publication gives it, e.g. Oct. 2, 2023" },
  { name: "caption", label: "Photo caption" },
  { name: "credit", label: "Photo credit" },
  { name: "note", label: "Note", hint: "Shown under the article, e.g. a disclaimer" },
] as const;

const FIELD_ORDER = ["slug", "title", ...OPTIONAL_FIELDS.map((f) => f.name), "body"];

interface Preview {
  frontmatter: Record<string, string>;
  paragraphs: { position: number; anchorId: string; text: string }[];
}

type Values = Record<string, string>;

/** The fields as the API takes them: empty optional fields left out, never sent as "". */
function payload(values: Values): Values {
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => v.trim() !== "" || k === "slug" || k === "title" || k === "body"));
}

/** Adds an article (admins): the same fields and text as a file in content/articles, previewed before it is published. */
export function ArticleForm() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>({ slug: "", title: "", body: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string; slug?: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  function showErrors(fields: Record<string, string>) {
    setErrors(fields);
    const first = FIELD_ORDER.find((f) => fields[f]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }

  async function submit(action: "preview" | "publish") {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    const url = action === "preview" ? "/api/admin/articles/preview" : "/api/admin/articles";
    const res = await send<{ preview?: Preview; article?: { slug: string; title: string; paragraphs: number } }>(url, "POST", payload(values));
    setBusy(false);
    if (!res.ok) {
      showErrors(res.error.fields);
      setMessage({ ok: false, text: res.error.message });
      return;
    }
    setErrors({});
    if (action === "preview") {
      setPreview(res.data.preview ?? null);
      setMessage({ ok: true, text: `Preview: ${res.data.preview?.paragraphs.length ?? 0} paragraphs. Nothing is published yet.` });
      return;
    }
    const a = res.data.article!;
    setPreview(null);
    setValues({ slug: "", title: "", body: "" });
    setMessage({ ok: true, text: `Published “${a.title}” (${a.paragraphs} ${a.paragraphs === 1 ? "paragraph" : "paragraphs"}).`, slug: a.slug });
    router.refresh();
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void submit("publish");
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="add-article-title" className="mt-4 space-y-4 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id="add-article-title" className="font-serif text-xl font-semibold">
        Add an article
      </h2>
      <p className="text-sm text-stone-700">
        The same fields and text as a file in <code>content/articles/</code>: only the slug, the title and the text are required;
        leave out what the publication does not say. Publishing is written to the audit log.
      </p>
      <Field
        id="article-slug"
        name="slug"
        label="Slug (the address: /articles/<slug>)"
        hint="Lower-case letters, digits and hyphens; it cannot be changed later."
        required
        maxLength={100}
        value={values.slug}
        onChange={set("slug")}
        error={errors.slug}
        autoComplete="off"
        spellCheck={false}
      />
      <Field id="article-title" name="title" label="Title" required maxLength={300} value={values.title} onChange={set("title")} error={errors.title} />
      <div className="grid gap-4 sm:grid-cols-2">
        {OPTIONAL_FIELDS.map((f) => (
          <Field
            key={f.name}
            id={`article-${f.name}`}
            name={f.name}
            label={`${f.label} (optional)`}
            hint={"hint" in f ? f.hint : undefined}
            value={values[f.name] ?? ""}
            onChange={set(f.name)}
            error={errors[f.name]}
          />
        ))}
      </div>
      <div>
        <label htmlFor="article-body" className="block text-sm font-medium text-stone-900">
          Text
        </label>
        <p id="article-body-hint" className="mt-1 text-sm text-stone-600">
          Paragraphs separated by a blank line, as in the article files. Each paragraph gets its own ¶ anchor.
        </p>
        <textarea
          id="article-body"
          name="body"
          required
          rows={12}
          value={values.body}
          onChange={set("body")}
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={["article-body-hint", errors.body ? "article-body-error" : null].filter(Boolean).join(" ")}
          className="mt-1 block w-full rounded border border-stone-400 bg-white px-3 py-2 font-serif text-stone-900 focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
        />
        {errors.body && (
          <p id="article-body-error" className="mt-1 text-sm font-medium text-red-800">
            {errors.body}
          </p>
        )}
      </div>
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          onClick={() => void submit("preview")}
          disabled={busy}
          className="rounded border border-stone-500 bg-white px-4 py-2 text-sm font-medium text-stone-900 hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60"
        >
          Preview paragraphs
        </button>
        <button
          type="submit"
          disabled={busy}
          className="rounded bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60"
        >
          Publish article
        </button>
      </div>
      <div role="status" aria-live="polite" className="text-sm">
        {message && (
          <p className={message.ok ? "text-emerald-900" : "font-medium text-red-800"}>
            {message.text}{" "}
            {message.slug && (
              <Link href={`/articles/${message.slug}`} className="underline">
                Open it
              </Link>
            )}
          </p>
        )}
      </div>
      {preview && (
        <section aria-labelledby="preview-title" className="rounded border border-stone-300 bg-stone-50 p-3">
          <h3 id="preview-title" className="font-serif text-lg font-semibold">
            Preview: {preview.frontmatter.title}
          </h3>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            {Object.entries(preview.frontmatter)
              .filter(([k]) => k !== "title")
              .map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="font-medium text-stone-700">{k}</dt>
                  <dd className="text-stone-900">{v}</dd>
                </div>
              ))}
          </dl>
          <ol className="mt-3 space-y-2 font-serif text-stone-900">
            {preview.paragraphs.map((p) => (
              <li key={p.anchorId}>
                <span className="font-mono text-xs text-stone-600">¶ {p.anchorId}</span>
                <p className="whitespace-pre-line">{p.text}</p>
              </li>
            ))}
          </ol>
        </section>
      )}
    </form>
  );
}
