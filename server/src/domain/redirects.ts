// Which front-end page a link request may send its link to (ARCHITECTURE.md, "Settings"): only a URL on the
// site's list, compared as a string, so that no parsing quirk (userinfo, encoding, case, scheme) can widen it.

/** True when `requested` is one of `allowed`, exactly as listed or as the URL parser writes a listed URL. */
export function isAllowedRedirect(requested: string, allowed: readonly string[]): boolean {
  return allowed.some((url) => url === requested || canonical(url) === requested);
}

function canonical(url: string): string | null {
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}
