// Instrumentation: what the engine keeps in a document from one call to the next. How long the DOM has been
// quiet (a MutationObserver, installed on first use), how many presses the document received, and promises that
// wait for its next change. Every answer carries these (stamp()).

function instruments() {
  if (!window.__runbookQuiet) {
    // waiters: the "change" query's promises, settled at the next change.
    const quiet = { last: performance.now(), count: 0, waiters: [] };
    new MutationObserver((records) => {
      // Our own marks are not the page changing.
      if (records.every((r) => r.type === "attributes" && r.attributeName && r.attributeName.startsWith("data-runbook-"))) return;
      quiet.last = performance.now();
      quiet.count += 1;
      const waiters = quiet.waiters;
      quiet.waiters = [];
      for (const settle of waiters) settle(true);
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    window.__runbookQuiet = quiet;
  }
  // Presses: whether a click reached the page at all. A starved renderer can drop a click that Playwright had
  // started; a page still loading its data then changes by itself, which would pass for the click's effect.
  // Every pointerdown and click the document receives is counted (capture phase, before the page's own
  // handlers), with an id that changes with the document.
  if (!window.__runbookPresses) {
    const presses = { doc: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, count: 0 };
    const count = () => {
      presses.count += 1;
    };
    window.addEventListener("pointerdown", count, true);
    window.addEventListener("click", count, true);
    window.__runbookPresses = presses;
  }
  return { quiet: window.__runbookQuiet, presses: window.__runbookPresses };
}

// What every answer says of the document at `now` (when the call began).
function stamp(now, extra) {
  const { quiet, presses } = instruments();
  return { quiet_ms: now - quiet.last, mutations: quiet.count, url: location.href, doc: presses.doc, presses: presses.count, ...extra };
}

const INSTRUMENT_QUERIES = {
  // Asked between looks, often: only how long the DOM has been quiet, without a pass over the page.
  quiet() {
    return stamp(performance.now(), {});
  },

  // Between looks: a promise settled at the DOM's next change after args.mutations changes, or after args.ms.
  // Event-driven: polling at every animation frame kept the page drawing frames all the while.
  change(args) {
    const { quiet } = instruments();
    if (quiet.count !== args.mutations) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (changed) => {
        clearTimeout(timer);
        quiet.waiters = quiet.waiters.filter((other) => other !== settle);
        resolve(changed);
      };
      const timer = setTimeout(() => settle(false), args.ms);
      quiet.waiters.push(settle);
    });
  },

  // Whether the page draws frames: a window's background tab gets about one a second (two frames within args.ms,
  // as Playwright's own check before a click waits for two).
  draws(args) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), args.ms);
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          clearTimeout(timer);
          resolve(true);
        }),
      );
    });
  },
};
