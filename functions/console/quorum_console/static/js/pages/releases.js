// Ops' releases, read-only: each function's live alias (version, canary and weight), the voting state machine's
// (weight of new cases and running cases per version) and the latest release records.
import { api } from "../api.js";
import { html } from "../html.js";
import { ErrorText, Loading, PageHeading, Scroll, useLoad } from "../ui.js";

const percent = (weight) => `${Math.round(weight * 10000) / 100} %`;
const version = (v) => (v === "-" ? "no version" : v);

// A machine's row group, one row per version: those the alias routes (live first), then older ones while they
// still hold cases.
function MachineRows({ machine }) {
  if (!machine.deployed) {
    return html`<tbody><tr><th scope="row">${machine.machine}</th><td colspan="3">not deployed</td></tr></tbody>`;
  }
  return html`<tbody>${machine.versions.map((v, i) => html`<tr>
    ${i === 0 ? html`<th scope="rowgroup" rowspan=${machine.versions.length}>${machine.machine}</th>` : null}
    <td>${version(v.version)}</td><td>${v.weight === null || v.weight === undefined ? "no new cases" : percent(v.weight)}</td>
    <td>${v.running_cases}</td></tr>`)}</tbody>`;
}

export function Releases() {
  const releases = useLoad(() => api("GET", "/v1/releases?limit=20"), []);
  const data = releases.data;
  return html`<section>
    <${PageHeading}>Releases<//>
    <${ErrorText} error=${releases.error} />
    ${releases.loading && !data ? html`<${Loading} what="the releases" />` : null}
    ${data ? html`<p>Environment <strong>${data.env}</strong>. Moves are made with <code>quorum-release</code>; this page only reads.</p>
    <h2>Live aliases</h2>
    <${Scroll} label="Live aliases"><table>
      <thead><tr><th scope="col">Function</th><th scope="col">Live version</th><th scope="col">Canary version</th><th scope="col">Canary weight</th></tr></thead>
      <tbody>${data.functions.map((f) => html`<tr><th scope="row">${f.function}</th>
        <td>${f.deployed ? f.version : "not deployed"}</td><td>${f.canary_version || "none"}</td>
        <td>${f.canary_weight === null || f.canary_weight === undefined ? "—" : percent(f.canary_weight)}</td></tr>`)}</tbody>
    </table><//>
    <h2>Voting state machine</h2>
    <p>A case keeps the version it started on to its end; the weights share out new cases.</p>
    <${Scroll} label="Voting state machine"><table>
      <thead><tr><th scope="col">State machine</th><th scope="col">Version</th><th scope="col">Share of new cases</th><th scope="col">Running cases</th></tr></thead>
      ${data.machines.map((m) => html`<${MachineRows} machine=${m} />`)}
    </table><//>
    <h2>Release log</h2>
    ${data.records.length ? html`<${Scroll} label="Release log"><table>
      <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Function</th><th scope="col">Action</th><th scope="col">From → to</th></tr></thead>
      <tbody>${data.records.map((r) => html`<tr><td>${r.seq}</td><td>${r.at}</td><td>${r.who}</td><td>${r.function}</td><td>${r.action}</td><td>${r.before} → ${r.after}</td></tr>`)}</tbody>
    </table><//>` : html`<p>No releases recorded.</p>`}` : null}
  </section>`;
}
