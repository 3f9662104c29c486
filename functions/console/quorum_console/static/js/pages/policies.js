// Ops' policies: one form per module, inputs named by the policy fields, the API's errors beside them.
import { api } from "../api.js";
import { html } from "../html.js";
import { formatTime } from "../time.js";
import { ErrorText, Loading, PageHeading, useLoad } from "../ui.js";
import { ApiForm } from "./forms.js";

const FIELDS = [
  { name: "panel_size", type: "number" },
  { name: "votes_to_win", type: "number", hint: "more than half of panel_size" },
  { name: "vote_window_seconds", type: "number" },
  { name: "substitute_rounds", type: "number" },
  { name: "min_votes", type: "number", hint: "empty: votes_to_win" },
  { name: "reviewer_tags", type: "tags", hint: "comma-separated" },
  { name: "max_region_share", type: "number", hint: "0 < share <= 1: most of a round one region may fill" },
  { name: "balance", type: "text", hint: "prefer (fill seats over the cap if short) or strict" },
];

export function Policies() {
  const policies = useLoad(() => api("GET", "/v1/policies"), []);
  return html`<section>
    <${PageHeading}>Policies<//>
    <p>Each save stores the module's next version; running cases keep the version they started with.</p>
    <${ErrorText} error=${policies.error} />
    ${policies.loading && !policies.data ? html`<${Loading} what="the policies" />` : null}
    ${(policies.data ? policies.data.policies : []).map((p) => html`<${ApiForm} key=${`${p.module}-${p.version}`}
      id=${`policy-${p.module}`} title=${p.module} fields=${FIELDS} initial=${p}
      subtitle=${`version ${p.version}${p.updated_at ? `, saved ${formatTime(p.updated_at)} by ${p.updated_by}` : " (built-in)"}`}
      save=${(body) => api("PUT", `/v1/policies/${p.module}`, body)}
      savedText=${(saved) => `Saved version ${saved.version}.`} />`)}
  </section>`;
}
