// Which language an email or a page speaks (ARCHITECTURE.md, "Languages"): the account's own field, then the
// request's Accept-Language, then the site's default. Pure: the shipped locales are passed in.

/** The languages of an Accept-Language header, best first (q=0 ones dropped), lower-cased. */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter(({ tag, q }) => tag && tag !== '*' && q > 0 && /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/.test(tag))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(({ tag }) => tag);
}

/** The shipped locale a language tag names (`fr-CA` → `fr`), or null. */
export function matchLocale(tag: unknown, available: readonly string[]): string | null {
  if (typeof tag !== 'string' || !tag) return null;
  const wanted = tag.trim().toLowerCase().replace('_', '-');
  return available.find((code) => code === wanted) ?? available.find((code) => code === wanted.split('-')[0]) ?? null;
}

/** The first candidate that names a shipped locale, else the fallback. */
export function chooseLocale(candidates: Array<string | null | undefined>, available: readonly string[], fallback: string): string {
  for (const candidate of candidates) {
    const found = matchLocale(candidate, available);
    if (found) return found;
  }
  return fallback;
}

/** The shipped locale a request's Accept-Language asks for, or null when it names none of them. */
export const localeOfRequest = (header: string | null | undefined, available: readonly string[]) =>
  acceptedLanguages(header)
    .map((tag) => matchLocale(tag, available))
    .find((code): code is string => code !== null) ?? null;
