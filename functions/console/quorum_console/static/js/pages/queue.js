// Ops' queue: escalated cases first, then voting ones; filters by module and status; deadlines count down.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { Countdown } from "../time.js";
import { ErrorText, Link, Loading, PageHeading, Scroll, useLoad } from "../ui.js";

export const MODULES = ["listing", "post", "comment", "chat", "review"];
const OPEN = ["escalated", "voting"];

async function casesWith(status) {
  const page = await api("GET", `/v1/cases?status=${status}&limit=100`);
  return page.cases;
}

async function loadQueue(status) {
  const lists = await Promise.all((status ? [status] : OPEN).map(casesWith));
  return lists.flat();
}

export function Queue() {
  const [module, setModule] = useState("");
  const [status, setStatus] = useState("");
  const cases = useLoad(() => loadQueue(status), [status]);
  const shown = (cases.data || []).filter((c) => !module || c.module === module);
  return html`<section>
    <${PageHeading}>Queue<//>
    <form class="filters" aria-label="Filters" onSubmit=${(e) => { e.preventDefault(); cases.reload(); }}>
      <div class="field"><label for="filter-module">Module</label>
        <select id="filter-module" value=${module} onChange=${(e) => setModule(e.currentTarget.value)}>
          <option value="">All modules</option>
          ${MODULES.map((m) => html`<option value=${m}>${m}</option>`)}
        </select></div>
      <div class="field"><label for="filter-status">Status</label>
        <select id="filter-status" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
          <option value="">Open (escalated, then voting)</option>
          <option value="escalated">escalated</option>
          <option value="voting">voting</option>
          <option value="decided">decided</option>
        </select></div>
      <button type="submit">Refresh</button>
    </form>
    <${ErrorText} error=${cases.error} />
    ${cases.loading && !cases.data ? html`<${Loading} what="the queue" />` : null}
    ${cases.data ? html`<p>${shown.length} ${shown.length === 1 ? "case" : "cases"}</p>` : null}
    ${shown.length ? html`<${Scroll} label="Cases"><table class="queue">
      <caption class="visually-hidden">Cases, escalated first</caption>
      <thead><tr><th scope="col">Case</th><th scope="col">Status</th><th scope="col">Module</th><th scope="col">Reason</th>
        <th scope="col">Reports</th><th scope="col">Round</th><th scope="col">Votes so far</th><th scope="col">Time left</th></tr></thead>
      <tbody>${shown.map((c) => html`<${Row} key=${c.case_id} item=${c} />`)}</tbody>
    </table><//>` : null}
  </section>`;
}

function Row({ item }) {
  const votes = item.tally.violation + item.tally.no_violation;
  return html`<tr>
    <th scope="row"><${Link} href=${`/console/cases/${encodeURIComponent(item.case_id)}`}>${item.case_id}<//></th>
    <td><span class=${`status status-${item.status}`}>${item.status}</span></td>
    <td>${item.module}</td>
    <td>${item.reason}</td>
    <td>${item.report_count}</td>
    <td>${item.round}</td>
    <td>${votes} <span class="muted">(${item.tally.violation} violation, ${item.tally.no_violation} no violation)</span></td>
    <td>${item.status === "decided" ? "decided" : html`<${Countdown} deadline=${item.deadline} />`}</td>
  </tr>`;
}
