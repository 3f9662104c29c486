// Small shared pieces: loading data, errors in words, labelled fields, app links.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { html } from "./html.js";
import { followLink } from "./router.js";

export function useLoad(load, deps) {
  const [state, setState] = useState({ loading: true, data: null, error: null });
  const run = useCallback(() => {
    let live = true;
    setState((old) => ({ ...old, loading: true }));
    load().then(
      (data) => live && setState({ loading: false, data, error: null }),
      (error) => live && setState({ loading: false, data: null, error }),
    );
    return () => { live = false; };
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run, setData: (data) => setState({ loading: false, data, error: null }) };
}

export function Loading({ what }) {
  return html`<p class="loading" role="status">Loading ${what}…</p>`;
}

export function ErrorText({ error, id }) {
  if (!error) return null;
  const code = error.code && error.code !== "network_error" ? html` <span class="code">(${error.code})</span>` : null;
  return html`<p class="error" role="alert" id=${id}>${error.message}${code}</p>`;
}

export function Notice({ text }) {
  return html`<p class="notice" role="status" aria-live="polite">${text || ""}</p>`;
}

export function Link({ href, children, current }) {
  return html`<a href=${href} onClick=${followLink} aria-current=${current ? "page" : undefined}>${children}</a>`;
}

// A page's main heading takes the focus when the page opens, so keyboard and screen-reader users start there.
export function PageHeading({ children }) {
  const ref = useRef(null);
  useEffect(() => { if (ref.current) ref.current.focus({ preventScroll: true }); }, []);
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`;
}

// An input with its label, and its error beside it (role alert) when the API refused the value.
export function Field({ id, label, error, value, onInput, type = "text", hint, ...rest }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input id=${id} name=${id} type=${type} value=${value} onInput=${(e) => onInput(e.currentTarget.value)}
      aria-invalid=${error ? "true" : undefined} aria-describedby=${describedBy} ...${rest} />
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${error ? html`<p class="field-error" role="alert" id=${`${id}-error`}>${error}</p>` : null}
  </div>`;
}

export function Scroll({ label, children }) {
  return html`<div class="scroll" role="region" aria-label=${label} tabindex="0">${children}</div>`;
}
