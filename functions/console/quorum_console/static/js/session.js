// The bearer token lives in this tab's session storage: closing the tab or "Sign out" drops it.
const KEY = "quorum.token";

export function storedToken() {
  return sessionStorage.getItem(KEY);
}

export function keepToken(token) {
  sessionStorage.setItem(KEY, token.trim());
}

export function dropToken() {
  sessionStorage.removeItem(KEY);
}

// The token's claims, read (not verified: the API verifies) to pick the pages to offer.
export function claimsOf(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "=")));
  } catch {
    return null;
  }
}

// `groups` as a list claim, or flattened to "[a b]" as API Gateway passes it.
export function groupsOf(claims) {
  const raw = claims && claims.groups;
  if (Array.isArray(raw)) return raw.map(String);
  return String(raw || "").replace(/[[\]]/g, "").split(/[\s,]+/).filter(Boolean);
}

export function isExpired(claims, now = Date.now()) {
  return Boolean(claims && typeof claims.exp === "number" && claims.exp * 1000 <= now);
}
