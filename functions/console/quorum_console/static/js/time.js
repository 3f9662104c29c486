// Times as people read them, and deadlines that count down live.
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";

export function useNow(everyMs = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function timeLeft(deadline, now) {
  const ms = Date.parse(deadline) - now;
  if (Number.isNaN(ms)) return "no deadline";
  if (ms <= 0) return "time is up";
  let seconds = Math.floor(ms / 1000);
  const parts = [];
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["min", 60]]) {
    const count = Math.floor(seconds / size);
    seconds -= count * size;
    if (count || parts.length) parts.push(`${count} ${unit}`);
  }
  parts.push(`${seconds} s`);
  return `${parts.join(" ")} left`;
}

export function formatTime(iso) {
  const moment = new Date(iso);
  return Number.isNaN(moment.getTime()) ? String(iso || "") : `${moment.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function Countdown({ deadline }) {
  const now = useNow();
  if (!deadline) return html`<span>no deadline</span>`;
  return html`<time class="countdown" datetime=${deadline} title=${formatTime(deadline)}>${timeLeft(deadline, now)}</time>`;
}

export function When({ at }) {
  return at ? html`<time datetime=${at}>${formatTime(at)}</time>` : html`<span>—</span>`;
}
