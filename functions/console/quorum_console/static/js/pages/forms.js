// Forms whose inputs are named by the API's own field names, with the API's refusals beside each field.
import { useState } from "preact/hooks";
import { fieldErrors } from "../api.js";
import { html } from "../html.js";
import { ErrorText, Field, Notice } from "../ui.js";

// A whole number stays a number; anything else goes as typed, so the API says what is wrong with it.
export function asNumber(text) {
  const trimmed = String(text).trim();
  if (trimmed === "") return null;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export function asTags(text) {
  return String(text).split(",").map((t) => t.trim()).filter(Boolean);
}

// fields: [{name, type: "number" | "tags" | "text", hint}]; save(body) resolves to the saved value.
export function ApiForm({ id, title, subtitle, fields, initial, save, button = "Save", onSaved, savedText }) {
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f.name, initial[f.name] ?? ""])));
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice("");
    const body = Object.fromEntries(fields.map((f) => [f.name, f.type === "number" ? asNumber(values[f.name])
      : f.type === "tags" ? asTags(values[f.name]) : values[f.name]]));
    try {
      const saved = await save(body);
      setNotice(savedText ? savedText(saved) : "Saved.");
      if (onSaved) onSaved(saved);
    } catch (failure) {
      setError(failure);
    }
    setBusy(false);
  };
  const byField = fieldErrors(error);
  const unplaced = error && !fields.some((f) => byField[f.name]);
  return html`<form class="card api-form" aria-labelledby=${`${id}-heading`} onSubmit=${submit} novalidate>
    <h2 id=${`${id}-heading`}>${title}</h2>
    ${subtitle ? html`<p class="muted">${subtitle}</p>` : null}
    <div class="grid">
      ${fields.map((f) => html`<${Field} id=${`${id}-${f.name}`} label=${f.label || f.name} hint=${f.hint}
        inputmode=${f.type === "number" ? "decimal" : undefined}
        value=${Array.isArray(values[f.name]) ? values[f.name].join(", ") : values[f.name]}
        onInput=${(v) => setValues({ ...values, [f.name]: v })} error=${byField[f.name]} />`)}
    </div>
    ${error ? html`<${ErrorText} error=${unplaced ? error : { message: `${error.message} Nothing was saved.`, code: error.code }} />` : null}
    <button type="submit" disabled=${busy}>${button}</button>
    <${Notice} text=${notice} />
  </form>`;
}
