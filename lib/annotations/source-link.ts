import type { SourceInput } from "./schemas";

/**
 * A source link as an object: its URL (and the domain shown beside it), an optional DOI, the
 * address of an archived copy and the passage quoted from the source. What the author typed is
 * stored as typed; what is derived (the domain, the DOI's resolver link) is computed here.
 */

/** The host of an http(s) URL, lower case, without a leading "www.": "theguardian.com". */
export function sourceDomainOf(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

/**
 * A DOI as people write it: bare ("10.1234/abc"), with "doi:" in front, or as a doi.org
 * address. The registrant code is "10." and 4–9 digits (Crossref's pattern), then a suffix
 * without white space.
 */
const DOI = /^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i;

/** The bare DOI ("10.1234/abc") in what the author typed, or null when it is not a DOI. */
export function bareDoi(value: string): string | null {
  const m = DOI.exec(value);
  return m ? m[1]! : null;
}

/** Where a DOI resolves: https://doi.org/<doi>, with the characters a URL path needs escaped. */
export function doiUrl(value: string): string | null {
  const doi = bareDoi(value);
  return doi ? `https://doi.org/${doi.split("/").map(encodeURIComponent).join("/")}` : null;
}

/** A contribution's source columns for a validated source (all null for a contribution without one). */
export function sourceColumns(source: SourceInput | undefined) {
  return {
    sourceUrl: source?.url ?? null,
    sourceTitle: source?.title ?? null,
    stance: source?.stance ?? null,
    sourceDomain: source ? sourceDomainOf(source.url) : null,
    sourceDoi: source?.doi ?? null,
    sourceArchiveUrl: source?.archiveUrl ?? null,
    sourceQuote: source?.quote ?? null,
  };
}

/** The revision row (ContributionRevision) that records this text as `version`. */
export function revisionColumns(body: string, source: SourceInput | undefined, version: number) {
  const { sourceDomain: _derived, ...src } = sourceColumns(source);
  return { version, body, ...src };
}
