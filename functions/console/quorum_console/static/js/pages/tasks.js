// A reviewer's open invitations, soonest deadline first.
import { api } from "../api.js";
import { html } from "../html.js";
import { Countdown } from "../time.js";
import { ErrorText, Link, Loading, PageHeading, useLoad } from "../ui.js";

export function MyTasks() {
  const tasks = useLoad(() => api("GET", "/v1/reviewer/tasks"), []);
  const list = tasks.data ? tasks.data.tasks : [];
  return html`<section>
    <${PageHeading}>My tasks<//>
    <${ErrorText} error=${tasks.error} />
    ${tasks.loading && !tasks.data ? html`<${Loading} what="your tasks" />` : null}
    ${tasks.data && !list.length ? html`<p>No open tasks: nothing is waiting for your vote.</p>` : null}
    <ul class="tasks" aria-label="Open tasks">
      ${list.map((t) => html`<li class="card" key=${t.case_id}>
        <${Link} href=${`/console/tasks/${encodeURIComponent(t.case_id)}`}>Case ${t.case_id}<//>
        <p>${t.module} · reason <strong>${t.reason}</strong> · <${Countdown} deadline=${t.deadline} /></p>
      </li>`)}
    </ul>
    <button type="button" onClick=${tasks.reload}>Refresh</button>
  </section>`;
}
