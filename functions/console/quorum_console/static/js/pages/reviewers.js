// Ops' reviewer page: find a reviewer, read status and stats, suspend or lift a suspension with a reason.
import { useState } from "preact/hooks";
import { api, fieldErrors } from "../api.js";
import { html } from "../html.js";
import { When } from "../time.js";
import { ErrorText, Field, Notice, PageHeading } from "../ui.js";

const path = (id) => `/v1/reviewers/${encodeURIComponent(id)}`;

export function Reviewers() {
  const [wanted, setWanted] = useState("");
  const [reviewer, setReviewer] = useState(null);
  const [error, setError] = useState(null);
  const find = async (event) => {
    event.preventDefault();
    setError(null);
    setReviewer(null);
    try {
      setReviewer(await api("GET", path(wanted.trim())));
    } catch (failure) {
      setError(failure);
    }
  };
  return html`<section>
    <${PageHeading}>Reviewers<//>
    <form class="search" aria-label="Find a reviewer" onSubmit=${find}>
      <${Field} id="reviewer-id" label="Reviewer id" value=${wanted} onInput=${setWanted} required maxlength="128" />
      <button type="submit">Find</button>
    </form>
    <${ErrorText} error=${error} />
    ${reviewer ? html`<${Reviewer} key=${reviewer.user_id} reviewer=${reviewer} onChange=${setReviewer} />` : null}
  </section>`;
}

function Numbers({ label, values }) {
  const entries = Object.entries(values || {});
  if (!entries.length) return null;
  return html`<h3>${label}</h3><dl class="facts">${entries.map(([k, v]) => html`<dt>${k.replace(/_/g, " ")}</dt><dd>${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}</dd>`)}</dl>`;
}

function Reviewer({ reviewer, onChange }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState("");
  const setStatus = async (status, done) => {
    setError(null);
    setNotice("");
    try {
      onChange(await api("PATCH", path(reviewer.user_id), { status, reason: reason.trim() }));
      setNotice(done);
      setReason("");
    } catch (failure) {
      setError(failure);
    }
  };
  const reasonError = fieldErrors(error).reason;
  const note = reviewer.status_note;
  return html`<article class="card" aria-labelledby="reviewer-heading">
    <h2 id="reviewer-heading">Reviewer ${reviewer.user_id}</h2>
    <p id="reviewer-status">Status: <strong>${reviewer.status || "not enrolled"}</strong></p>
    ${note ? html`<p>Last change: “${note.reason}” by ${note.by}, <${When} at=${note.at} /></p>` : null}
    <${Numbers} label="Stats" values=${reviewer.stats} />
    ${reviewer.reputation !== undefined ? html`<${Numbers} label="Reputation" values=${typeof reviewer.reputation === "object" ? reviewer.reputation : { reputation: reviewer.reputation }} />` : null}
    <${Numbers} label="Quality" values=${reviewer.quality} />
    <${Numbers} label="Load" values=${reviewer.fatigue} />
    <form aria-label="Change status" onSubmit=${(e) => e.preventDefault()}>
      <${Field} id="status-reason" label="Reason" value=${reason} onInput=${setReason} error=${reasonError} maxlength="500" />
      ${error && !reasonError ? html`<${ErrorText} error=${error} />` : null}
      <div class="buttons">
        <button type="button" onClick=${() => setStatus("suspended", "Suspended.")}>Suspend</button>
        <button type="button" onClick=${() => setStatus("active", "Suspension lifted.")}>Lift suspension</button>
      </div>
    </form>
    <${Notice} text=${notice} />
  </article>`;
}
