// Ops' rewards: reward rules per module, and the mall's items (create, edit cost and stock).
import { api } from "../api.js";
import { html } from "../html.js";
import { ErrorText, Loading, PageHeading, useLoad } from "../ui.js";
import { ApiForm } from "./forms.js";

const RULE_FIELDS = [{ name: "points_per_vote", type: "number" }, { name: "consensus_bonus", type: "number" },
  { name: "daily_cap", type: "number" }];
const ITEM_FIELDS = [{ name: "name", type: "text" }, { name: "cost_points", type: "number" }, { name: "stock", type: "number" }];

export function RewardsAdmin() {
  const rules = useLoad(() => api("GET", "/v1/reward-rules"), []);
  const items = useLoad(() => api("GET", "/v1/mall/items"), []);
  return html`<section>
    <${PageHeading}>Rewards<//>
    <h2>Reward rules</h2>
    <${ErrorText} error=${rules.error} />
    ${rules.loading && !rules.data ? html`<${Loading} what="the reward rules" />` : null}
    <div class="cards">${(rules.data ? rules.data.rules : []).map((r) => html`<${ApiForm} key=${`${r.module}-${r.version}`}
      id=${`rule-${r.module}`} title=${`Rule: ${r.module}`} fields=${RULE_FIELDS} initial=${r}
      subtitle=${r.source === "default" ? "built-in default" : `version ${r.version}`}
      save=${(body) => api("PUT", `/v1/reward-rules/${r.module}`, body)} />`)}</div>
    <h2>Mall items</h2>
    <${ErrorText} error=${items.error} />
    ${items.loading && !items.data ? html`<${Loading} what="the mall" />` : null}
    <div class="cards">${(items.data ? items.data.items : []).map((item) => html`<${ApiForm} key=${`${item.item_id}-${item.version}`}
      id=${`item-${item.item_id}`} title=${`Item ${item.item_id}`} fields=${ITEM_FIELDS} initial=${item}
      save=${(body) => api("PUT", `/v1/mall/items/${encodeURIComponent(item.item_id)}`, body)} />`)}</div>
    <${ApiForm} id="new-item" title="New item" button="Create" initial=${{ cost_points: "", stock: "" }}
      fields=${[{ name: "item_id", type: "text", label: "item_id" }, ...ITEM_FIELDS]}
      save=${async ({ item_id: id, ...body }) => api("PUT", `/v1/mall/items/${encodeURIComponent(String(id).trim())}`, body)}
      savedText=${(saved) => `Created ${saved.item_id}.`} onSaved=${() => items.reload()} />
  </section>`;
}
