// The share page: draws the board the runbook sends (server-sent events, or polling where those are missing).
// Everything shown is set as text, never as HTML: handles, notes, names and messages come from elsewhere.
// Each account's card is drawn once and then updated in place: a new code swaps into the same picture.
"use strict";

const client = Math.random().toString(36).slice(2) + Date.now().toString(36); // one page, across reconnects
let board = null;
let skew = 0; // server clock minus this device's clock, in ms: the countdown follows the server's
const cards = new Map(); // account -> its card's parts

const STATUS_TEXT = {
  starting: "Getting a code for you…",
  waiting: "Waiting for you to scan",
  expired: "This code has expired: a new one is coming",
  accepted: "Accepted, thank you",
  assigned: "Accepted, thank you: all done",
  already: "Accepted, thank you: all done",
  "timed out": "Time is up",
  "linked-not-assigned": "Accepted, thank you",
  failed: "Cancelled",
};
const GOOD = new Set(["assigned", "already", "accepted", "linked-not-assigned"]);
const PENDING = new Set(["starting", "waiting", "expired"]);
const SOMEONE = "whoever sent you this link";

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

function countdownText(expiresAt) {
  const seconds = left(expiresAt);
  if (seconds === null) return "Scan it soon: codes expire.";
  if (seconds === 0) return "This code has expired: a new one is coming.";
  return `Expires in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function show(node, visible) {
  node.hidden = !visible;
}

function newCard(account) {
  const parts = { node: el("section", "card") };
  parts.node.setAttribute("aria-label", account);
  parts.node.append(el("h2", "", account));
  parts.note = el("p", "note");
  parts.status = el("p", "status");
  parts.qr = el("img", "qr");
  parts.qr.alt = `QR code for ${account}`;
  parts.qr.width = 320;
  parts.qr.height = 320;
  parts.countdown = el("p", "countdown");
  parts.phone = el("p", "phone");
  parts.phone.append("On the phone with TikTok? A phone cannot scan its own screen: ");
  parts.link = el("a", "open", "open the code in TikTok");
  parts.link.rel = "noreferrer";
  parts.phone.append(parts.link, ", or open this page on another screen and scan it there.");
  parts.attempt = el("p", "message attempt");
  parts.message = el("p", "message");
  parts.node.append(parts.note, parts.status, parts.qr, parts.countdown, parts.phone, parts.attempt, parts.message);
  return parts;
}

function update(parts, account) {
  parts.note.textContent = account.note || "";
  show(parts.note, Boolean(account.note));
  const warn = account.status === "expired";
  const kind = GOOD.has(account.status) ? "ok" : warn ? "warn" : PENDING.has(account.status) ? "" : "bad";
  parts.status.className = `status ${kind}`;
  parts.status.textContent = STATUS_TEXT[account.status] || "Cancelled";
  parts.status.dataset.status = account.status;
  show(parts.qr, Boolean(account.qr));
  if (account.qr && parts.qr.getAttribute("src") !== account.qr) parts.qr.src = account.qr; // the new code, in place
  parts.qr.classList.toggle("stale", account.status === "expired");
  show(parts.countdown, Boolean(account.qr) && account.status === "waiting");
  parts.countdown.dataset.expiresAt = account.expires_at || "";
  parts.countdown.textContent = countdownText(account.expires_at);
  const link = account.qr && account.status === "waiting" && /^https?:\/\//.test(account.link || "");
  show(parts.phone, Boolean(link));
  if (link) parts.link.href = account.link;
  parts.attempt.textContent = account.qr && account.attempt > 1 ? `Code #${account.attempt}` : "";
  show(parts.attempt, Boolean(parts.attempt.textContent));
  parts.message.textContent = account.message || "";
  show(parts.message, Boolean(account.message));
}

function draw(next) {
  board = next;
  skew = Date.parse(next.now) - Date.now();
  const asker = next.business_center;
  document.getElementById("asker").textContent = asker
    ? `${asker} asks for access to your TikTok account for advertising.`
    : "A TikTok Business Center asks for access to your TikTok account for advertising.";
  document.querySelectorAll(".grants .who").forEach((node) => {
    node.textContent = asker || "The Business Center";
  });
  const main = document.getElementById("accounts");
  const shown = new Set();
  for (const account of next.accounts) {
    shown.add(account.account);
    if (!cards.has(account.account)) {
      cards.set(account.account, newCard(account.account));
      main.append(cards.get(account.account).node);
    }
    update(cards.get(account.account), account);
  }
  for (const [name, parts] of cards) {
    if (!shown.has(name)) {
      parts.node.remove();
      cards.delete(name);
    }
  }
  const empty = main.querySelector(".empty");
  if (!next.accounts.length && !empty) main.append(el("p", "message empty", "No code yet: this page updates by itself."));
  if (next.accounts.length && empty) empty.remove();
  const ended = document.getElementById("ended");
  show(ended, next.final);
  if (next.final) {
    const open = next.accounts.some((account) => !GOOD.has(account.status));
    ended.textContent =
      "This request has ended: this page no longer changes." +
      (open ? ` If you still want to accept, ask ${asker || SOMEONE} for a new code.` : " You can close it.");
    setConnection("Finished.");
  }
}

// After the end: the same command run again serves this very link. The page looks now and then (for an hour),
// and follows the new run once there is one.
const RERUN_LOOK_MS = 10000;
const RERUN_LOOKS = 360;
let looks = 0;
let endedRun = null; // the run whose end this page has seen, while it looks for the next

function lookForRerun() {
  if (++looks > RERUN_LOOKS) return;
  fetch(`state?c=${client}`, { cache: "no-store" })
    .then((answer) => (answer.ok ? answer.json() : Promise.reject(answer.status)))
    .then((next) => {
      if (next.run !== endedRun && !next.final) {
        endedRun = null;
        looks = 0;
        return listen();
      }
      setTimeout(lookForRerun, RERUN_LOOK_MS);
    })
    .catch(() => setTimeout(lookForRerun, RERUN_LOOK_MS));
}

function ended() {
  if (endedRun !== null) return; // looking already
  endedRun = board.run;
  setTimeout(lookForRerun, RERUN_LOOK_MS);
}

function setConnection(text) {
  document.getElementById("connection").textContent = text;
}

function tick() {
  document.querySelectorAll(".countdown").forEach((node) => {
    node.textContent = countdownText(node.dataset.expiresAt || null);
  });
}

function poll() {
  fetch(`state?c=${client}`, { cache: "no-store" })
    .then((answer) => (answer.ok ? answer.json() : Promise.reject(answer.status)))
    .then((next) => {
      draw(next);
      setConnection("Live (refreshing every 2 s).");
      if (!next.final) setTimeout(poll, 2000);
      else ended();
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
  source.addEventListener("end", () => {
    source.close();
    ended();
  });
  source.onerror = () => {
    if (board && board.final) {
      source.close();
      return ended();
    }
    setConnection("Connection lost; reconnecting…");
  };
}

setInterval(tick, 1000);
listen();
