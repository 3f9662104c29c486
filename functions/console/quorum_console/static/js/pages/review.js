// A reviewer's case: the masked content and the question; one vote.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { Countdown } from "../time.js";
import { ErrorText, Link, Loading, PageHeading, useLoad } from "../ui.js";
import { Content } from "./case.js";

export function ReviewCase({ caseId }) {
  const loaded = useLoad(() => api("GET", `/v1/cases/${encodeURIComponent(caseId)}`), [caseId]);
  const view = loaded.data;
  return html`<section class="case">
    <${PageHeading}>Case ${caseId}<//>
    <${ErrorText} error=${loaded.error} />
    ${loaded.loading && !view ? html`<${Loading} what="the case" />` : null}
    ${view ? html`<dl class="facts">
        <dt>Module</dt><dd>${view.module}</dd>
        <dt>Reason</dt><dd>${view.reason}${view.detail ? html`: ${view.detail}` : null}</dd>
        <dt>Status</dt><dd>${view.status}</dd>
        <dt>Your deadline</dt><dd><${Countdown} deadline=${view.my_seat.deadline} /></dd>
      </dl>
      <h2>Content</h2>
      <p class="muted">Names, ids and contact details are removed: judge the content alone.</p>
      <${Content} content=${view.content} />
      <h2>Your vote</h2>
      <${Vote} caseId=${caseId} seat=${view.my_seat} open=${view.status === "voting"} />` : null}
    <p><${Link} href="/console/tasks">Back to My tasks<//></p>
  </section>`;
}

function Vote({ caseId, seat, open }) {
  const [comment, setComment] = useState("");
  const [recorded, setRecorded] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const vote = async (verdict) => {
    setBusy(true);
    setError(null);
    try {
      setRecorded(await api("POST", `/v1/cases/${encodeURIComponent(caseId)}/votes`, { verdict, comment: comment.trim() || null }));
    } catch (failure) {
      setError(failure);
    }
    setBusy(false);
  };
  if (recorded) {
    return html`<div role="status" class="confirmation"><p><strong>Vote recorded</strong></p>
      <p>Your verdict: ${recorded.verdict.replace("_", " ")}. Thank you.</p></div>`;
  }
  if (seat.verdict) return html`<p>You voted: ${seat.verdict.replace("_", " ")}.</p>`;
  if (!open || seat.status !== "invited") return html`<p>Your seat is ${seat.status}; this case takes no vote from you now.</p>`;
  return html`<form aria-label="Vote" onSubmit=${(e) => e.preventDefault()}>
    <div class="field"><label for="vote-comment">Comment (optional)</label>
      <textarea id="vote-comment" rows="2" maxlength="500" value=${comment} onInput=${(e) => setComment(e.currentTarget.value)}></textarea></div>
    <${ErrorText} error=${error} />
    <div class="buttons">
      <button type="button" disabled=${busy} onClick=${() => vote("violation")}>Vote: violation</button>
      <button type="button" disabled=${busy} onClick=${() => vote("no_violation")}>Vote: no violation</button>
    </div>
  </form>`;
}
