// The share page: draws the board the runbook sends (server-sent events, or polling where those are missing).
// Everything shown is set as text, never as HTML: handles and messages come from elsewhere.
"use strict";

const client = Math.random().toString(36).slice(2) + Date.now().toString(36); // one page, across reconnects
let board = null;
let skew = 0; // server clock minus this device's clock, in ms: the countdown follows the server's

const STATUS_TEXT = {
  starting: "Getting a code for you…",
  waiting: "Waiting for you to scan",
  expired: "Code expired: a new one is on its way",
  accepted: "Accepted: finishing…",
  assigned: "Assigned: all done",
  already: "Assigned: all done",
  "timed out": "Timed out: the code was not scanned in time",
  "linked-not-assigned": "Linked; the agency still has to finish",
  failed: "Cancelled",
};
const GOOD = new Set(["assigned", "already", "accepted"]);
const PENDING = new Set(["starting", "waiting", "expired"]);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function left(expiresAt) {
  if (!expiresAt) return null;
  return Math.max(0, Math.floor((Date.parse(expiresAt) - (Date.now() + skew)) / 1000));
}

function countdownText(account) {
  const seconds = left(account.expires_at);
  if (seconds === null) return "Scan it soon: codes expire.";
  if (seconds === 0) return "Expired: a new code is on its way.";
  return `Expires in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function card(account) {
  const node = el("section", "card");
  node.setAttribute("aria-label", account.account);
  node.append(el("h2", "", account.account));
  const warn = account.status === "expired" || account.status === "linked-not-assigned";
  const kind = GOOD.has(account.status) ? "ok" : warn ? "warn" : PENDING.has(account.status) ? "" : "bad";
  const status = el("p", `status ${kind}`, STATUS_TEXT[account.status] || account.status);
  status.dataset.status = account.status;
  node.append(status);
  if (account.qr) {
    const img = el("img", `qr${account.status === "expired" ? " stale" : ""}`);
    img.src = account.qr;
    img.alt = `QR code for ${account.account}`;
    img.width = 320;
    img.height = 320;
    node.append(img);
    if (account.status === "waiting") {
      const countdown = el("p", "countdown", countdownText(account));
      countdown.dataset.expiresAt = account.expires_at || "";
      node.append(countdown);
    }
    if (account.attempt > 1) node.append(el("p", "message", `Code #${account.attempt}`));
  }
  if (account.message) node.append(el("p", "message", account.message));
  return node;
}

function draw(next) {
  board = next;
  skew = Date.parse(next.now) - Date.now();
  const main = document.getElementById("accounts");
  main.replaceChildren(...next.accounts.map(card));
  if (!next.accounts.length) main.append(el("p", "message", "No code yet: this page updates by itself."));
  document.querySelectorAll("body > .final").forEach((node) => node.remove());
  if (next.final) {
    document.body.append(el("p", "final", "The run has ended; this page no longer changes."));
    setConnection("Finished.");
  }
}

function setConnection(text) {
  document.getElementById("connection").textContent = text;
}

function tick() {
  document.querySelectorAll(".countdown").forEach((node) => {
    node.textContent = countdownText({ expires_at: node.dataset.expiresAt || null });
  });
}

function poll() {
  fetch(`state?c=${client}`, { cache: "no-store" })
    .then((answer) => (answer.ok ? answer.json() : Promise.reject(answer.status)))
    .then((next) => {
      draw(next);
      setConnection("Live (refreshing every 2 s).");
      if (!next.final) setTimeout(poll, 2000);
    })
    .catch(() => {
      setConnection("Connection lost; retrying…");
      setTimeout(poll, 4000);
    });
}

function listen() {
  if (!window.EventSource) return poll();
  const source = new EventSource(`events?c=${client}`);
  source.onopen = () => setConnection("Live: this page updates by itself.");
  source.onmessage = (message) => draw(JSON.parse(message.data));
  source.addEventListener("end", () => source.close());
  source.onerror = () => {
    if (board && board.final) return source.close();
    setConnection("Connection lost; reconnecting…");
  };
}

setInterval(tick, 1000);
listen();
