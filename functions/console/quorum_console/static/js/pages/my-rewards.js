// A reviewer's points: the balance, the ledger, and the mall with its refusals in words.
import { useState } from "preact/hooks";
import { api, newIdempotencyKey } from "../api.js";
import { html } from "../html.js";
import { When } from "../time.js";
import { ErrorText, Loading, Notice, PageHeading, Scroll, useLoad } from "../ui.js";

const REFUSALS = { insufficient_points: "Not enough points", insufficient_stock: "Out of stock", item_not_found: "No such item" };

async function loadAll() {
  const [mine, mall] = await Promise.all([api("GET", "/v1/rewards/me"), api("GET", "/v1/mall/items")]);
  return { mine, items: mall.items };
}

export function MyRewards() {
  const loaded = useLoad(loadAll, []);
  const [notice, setNotice] = useState("");
  const data = loaded.data;
  return html`<section>
    <${PageHeading}>Rewards<//>
    <${ErrorText} error=${loaded.error} />
    ${loaded.loading && !data ? html`<${Loading} what="your points" />` : null}
    ${data ? html`<p class="balance" id="balance">Balance: <strong>${data.mine.balance} points</strong>
        ${data.mine.pending !== undefined ? html` · pending: <strong>${data.mine.pending} points</strong>` : null}</p>
      <${Notice} text=${notice} />
      <h2>Mall</h2>
      <ul class="cards mall" aria-label="Mall items">
        ${data.items.map((item) => html`<${Item} key=${item.item_id} item=${item} onRedeemed=${(text) => { setNotice(text); loaded.reload(); }} />`)}
      </ul>
      <h2>Entries</h2>
      ${data.mine.entries.length ? html`<${Scroll} label="Ledger entries"><table>
        <thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Points</th><th scope="col">For</th></tr></thead>
        <tbody>${data.mine.entries.map((e) => html`<tr><td><${When} at=${e.created_at} /></td><td>${e.kind}</td>
          <td>${e.points > 0 ? `+${e.points}` : e.points}</td><td>${e.case_id ? `case ${e.case_id}` : e.item_id ? `${e.quantity} × ${e.item_id}` : ""}</td></tr>`)}</tbody>
      </table><//>` : html`<p>No entries yet: vote on cases to earn points.</p>`}` : null}
  </section>`;
}

function Item({ item, onRedeemed }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const redeem = async () => {
    setBusy(true);
    setError(null);
    try {
      const done = await api("POST", "/v1/mall/redemptions", { item_id: item.item_id, quantity: 1 }, { "Idempotency-Key": newIdempotencyKey() });
      onRedeemed(`Redeemed ${done.quantity} × ${item.name} for ${done.cost_points} points.`);
    } catch (failure) {
      const label = REFUSALS[failure.code];
      setError(label ? { message: `${label}: ${failure.message}`, code: failure.code } : failure);
    }
    setBusy(false);
  };
  const headingId = `item-${item.item_id}-name`;
  return html`<li class="card" aria-labelledby=${headingId}>
    <h3 id=${headingId}>${item.name}</h3>
    <p>${item.cost_points} points · ${item.stock} in stock</p>
    <${ErrorText} error=${error} />
    <button type="button" disabled=${busy} onClick=${redeem}>Redeem</button>
  </li>`;
}
