"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import { Field } from "@/app/_components/field";
import type { RevisionSource } from "@/lib/content/revision-input";
import type { PublishedRevision, RevisionPreview } from "@/lib/content/revise-article";
import { ChangeItem, DiffLegend, WordDiff } from "@/app/articles/[slug]/history/diff-view";

/** The frontmatter fields, as the add-article form labels them (lib/content/parse-article.ts's order). */
const FIELDS = [
  { name: "title", label: "Title", required: true },
  { name: "publisher", label: "Publisher (optional)" },
  { name: "section", label: "Section (optional)" },
  { name: "author", label: "Author (optional)" },
  { name: "date", label: "Date (optional)" },
  { name: "caption", label: "Photo caption (optional)" },
  { name: "credit", label: "Photo credit (optional)" },
  { name: "note", label: "Note (optional)" },
] as const;

const FIELD_ORDER = [...FIELDS.map((f) => f.name), "body"];

type Values = Record<string, string>;

function payload(values: Values, baseVersion: number) {
  const fields = Object.fromEntries(Object.entries(values).filter(([k, v]) => v.trim() !== "" || k === "title" || k === "body"));
  return { ...fields, baseVersion };
}

/** Edits the current version's text and fields, previews a word-level diff, and publishes it as the next version. */
export function RevisionForm({ slug, source }: { slug: string; source: RevisionSource }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const previewRef = useRef<HTMLHeadingElement>(null);
  const [baseVersion, setBaseVersion] = useState(source.baseVersion);
  const [values, setValues] = useState<Values>({ ...source.fields, body: source.body });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [preview, setPreview] = useState<RevisionPreview | null>(null);
  const [published, setPublished] = useState<PublishedRevision | null>(null);
  const [busy, setBusy] = useState(false);
  // Each new preview moves focus to its heading, once it is on the page.
  const [previewShown, setPreviewShown] = useState(0);
  useEffect(() => {
    if (previewShown) previewRef.current?.focus();
  }, [previewShown]);
  const set = (name: string) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [name]: e.target.value }));
    setPreview(null);
  };

  async function submit(action: "preview" | "publish") {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    const url = `/api/admin/articles/${encodeURIComponent(slug)}/revision${action === "preview" ? "/preview" : ""}`;
    const res = await send<{ preview?: RevisionPreview; revision?: PublishedRevision }>(url, "POST", payload(values, baseVersion));
    setBusy(false);
    if (!res.ok) {
      setErrors(res.error.fields);
      setMessage({ ok: false, text: res.error.message });
      const first = FIELD_ORDER.find((f) => res.error.fields[f]);
      if (first && res.error.status === 422 && !/^Nothing changed/.test(res.error.message)) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setErrors({});
    if (action === "preview") {
      const p = res.data.preview!;
      setPreview(p);
      const n = p.paragraphs.length + p.fields.length;
      setMessage({ ok: true, text: `Preview: ${n} ${n === 1 ? "change" : "changes"} against version ${p.baseVersion}. Nothing is published yet.` });
      setPreviewShown((n) => n + 1);
      return;
    }
    const r = res.data.revision!;
    setPreview(null);
    setPublished(r);
    setBaseVersion(r.versionNumber);
    setMessage({
      ok: true,
      text: `Published version ${r.versionNumber}. Contributions re-anchored: ${r.reanchored.exact} exact, ${r.reanchored.fuzzy} fuzzy, ${r.reanchored.orphaned} orphaned.`,
    });
    router.refresh();
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void submit("publish");
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="revise-form-title" className="mt-6 space-y-4 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id="revise-form-title" className="font-serif text-xl font-semibold">
        Edit the text (based on version {baseVersion})
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        {FIELDS.map((f) => (
          <Field
            key={f.name}
            id={`revise-${f.name}`}
            name={f.name}
            label={f.label}
            required={"required" in f ? f.required : undefined}
            value={values[f.name] ?? ""}
            onChange={set(f.name)}
            error={errors[f.name]}
          />
        ))}
      </div>
      <div>
        <label htmlFor="revise-body" className="block text-sm font-medium text-stone-900">
          Text
        </label>
        <p id="revise-body-hint" className="mt-1 text-sm text-stone-600">
          Paragraphs separated by a blank line, as in the article files.
        </p>
        <textarea
          id="revise-body"
          name="body"
          required
          rows={16}
          value={values.body}
          onChange={set("body")}
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={["revise-body-hint", errors.body ? "revise-body-error" : null].filter(Boolean).join(" ")}
          className="mt-1 block w-full rounded border border-stone-400 bg-white px-3 py-2 font-serif text-stone-900 focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
        />
        {errors.body && (
          <p id="revise-body-error" className="mt-1 text-sm font-medium text-red-800">
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
          Preview changes
        </button>
        <button
          type="submit"
          disabled={busy}
          className="rounded bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60"
        >
          Publish revision
        </button>
      </div>
      <div role="status" aria-live="polite" className="text-sm">
        {message && (
          <p className={message.ok ? "text-emerald-900" : "font-medium text-red-800"}>
            {message.text}{" "}
            {message.ok && published && !preview && (
              <>
                <Link href={`/articles/${slug}`} className="underline">
                  Open the article
                </Link>{" "}
                ·{" "}
                <Link href={`/articles/${slug}/history`} className="underline">
                  Version history
                </Link>
              </>
            )}
          </p>
        )}
      </div>
      {preview && (
        <section aria-labelledby="revise-preview-title" className="space-y-3 rounded border border-stone-300 bg-stone-50 p-3">
          <h3 id="revise-preview-title" ref={previewRef} tabIndex={-1} className="font-serif text-lg font-semibold focus:outline-none focus:ring-2 focus:ring-amber-500">
            Changes against version {preview.baseVersion} ({preview.counts.before} → {preview.counts.after} paragraphs)
          </h3>
          <DiffLegend />
          {preview.fields.length > 0 && (
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              {preview.fields.map((f) => (
                <div key={f.field} className="contents">
                  <dt className="font-medium text-stone-700">{f.field}</dt>
                  <dd>
                    <WordDiff
                      parts={[
                        ...(f.before ? [{ op: "del" as const, text: f.before }] : []),
                        ...(f.before && f.after ? [{ op: "same" as const, text: " " }] : []),
                        ...(f.after ? [{ op: "ins" as const, text: f.after }] : []),
                      ]}
                    />
                  </dd>
                </div>
              ))}
            </dl>
          )}
          {preview.paragraphs.length === 0 ? (
            <p className="text-sm text-stone-700">No paragraph changes.</p>
          ) : (
            <ul aria-label="Changed paragraphs" className="space-y-3">
              {preview.paragraphs.map((c, i) => (
                <ChangeItem key={i} change={c} />
              ))}
            </ul>
          )}
        </section>
      )}
    </form>
  );
}
