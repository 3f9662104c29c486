// Sign in: a bearer token everywhere; in the local cloud also a user id and a role (POST /local/token);
// a module token also names the module it speaks for.
import { useEffect, useState } from "preact/hooks";
import { html } from "../html.js";
import { ErrorText, Notice, PageHeading } from "../ui.js";

const LOCAL = "/local/token";

async function localSignIn() {
  try {
    const response = await fetch(LOCAL, { headers: { Accept: "application/json" } });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

export function SignIn({ notice, onToken }) {
  const [local, setLocal] = useState(undefined);
  useEffect(() => { localSignIn().then(setLocal); }, []);
  return html`<section>
    <${PageHeading}>Sign in<//>
    ${notice ? html`<${Notice} text=${notice} />` : null}
    ${local ? html`<${LocalForm} groups=${local.groups} modules=${local.modules || []} onToken=${onToken} />` : null}
    <${TokenForm} onToken=${onToken} />
  </section>`;
}

function LocalForm({ groups, modules, onToken }) {
  const [sub, setSub] = useState("");
  const [role, setRole] = useState(groups[0] || "ops");
  const [module, setModule] = useState(modules[0] || "listing");
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    const response = await fetch(LOCAL, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ sub: sub.trim(), groups: [role], ...(role === "module" ? { module } : {}) }) }).catch(() => null);
    const body = response ? await response.json().catch(() => null) : null;
    if (response && response.ok && body && body.token) onToken(body.token);
    else setError({ message: (body && body.error && body.error.message) || "The local cloud did not sign you in." });
  };
  return html`<form class="card" aria-labelledby="local-signin" onSubmit=${submit}>
    <h2 id="local-signin">Local sign-in</h2>
    <p>The local cloud mints a token for any user id and role.</p>
    <div class="field"><label for="user-id">User id</label>
      <input id="user-id" name="sub" required maxlength="128" autocomplete="username" value=${sub} onInput=${(e) => setSub(e.currentTarget.value)} /></div>
    <div class="field"><label for="role">Role</label>
      <select id="role" name="role" value=${role} onChange=${(e) => setRole(e.currentTarget.value)}>
        ${groups.map((g) => html`<option value=${g}>${g}</option>`)}
      </select></div>
    ${role === "module" ? html`<div class="field"><label for="module">Module</label>
      <select id="module" name="module" value=${module} onChange=${(e) => setModule(e.currentTarget.value)}>
        ${modules.map((m) => html`<option value=${m}>${m}</option>`)}
      </select></div>` : null}
    <${ErrorText} error=${error} />
    <button type="submit">Sign in</button>
  </form>`;
}

function TokenForm({ onToken }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState(null);
  const submit = (event) => {
    event.preventDefault();
    const text = token.trim().replace(/^Bearer\s+/i, "");
    if (text.split(".").length !== 3) setError({ message: "A bearer token is a JWT: three parts separated by dots." });
    else onToken(text);
  };
  return html`<form class="card" aria-labelledby="token-signin" onSubmit=${submit}>
    <h2 id="token-signin">Sign in with a token</h2>
    <p>Paste a token from the marketplace's identity provider.</p>
    <div class="field"><label for="bearer-token">Bearer token</label>
      <textarea id="bearer-token" name="token" rows="3" required spellcheck="false" value=${token}
        onInput=${(e) => setToken(e.currentTarget.value)}></textarea></div>
    <${ErrorText} error=${error} />
    <button type="submit">Sign in</button>
  </form>`;
}
