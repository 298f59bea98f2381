import type { SourceDto } from "@/lib/annotations/dto";
import { doiUrl } from "@/lib/annotations/source-link";
import type { Stance } from "@/lib/annotations/limits";
import { isSafeHttpUrl } from "@/lib/text/url";
import { REPLY_STANCE_LABEL, STANCE_LABEL } from "./labels";

const link = "break-words font-medium text-blue-800 underline";
const rel = "nofollow ugc noopener noreferrer";

/**
 * A source link as readers and moderators see it: its title (or address) and domain, its stance,
 * the DOI and archived copy when given, and the passage quoted from it. Every address was checked
 * when it was stored and is checked again here before it becomes a link.
 */
export function SourceView({ source, reply = false }: { source: SourceDto; reply?: boolean }) {
  const stance = (reply ? REPLY_STANCE_LABEL : STANCE_LABEL)[source.stance as Stance] ?? source.stance;
  const doiHref = source.doi ? doiUrl(source.doi) : null;
  const archived = source.archiveUrl && isSafeHttpUrl(source.archiveUrl) ? source.archiveUrl : null;
  return (
    <div className="mt-2 text-sm" data-source>
      <p>
        {isSafeHttpUrl(source.url) ? (
          <a href={source.url} rel={rel} target="_blank" className={link}>
            {source.title || source.url}
          </a>
        ) : (
          <span className="break-words">{source.title || source.url}</span>
        )}{" "}
        {source.domain && (
          <span className="whitespace-nowrap rounded bg-stone-100 px-1 text-xs text-stone-800" data-source-domain>
            {source.domain}
          </span>
        )}{" "}
        <span className="whitespace-nowrap text-xs text-stone-700">· {stance}</span>
      </p>
      {(doiHref || archived) && (
        <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-stone-700">
          {doiHref && (
            <span>
              DOI{" "}
              <a href={doiHref} rel={rel} target="_blank" className={link}>
                {source.doi}
              </a>
            </span>
          )}
          {archived && (
            <a href={archived} rel={rel} target="_blank" className={link}>
              Archived copy
            </a>
          )}
        </p>
      )}
      {source.quote && (
        <blockquote className="mt-1 whitespace-pre-line break-words border-l-4 border-emerald-400 bg-emerald-50 px-2 py-1 text-sm text-stone-800">
          <span className="sr-only">Quoted from the source: </span>
          {source.quote}
        </blockquote>
      )}
    </div>
  );
}
