// Ops' case page: the whole case (unmasked), its seats, tally and timeline; the resolution of an escalated case.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { Countdown, When } from "../time.js";
import { ErrorText, Link, Loading, Notice, PageHeading, Scroll, useLoad } from "../ui.js";

const SETTLE_POLLS = 30;

async function loadCase(caseId) {
  const path = `/v1/cases/${encodeURIComponent(caseId)}`;
  const [view, timeline] = await Promise.all([api("GET", path), api("GET", `${path}/timeline`)]);
  return { view, events: timeline.events };
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export function CasePage({ caseId }) {
  const loaded = useLoad(() => loadCase(caseId), [caseId]);
  const [notice, setNotice] = useState("");
  if (loaded.error) return html`<section><${PageHeading}>Case ${caseId}<//><${ErrorText} error=${loaded.error} /></section>`;
  if (!loaded.data) return html`<section><${PageHeading}>Case ${caseId}<//><${Loading} what="the case" /></section>`;
  const { view, events } = loaded.data;
  const waitUntilDecided = async () => {
    for (let poll = 0; poll < SETTLE_POLLS; poll += 1) {
      const fresh = await loadCase(caseId);
      loaded.setData(fresh);
      // The view and the timeline are read at once: stop when both have seen the decision.
      if (fresh.view.status === "decided" && fresh.events.some((e) => e.event === "decided")) {
        return setNotice("The case is decided.");
      }
      await sleep(1000);
    }
    setNotice("The resolution is recorded; the case has not closed yet. Reload later.");
  };
  return html`<section class="case">
    <${PageHeading}>Case ${view.case_id}<//>
    <p class="case-status" id="case-status" aria-live="polite">Status: <strong>${view.status}</strong>
      ${view.decision ? html` · decision: <strong>${view.decision}</strong>` : null}</p>
    <${Notice} text=${notice} />
    <${Facts} view=${view} />
    <h2>Content</h2>
    <${Content} content=${view.target.content} />
    <${ReviewersView} caseId=${view.case_id} />
    <h2>Reports</h2>
    <p>${view.report_count} ${view.report_count === 1 ? "report" : "reports"}, reason <strong>${view.reason}</strong>${view.detail ? html`: ${view.detail}` : null}.</p>
    <ul aria-label="Reporters">${view.reporters.map((r) => html`<li>${r}</li>`)}</ul>
    <h2>Tally</h2>
    <p>violation <strong>${view.tally.violation}</strong> · no violation <strong>${view.tally.no_violation}</strong>${" "}
      (panel of ${view.policy.panel_size}, ${view.policy.votes_to_win} to win, at least ${view.policy.min_votes} votes)</p>
    <h2>Seats</h2>
    <${Seats} panel=${view.panel} />
    <h2 id="timeline-heading">Timeline</h2>
    <ol class="timeline" aria-label="Timeline">
      ${events.map((e) => html`<li><${When} at=${e.at} /> <strong>${e.event.replace(/_/g, " ")}</strong>${detailText(e.detail)}</li>`)}
    </ol>
    ${view.status === "escalated" ? html`<${Resolve} caseId=${view.case_id} onResolved=${() => { setNotice("Resolution recorded; waiting for the case to close…"); waitUntilDecided(); }} />` : null}
    <p><${Link} href="/console/queue">Back to the queue<//></p>
  </section>`;
}

// What the panel reads (GET /v1/cases/{id}?view=reviewer): masked content, no party ids, no panel.
function ReviewersView({ caseId }) {
  const [seen, setSeen] = useState(null);
  const [error, setError] = useState(null);
  const show = async () => {
    setError(null);
    try {
      setSeen(await api("GET", `/v1/cases/${encodeURIComponent(caseId)}?view=reviewer`));
    } catch (failure) {
      setError(failure);
    }
  };
  return html`<section class="card" aria-labelledby="reviewers-view-heading">
    <h2 id="reviewers-view-heading">What reviewers see</h2>
    ${seen ? html`<div role="region" aria-label="Reviewers' view">
        <p>Reason <strong>${seen.reason}</strong>${seen.detail ? html`: ${seen.detail}` : null}</p>
        <${Content} content=${seen.content} /></div>`
      : html`<button type="button" onClick=${show}>Show what reviewers see</button>`}
    <${ErrorText} error=${error} />
  </section>`;
}

function detailText(detail) {
  const parts = Object.entries(detail || {}).map(([k, v]) => `${k.replace(/_/g, " ")}: ${Array.isArray(v) ? v.join(", ") : v}`);
  return parts.length ? ` — ${parts.join("; ")}` : "";
}

function Facts({ view }) {
  return html`<dl class="facts">
    <dt>Module</dt><dd>${view.module}</dd>
    <dt>Target</dt><dd>${view.target.id}</dd>
    <dt>Owner</dt><dd>${view.target.owner_id}</dd>
    <dt>Round</dt><dd>${view.round}</dd>
    <dt>Time left</dt><dd>${view.status === "decided" ? "decided" : html`<${Countdown} deadline=${view.deadline} />`}</dd>
    <dt>Opened</dt><dd><${When} at=${view.created_at} /></dd>
    <dt>Policy</dt><dd>version ${view.policy.version}</dd>
    ${view.decided_at ? html`<dt>Decided</dt><dd><${When} at=${view.decided_at} /></dd>` : null}
    ${view.resolution ? html`<dt>Resolution</dt><dd>${view.resolution.decision} by ${view.resolution.by}${view.resolution.note ? html`: “${view.resolution.note}”` : null}</dd>` : null}
  </dl>`;
}

export function Content({ content }) {
  const urls = (content && content.image_urls) || [];
  return html`<div class="content">
    ${content && content.text ? html`<p class="content-text">${content.text}</p>` : html`<p class="muted">No text.</p>`}
    ${urls.length ? html`<p>Images (links; not loaded here):</p><ul>${urls.map((u) => html`<li><a href=${u} rel="noreferrer noopener" target="_blank">${u}</a></li>`)}</ul>` : null}
  </div>`;
}

function Seats({ panel }) {
  if (!panel.length) return html`<p>No seats yet.</p>`;
  return html`<${Scroll} label="Seats"><table>
    <thead><tr><th scope="col">Reviewer</th><th scope="col">Round</th><th scope="col">State</th><th scope="col">Deadline</th><th scope="col">Verdict</th></tr></thead>
    <tbody>${panel.map((s) => html`<tr><th scope="row">${s.reviewer_id}</th><td>${s.round}</td><td>${s.status}</td>
      <td><${When} at=${s.deadline} /></td><td>${s.verdict ? s.verdict.replace("_", " ") : "—"}</td></tr>`)}</tbody>
  </table><//>`;
}

function Resolve({ caseId, onResolved }) {
  const [note, setNote] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const resolve = async (decision) => {
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/v1/cases/${encodeURIComponent(caseId)}/resolution`, { decision, note: note.trim() || null });
      onResolved();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return html`<form class="card" aria-labelledby="resolve-heading" onSubmit=${(e) => e.preventDefault()}>
    <h2 id="resolve-heading">Resolve this escalated case</h2>
    <div class="field"><label for="note">Note</label>
      <textarea id="note" name="note" rows="3" maxlength="1000" value=${note} onInput=${(e) => setNote(e.currentTarget.value)}></textarea></div>
    <${ErrorText} error=${error} />
    <div class="buttons">
      <button type="button" disabled=${busy} onClick=${() => resolve("violation")}>Resolve: violation</button>
      <button type="button" disabled=${busy} onClick=${() => resolve("no_violation")}>Resolve: no violation</button>
    </div>
  </form>`;
}
