// The Quorum console: sign-in, the shell (navigation by role, "Sign out") and the page for the URL.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { whenUnauthorized } from "./api.js";
import { html } from "./html.js";
import { navigate, usePath } from "./router.js";
import { claimsOf, dropToken, groupsOf, isExpired, keepToken, storedToken } from "./session.js";
import { Link, PageHeading } from "./ui.js";
import { SignIn } from "./pages/signin.js";
import { Queue } from "./pages/queue.js";
import { CasePage } from "./pages/case.js";
import { Reviewers } from "./pages/reviewers.js";
import { Policies } from "./pages/policies.js";
import { RewardsAdmin } from "./pages/rewards.js";
import { Releases } from "./pages/releases.js";
import { MyTasks } from "./pages/tasks.js";
import { ReviewCase } from "./pages/review.js";
import { MyRewards } from "./pages/my-rewards.js";

const OPS_NAV = [["/console/queue", "Queue"], ["/console/reviewers", "Reviewers"], ["/console/policies", "Policies"],
  ["/console/rewards", "Rewards"], ["/console/releases", "Releases"]];
const USER_NAV = [["/console/tasks", "My tasks"], ["/console/my-rewards", "Rewards"]];

// [pattern, role, page]: the first match wins; the role's pages are offered only to that role.
const ROUTES = [
  [/^\/console\/queue$/, "ops", () => html`<${Queue} />`],
  [/^\/console\/cases\/([^/]+)$/, "ops", (id) => html`<${CasePage} caseId=${id} />`],
  [/^\/console\/reviewers$/, "ops", () => html`<${Reviewers} />`],
  [/^\/console\/policies$/, "ops", () => html`<${Policies} />`],
  [/^\/console\/rewards$/, "ops", () => html`<${RewardsAdmin} />`],
  [/^\/console\/releases$/, "ops", () => html`<${Releases} />`],
  [/^\/console\/tasks$/, "user", () => html`<${MyTasks} />`],
  [/^\/console\/tasks\/([^/]+)$/, "user", (id) => html`<${ReviewCase} caseId=${id} />`],
  [/^\/console\/my-rewards$/, "user", () => html`<${MyRewards} />`],
];

function homeOf(groups) {
  if (groups.includes("ops")) return "/console/queue";
  if (groups.includes("user")) return "/console/tasks";
  return "/console/";
}

function pageFor(path, groups) {
  if (/^\/console\/?$/.test(path)) return html`<${Home} groups=${groups} />`;
  for (const [pattern, role, page] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    if (!groups.includes(role)) return html`<${Elsewhere} title="Not for this role" text=${`This page is for the ${role} role; you are signed in as ${groups.join(", ") || "no role"}.`} />`;
    return page(...match.slice(1).map(decodeURIComponent));
  }
  return html`<${Elsewhere} title="No such page" text=${`Nothing lives at ${path}.`} />`;
}

function Home({ groups }) {
  const home = homeOf(groups);
  useEffect(() => { if (home !== "/console/") navigate(home, { replace: true }); }, [home]);
  if (home !== "/console/") return null;
  return html`<${Elsewhere} title="Signed in" text="Module tokens call the API directly; the console has pages for the ops and user roles." />`;
}

function Elsewhere({ title, text }) {
  return html`<section><${PageHeading}>${title}<//><p>${text}</p><p><${Link} href="/console/">Go to your start page<//></p></section>`;
}

function Nav({ groups, path }) {
  const links = [...(groups.includes("ops") ? OPS_NAV : []), ...(groups.includes("user") ? USER_NAV : [])];
  if (!links.length) return null;
  return html`<nav aria-label="Main"><ul>
    ${links.map(([href, text]) => html`<li><${Link} href=${href} current=${path === href || path.startsWith(`${href}/`)}>${text}<//></li>`)}
  </ul></nav>`;
}

function App() {
  const path = usePath();
  const [token, setToken] = useState(storedToken());
  const [notice, setNotice] = useState(null);
  const claims = token ? claimsOf(token) : null;
  const signOut = (why) => { dropToken(); setToken(null); setNotice(why || null); };
  whenUnauthorized(() => signOut("The API no longer accepts your token: sign in again."));
  useEffect(() => { if (token && isExpired(claims)) signOut("Your token has expired: sign in again."); }, [token]);
  if (!token) {
    const signIn = (fresh) => { keepToken(fresh); setToken(fresh.trim()); setNotice(null); navigate(homeOf(groupsOf(claimsOf(fresh))), { replace: true }); };
    return html`<${Header} /><main id="main"><${SignIn} notice=${notice} onToken=${signIn} /></main>`;
  }
  const groups = groupsOf(claims);
  return html`<${Header} claims=${claims} groups=${groups} onSignOut=${() => { signOut("Signed out."); navigate("/console/", { replace: true }); }} />
    <${Nav} groups=${groups} path=${path} />
    <main id="main">${pageFor(path, groups)}</main>`;
}

function Header({ claims, groups, onSignOut }) {
  return html`<header class="top">
    <a class="skip" href="#main">Skip to content</a>
    <p class="brand">Quorum console</p>
    ${onSignOut ? html`<p class="who">Signed in as <strong>${(claims && claims.sub) || "unknown"}</strong> (${groups.join(", ") || "no role"})</p>
      <button type="button" onClick=${onSignOut}>Sign out</button>` : null}
  </header>`;
}

const root = document.getElementById("app");
root.replaceChildren(); // the "Loading" line is the page's own, not preact's: drop it before the first render
render(html`<${App} />`, root);
