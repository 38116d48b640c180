// The runbook's eyes: one pass over the page that finds what a person could act on, by what they read.
//
// Called by pages/candidates.py as page.evaluate(thisFile, args). Nothing here depends on a component library:
// no class names, no generated ids. Regions are found the way a person sees them: the top-most dialog or popup
// (a role=dialog, a <dialog>, or a positioned portal at the end of <body>), the side menu (a navigation landmark,
// or a tall narrow column of controls at the left), and the page's content (everything else).
//
// args.op:
//   "find"  labels → scored candidates (the best marked with data-runbook-target=args.token) + visible names
//   "row"   the rows (repeated items) holding a text (args.pattern): their text, and their checkable box, marked
//   "state" the checked state of the marked element
//   "sig"   a signature of what a click can change (URL, layers, visible text, the target's state)
//   "layers" the open dialogs and popups, top-most first, each marked with data-runbook-layer=<index>
// Every op also reports how long the DOM has been quiet (a MutationObserver installed on first use), and how
// many presses (pointerdown, click) this document has received.
(args) => {
  const doc = document;
  const body = doc.body;
  const now = performance.now();

  // -- quiet: how long since the DOM last changed ----------------------------------------------------------
  if (!window.__runbookQuiet) {
    // waiters: the "change" op's promises, settled at the next change.
    const quiet = { last: now, count: 0, waiters: [] };
    new MutationObserver((records) => {
      // Our own marks are not the page changing.
      if (records.every((r) => r.type === "attributes" && r.attributeName && r.attributeName.startsWith("data-runbook-"))) return;
      quiet.last = performance.now();
      quiet.count += 1;
      const waiters = quiet.waiters;
      quiet.waiters = [];
      for (const settle of waiters) settle(true);
    }).observe(doc, { subtree: true, childList: true, attributes: true, characterData: true });
    window.__runbookQuiet = quiet;
  }
  const quiet = window.__runbookQuiet;
  // -- presses: whether a click reached the page at all ---------------------------------------------------
  // A starved renderer can drop a click that Playwright had started; a page still loading its data then changes
  // by itself, which would pass for the click's effect. Every pointerdown and click the document receives is
  // counted (capture phase, before the page's own handlers), with an id that changes with the document.
  if (!window.__runbookPresses) {
    const presses = { doc: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, count: 0 };
    const count = () => {
      presses.count += 1;
    };
    window.addEventListener("pointerdown", count, true);
    window.addEventListener("click", count, true);
    window.__runbookPresses = presses;
  }
  const presses = window.__runbookPresses;
  // Between looks: a promise settled at the DOM's next change after args.mutations changes, or after args.ms.
  // Event-driven: polling at every animation frame kept the page drawing frames all the while.
  if (args.op === "change") {
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
  }
  // Whether the page draws frames: a window's background tab gets about one a second (two frames within args.ms,
  // as Playwright's own check before a click waits for two).
  if (args.op === "draws") {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), args.ms);
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          clearTimeout(timer);
          resolve(true);
        }),
      );
    });
  }
  // Asked between looks, often: only how long the DOM has been quiet, without a pass over the page.
  if (args.op === "quiet") {
    return { quiet_ms: now - quiet.last, mutations: quiet.count, url: location.href, layers: [], doc: presses.doc, presses: presses.count };
  }

  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  // Decorations around a label ("+ Add", "Next ›") are not part of what it says.
  const clean = (s) => norm(s).replace(/^[^\p{L}\p{N}@(]+|[^\p{L}\p{N})]+$/gu, "");
  const key = (s) => clean(s).toLowerCase();

  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const styleCache = new Map();
  const style = (el) => {
    let s = styleCache.get(el);
    if (!s) styleCache.set(el, (s = getComputedStyle(el)));
    return s;
  };
  const parentOf = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;

  // Visible as Playwright means it: a non-empty box, and not hidden by visibility or display.
  function visible(el) {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    if (el.checkVisibility) return el.checkVisibility({ visibilityProperty: true });
    return style(el).visibility !== "hidden";
  }

  // -- what counts as a control ------------------------------------------------------------------------------
  const ROLES = new Set([
    "button", "link", "menuitem", "menuitemradio", "menuitemcheckbox", "tab", "option", "treeitem", "switch",
    "checkbox", "radio", "combobox",
  ]);
  const CHECK_ROLES = new Set(["checkbox", "radio", "switch", "menuitemcheckbox", "menuitemradio"]);
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "META", "LINK"]);

  // "native" or "role": a control by its kind; "behaves": a role-less element that acts as one; "" otherwise.
  function controlKind(el) {
    const tag = el.tagName;
    if (tag === "BUTTON" || tag === "SUMMARY" || tag === "SELECT" || tag === "A") return "native";
    if (tag === "INPUT") return el.type === "hidden" ? "" : "native";
    if (tag === "LABEL") return el.control || el.querySelector("input") ? "native" : "";
    const role = el.getAttribute("role");
    if (role && ROLES.has(role)) return "role";
    if (el.hasAttribute("onclick") || typeof el.onclick === "function") return "behaves";
    if (el.hasAttribute("aria-expanded") || el.hasAttribute("aria-haspopup")) return "behaves";
    const tabindex = el.getAttribute("tabindex");
    if (tabindex !== null && Number(tabindex) >= 0) return "behaves";
    // cursor: pointer marks a control at the top of the region that shows it (children inherit it).
    if (style(el).cursor === "pointer") {
      const parent = parentOf(el);
      if (!parent || parent === body || style(parent).cursor !== "pointer") return "behaves";
    }
    return "";
  }

  // The control a person clicks to act on text: the text's own element, or the control around it.
  function retarget(el, stop) {
    let node = el;
    for (let depth = 0; node && depth < 7; depth += 1) {
      if (node === body || node === stop) break;
      if (controlKind(node)) return node;
      node = parentOf(node);
    }
    return null;
  }

  function checkableOf(el) {
    const role = el.getAttribute("role");
    if (role && CHECK_ROLES.has(role)) return el;
    if (el.tagName === "INPUT" && (el.type === "checkbox" || el.type === "radio")) return el;
    if (el.tagName === "LABEL") {
      const control = el.control || el.querySelector("input");
      if (control && (control.type === "checkbox" || control.type === "radio")) return control;
    }
    const inner = el.querySelector('input[type=checkbox], input[type=radio], [role=checkbox], [role=radio], [role=switch]');
    return inner && el.querySelectorAll('input[type=checkbox], input[type=radio], [role=checkbox], [role=radio], [role=switch]').length === 1
      ? inner
      : null;
  }

  // The state of a box: the input's checked, else aria-checked, else the state its label shows.
  function checkedOf(box, shown) {
    if (!box) return null;
    if (box.tagName === "INPUT") return box.checked;
    const aria = box.getAttribute("aria-checked");
    if (aria !== null) return aria === "true";
    for (const el of [shown, box]) {
      if (!el) continue;
      for (const attr of ["aria-selected", "aria-pressed", "data-state", "data-checked"]) {
        const value = el.getAttribute(attr);
        if (value !== null) return value === "true" || value === "checked" || value === "";
      }
      // Reading, not locating: the state word a styled label carries.
      if (/(^|[-_\s])(checked|selected)($|[-_\s])/i.test(el.getAttribute("class") || "")) return true;
    }
    return false;
  }
  function disabledOf(el, box) {
    for (const node of [box, el]) {
      if (!node) continue;
      if (node.disabled || node.getAttribute("aria-disabled") === "true") return true;
    }
    return false;
  }

  // What an element says: its rendered text, in its source's letter case (text-transform is styling).
  function textOf(el) {
    const shown = norm(el.innerText);
    const source = norm(el.textContent);
    return shown.toLowerCase() === source.toLowerCase() ? source : shown;
  }

  function nameOf(el) {
    const label = el.getAttribute("aria-label");
    if (label && norm(label)) return norm(label);
    const ids = el.getAttribute("aria-labelledby");
    if (ids) {
      const text = ids.split(/\s+/).map((id) => doc.getElementById(id)).filter(Boolean).map((e) => e.innerText || e.textContent).join(" ");
      if (norm(text)) return norm(text);
    }
    if (el.tagName === "INPUT") {
      if (["button", "submit", "reset"].includes(el.type)) return norm(el.value);
      if (el.labels && el.labels.length) return norm(el.labels[0].innerText);
      return norm(el.getAttribute("placeholder") || el.title);
    }
    const text = textOf(el);
    if (text) return text;
    const img = el.querySelector("img[alt], [role=img][aria-label]");
    return norm(el.title || (img && (img.getAttribute("alt") || img.getAttribute("aria-label"))) || "");
  }
  // Everything a control is called: its text, its accessible name, its title.
  function namesOf(el) {
    const out = new Set([nameOf(el), textOf(el), norm(el.title)]);
    if (el.tagName === "INPUT" && el.labels) for (const l of el.labels) out.add(norm(l.innerText));
    out.delete("");
    return [...out];
  }

  // -- every element, open shadow roots included ------------------------------------------------------------
  let allCache = null;
  const elements = () => allCache || (allCache = collect());
  function collect() {
    const all = [];
    (function walk(root) {
    for (const el of root.querySelectorAll("*")) {
      if (SKIP.has(el.tagName) || el instanceof SVGElement && el.tagName !== "svg") continue;
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
    })(body);
    return all;
  }

  // -- layers: open dialogs and popups, top-most first --------------------------------------------------------
  // The app's own root: the largest child of <body> that is not itself an overlay (portals are appended after).
  const overlayish = (el) => ["fixed", "absolute"].includes(style(el).position) || [...el.children].some((c) => ["fixed", "absolute"].includes(style(c).position));
  let appRoot = null;
  let most = -1;
  for (const pass of [false, true]) {
    for (const child of body.children) {
      if (SKIP.has(child.tagName) || (!pass && overlayish(child))) continue;
      const size = child.getElementsByTagName("*").length;
      if (size > most) [most, appRoot] = [size, child];
    }
    if (appRoot) break;
  }
  const layerRoots = [];
  const addLayer = (root, explicit) => {
    if (layerRoots.some((l) => l.root === root || l.root.contains(root))) return;
    for (let i = layerRoots.length - 1; i >= 0; i -= 1) if (root.contains(layerRoots[i].root)) layerRoots.splice(i, 1);
    layerRoots.push({ root, explicit });
  };
  const hasContent = (el) => norm(el.innerText) !== "" || [...el.querySelectorAll("canvas, img, svg")].some(visible);
  for (const el of doc.querySelectorAll('dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]')) {
    if (visible(el) && hasContent(el)) addLayer(el, true);
  }
  for (const child of body.children) {
    if (child === appRoot || SKIP.has(child.tagName)) continue;
    if (overlayish(child) && hasContent(child) && [...child.querySelectorAll("*")].some(visible)) addLayer(child, false);
  }
  const covers = (el) => {
    const r = el.getBoundingClientRect();
    return r.width >= vw * 0.9 && r.height >= vh * 0.9;
  };
  // A modal drawn inside the app's own root (no portal, no role): a fixed element over the whole viewport that
  // takes the clicks (its mask, or a wrapper holding mask and panel), holding content or with a fixed panel
  // beside it. Not an app shell that is itself fixed: a modal holds a small part of the page.
  if (appRoot) {
    const appSize = appRoot.getElementsByTagName("*").length;
    const small = (el) => el.getElementsByTagName("*").length * 2 < appSize;
    const fixed = (el) => style(el).position === "fixed";
    for (const el of appRoot.querySelectorAll("*")) {
      if (!fixed(el) || !covers(el) || style(el).pointerEvents === "none" || !visible(el) || !small(el)) continue;
      if (hasContent(el)) {
        addLayer(el, false);
        continue;
      }
      const parent = parentOf(el);
      if (parent && parent !== appRoot && small(parent) && hasContent(parent)) {
        addLayer(parent, false);
        continue;
      }
      for (let next = el.nextElementSibling; next; next = next.nextElementSibling) {
        if (["fixed", "absolute"].includes(style(next).position) && visible(next) && hasContent(next)) addLayer(next, true);
      }
    }
  }
  function layerInfo({ root, explicit }) {
    const inner = root.matches('dialog, [role=dialog], [role=alertdialog]') ? root : root.querySelector('dialog[open], [role=dialog], [role=alertdialog]');
    const modal = explicit || Boolean(inner) || covers(root) || [...root.querySelectorAll("*")].some((e) => style(e).position === "fixed" && covers(e));
    let title = inner ? nameOf(inner) : "";
    if (!title || title === norm(inner && inner.innerText)) {
      const heading = root.querySelector("h1, h2, h3, h4, [role=heading]");
      title = heading && visible(heading) ? norm(heading.innerText) : "";
    }
    if (!title) {
      // The first line of text that is not a control: how a person reads a dialog's title.
      for (const el of root.querySelectorAll("*")) {
        if (!visible(el) || controlKind(el) || retarget(el, root)) continue;
        const own = norm([...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(" "));
        if (own) {
          title = own;
          break;
        }
      }
    }
    const controls = [...root.querySelectorAll("*")].filter((e) => controlKind(e) && visible(e)).length;
    return { root, modal, title: title.slice(0, 120), controls, text: norm(root.innerText).slice(0, 2000) };
  }
  // Later in the document is on top (portals append); z-index breaks ties when both say.
  const zOf = (el) => {
    for (let node = el; node && node !== body; node = parentOf(node)) {
      const z = Number(style(node).zIndex);
      if (!Number.isNaN(z)) return z;
    }
    return 0;
  };
  const order = (a, b) => zOf(b.root) - zOf(a.root) || (a.root.compareDocumentPosition(b.root) & Node.DOCUMENT_POSITION_FOLLOWING ? 1 : -1);
  const layers = layerRoots.map(layerInfo).sort(order);
  for (const el of doc.querySelectorAll("[data-runbook-layer]")) el.removeAttribute("data-runbook-layer");
  layers.forEach((layer, index) => layer.root.setAttribute("data-runbook-layer", String(index)));
  const inLayer = (el) => layers.findIndex((layer) => layer.root.contains(el));

  // -- the side menu --------------------------------------------------------------------------------------------
  function findMenu() {
    const tallLeft = (el) => {
      const r = el.getBoundingClientRect();
      return r.left < vw * 0.25 && r.width <= vw * 0.4 && r.height >= vh * 0.4;
    };
    const marked = [...doc.querySelectorAll("nav, [role=navigation], aside, [role=menu], [role=menubar], [role=tree]")]
      .filter((el) => visible(el) && inLayer(el) < 0);
    const outer = marked.filter((el) => !marked.some((other) => other !== el && other.contains(el)));
    const side = outer.find(tallLeft);
    if (side) return side;
    const column = unmarkedColumn();
    return column || outer[0] || null;
  }
  function unmarkedColumn() {
    const tallLeft = (el) => {
      const r = el.getBoundingClientRect();
      return r.left < vw * 0.25 && r.width <= vw * 0.4 && r.height >= vh * 0.4;
    };
    // No landmark: the outermost tall, narrow column at the left that holds several controls.
    const counts = new Map();
    for (const el of elements()) {
      if (!controlKind(el) || !visible(el) || inLayer(el) >= 0) continue;
      let column = null;
      for (let node = parentOf(el); node && node !== body && node !== appRoot; node = parentOf(node)) if (tallLeft(node)) column = node;
      if (column) counts.set(column, (counts.get(column) || 0) + 1);
    }
    let best = null;
    for (const [column, count] of counts) if (count >= 3 && (!best || count > counts.get(best))) best = column;
    return best;
  }
  let menuCache;
  const menuOf = () => (menuCache === undefined ? (menuCache = findMenu()) : menuCache);
  const regionOf = (el) => {
    const index = inLayer(el);
    if (index >= 0) return `layer${index}`;
    const menu = menuOf();
    return menu && menu.contains(el) ? "menu" : "content";
  };
  const rankOf = (region) => {
    if (region.startsWith("layer")) return Number(region.slice(5));
    const prefer = (args.prefer || ["content", "menu"]).filter((r) => r !== "dialog");
    const at = prefer.indexOf(region);
    return 100 + (at < 0 ? 50 : at);
  };
  const contextOf = (el) => {
    // The row or group a control sits in, for a person to tell two alike apart.
    for (let node = parentOf(el), depth = 0; node && node !== body && depth < 6; node = parentOf(node), depth += 1) {
      const text = norm(node.innerText);
      if (text.length > norm(el.innerText).length + 2) return text.slice(0, 80);
    }
    return "";
  };

  // -- visible names: what a person could act on, top-most first --------------------------------------------
  function visibleNames() {
    const seen = new Map();
    for (const el of elements()) {
      const kind = controlKind(el);
      const region = kind ? regionOf(el) : "";
      let name = "";
      if (kind) name = nameOf(el);
      else if (menuOf() && menuOf().contains(el) && el.children.length === 0) name = textOf(el); // a menu entry drawn as text
      if (!name || name.length > 60 || !visible(el)) continue;
      const r = region || regionOf(el);
      if (!seen.has(name) || rankOf(r) < seen.get(name)) seen.set(name, rankOf(r));
    }
    return [...seen].sort((a, b) => a[1] - b[1]).map(([name]) => name);
  }

  function result(extra) {
    return {
      quiet_ms: now - quiet.last,
      mutations: quiet.count,
      url: location.href,
      doc: presses.doc,
      presses: presses.count,
      layers: layers.map((l, index) => ({ index, modal: l.modal, title: l.title, controls: l.controls, text: l.text })),
      ...extra,
    };
  }

  const marked = (token) => doc.querySelector(`[data-runbook-target="${token}"], [data-runbook-box="${token}"]`);

  function clearMarks(attr) {
    for (const el of doc.querySelectorAll(`[${attr}]`)) el.removeAttribute(attr);
  }

  // args.within: a selector of one of our own marks (a list row): only controls inside it are considered.
  const within = args.within ? doc.querySelector(args.within) : null;
  const outside = (el) => Boolean(args.within) && !(within && within.contains(el));

  // -- find: labels to scored candidates ----------------------------------------------------------------------
  if (args.op === "find") {
    const wanted = args.labels.map((label) => [label, key(label)]);
    const squash = (s) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
    const squashed = wanted.map(([, k]) => squash(k));
    const found = new Map(); // target element → candidate
    const consider = (target, label, exactName, text) => {
      if (!visible(target)) return;
      const kind = controlKind(target);
      const box = checkableOf(target);
      // Similo's lesson: text and kind survive redesigns; classes and positions do not (they are not used).
      const score = (exactName ? 3 : 2.6) + (kind === "native" || kind === "role" ? 1.5 : kind === "behaves" ? 1 : 0) + (text ? 0 : -0.2);
      const region = regionOf(target);
      const prior = found.get(target);
      if (prior && prior.score >= score) return;
      found.set(target, {
        el: target, label, score, region, rank: rankOf(region), kind: kind || "text", name: nameOf(target) || label,
        checkable: Boolean(box), checked: checkedOf(box, target), disabled: disabledOf(target, box), context: contextOf(target),
      });
    };
    for (const el of elements()) {
      if (outside(el)) continue;
      const tc = el.textContent || "";
      const hasLabelAttr = el.hasAttribute("aria-label") || el.hasAttribute("title") || el.hasAttribute("aria-labelledby") || el.tagName === "INPUT";
      if (tc.length > 400 && !hasLabelAttr) continue;
      const sq = squash(tc);
      if (!hasLabelAttr && !squashed.some((s) => s && sq.includes(s))) continue;
      if (!visible(el)) continue;
      const kind = controlKind(el);
      if (kind) {
        const names = namesOf(el);
        const own = key(el.innerText);
        for (const [label, k] of wanted) {
          const hit = names.find((n) => key(n) === k);
          if (hit) consider(el, label, key(nameOf(el)) === k, own === k);
        }
      } else {
        const own = key(el.innerText);
        for (const [label, k] of wanted) {
          if (own !== k && key(el.getAttribute("aria-label") || "") !== k) continue;
          const target = retarget(el, null);
          if (target) {
            // The control around the text says more than the text (an icon's name joined to it, say).
            consider(target, label, key(nameOf(target)) === k, key(target.innerText) === k);
          } else {
            // No control around it: the outermost element that says just this (events bubble to its handler).
            let top = el;
            for (let up = parentOf(top); up && up !== body && key(up.innerText) === k; up = parentOf(up)) top = up;
            consider(top, label, true, true);
          }
        }
      }
    }
    // One control found twice (an outer and an inner element): keep the better, the outer on equal terms.
    let list = [...found.values()];
    list = list.filter((c) => !list.some((o) => o !== c && (o.el.contains(c.el) || c.el.contains(o.el)) &&
      (o.score > c.score || (o.score === c.score && o.el.contains(c.el)))));
    list.sort((a, b) => a.rank - b.rank || b.score - a.score);
    // Each of the best few is marked, so that the one chosen can be clicked through a locator of its own.
    const out = list.slice(0, 6).map(({ el, ...rest }, index) => {
      if (args.token) el.setAttribute("data-runbook-target", `${args.token}-${index}`);
      return { ...rest, index, text: norm(el.innerText).slice(0, 80), tag: el.tagName.toLowerCase() };
    });
    return result({ candidates: out, names: args.names ? visibleNames() : [] });
  }

  // -- row: the repeated item holding a text, and its box ---------------------------------------------------------
  if (args.op === "row") {
    const pattern = new RegExp(args.pattern, "i");
    const others = new RegExp(args.others || "$^", "i");
    const scopeLayer = args.in_layer ? layers.find((l) => l.modal) || layers[0] : null;
    const ROWLIKE = "tr, [role=row], li, [role=listitem], [role=option]";
    const LIST = new Set(["TABLE", "TBODY", "THEAD", "UL", "OL"]);
    const rows = [];
    for (const el of elements()) {
      if (scopeLayer ? !scopeLayer.root.contains(el) : args.in_layer === false && inLayer(el) >= 0) continue;
      const own = norm([...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(" "));
      if (!own || !pattern.test(own) || !visible(el)) continue;
      // Up to the row: a row-like element, or the last ancestor before one that holds another account too.
      let row = el;
      for (let up = parentOf(row); up && up !== body && up !== scopeLayer?.root; up = parentOf(up)) {
        if (row.matches(ROWLIKE) || (args.stop_at_control && controlKind(row))) break;
        const role = up.getAttribute("role");
        if (LIST.has(up.tagName) || ["table", "grid", "list", "rowgroup", "listbox", "group", "radiogroup"].includes(role)) break;
        const text = norm(up.innerText).replace(pattern, "");
        if (others.test(text)) break;
        row = up;
      }
      if (rows.some((r) => r.el === row)) continue;
      const boxes = [...row.querySelectorAll('input[type=checkbox], input[type=radio], [role=checkbox], [role=radio]')];
      const box = boxes.length === 1 ? boxes[0] : null;
      // Where a person clicks: the box's label, else the box itself when it is drawn at a clickable size,
      // else what draws it (never a hidden input).
      let shown = null;
      if (box) {
        const label = box.closest("label") || (box.labels && box.labels[0]);
        const r = box.getBoundingClientRect();
        if (label && visible(label)) shown = label;
        else if (visible(box) && r.width >= 8 && r.height >= 8 && style(box).opacity !== "0") shown = box;
        else for (let up = parentOf(box); up && up !== row && !shown; up = parentOf(up)) if (visible(up)) shown = up;
      }
      rows.push({ el: row, box, shown });
    }
    const out = rows.map(({ el, box, shown }, index) => {
      if (shown && args.token) shown.setAttribute("data-runbook-box", `${args.token}-${index}`);
      if (args.token) el.setAttribute("data-runbook-row", `${args.token}-${index}`);
      return { text: norm(el.innerText).slice(0, 300), has_box: Boolean(box), clickable: Boolean(shown), checked: checkedOf(box, shown), disabled: disabledOf(shown || el, box) };
    });
    return result({ rows: out });
  }

  // -- ready: what Playwright checks before a click, for a page that draws no frames (a background tab) ---------
  // Visible, enabled, where it is (the caller compares two looks), and not covered at its centre.
  if (args.op === "ready") {
    const el = marked(args.token);
    if (!el) return result({ attached: false });
    const box = checkableOf(el) || (el.tagName === "INPUT" ? el : null);
    let r = el.getBoundingClientRect();
    const outside = (x, y) => x < 0 || y < 0 || x >= vw || y >= vh;
    if (outside(r.left + r.width / 2, r.top + r.height / 2)) {
      el.scrollIntoView({ block: "center", inline: "center" });
      r = el.getBoundingClientRect();
    }
    // Where Playwright clicks: the centre of the part inside the viewport.
    const [left, top] = [Math.max(r.left, 0), Math.max(r.top, 0)];
    const [right, bottom] = [Math.min(r.right, vw), Math.min(r.bottom, vh)];
    const at = right > left && bottom > top ? doc.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
    return result({
      attached: true,
      visible: visible(el),
      disabled: disabledOf(el, box),
      rect: [r.left, r.top, r.width, r.height].map((v) => Math.round(v)),
      uncovered: Boolean(at) && (at === el || el.contains(at)),
    });
  }

  if (args.op === "state") {
    const el = marked(args.token);
    if (!el) return result({ attached: false });
    const box = checkableOf(el) || (el.tagName === "INPUT" ? el : null);
    return result({ attached: true, checked: checkedOf(box, el), disabled: disabledOf(el, box) });
  }

  if (args.op === "sig") {
    const el = args.token ? marked(args.token) : null;
    const box = el ? checkableOf(el) : null;
    const text = norm(body.innerText);
    let hash = 0;
    for (let i = 0; i < text.length; i += 1) hash = (hash * 31 + text.charCodeAt(i)) | 0;
    const target = el ? [el.isConnected, checkedOf(box, el), el.getAttribute("aria-expanded"), el.getAttribute("aria-selected"), disabledOf(el, box)].join() : "gone";
    return result({ sig: [presses.doc, location.href, layers.length, layers.map((l) => l.title).join("/"), text.length, hash, target].join("|") });
  }

  // -- triggers: controls that open a menu (they say so, or draw a caret after their name) -------------------
  if (args.op === "triggers") {
    const prefer = args.prefer || ["content"];
    const out = [];
    for (const el of elements()) {
      if (out.length >= 6 || outside(el) || !controlKind(el) || !visible(el)) continue;
      const region = regionOf(el);
      if (!prefer.includes(region) && !region.startsWith("layer")) continue;
      const says = el.getAttribute("aria-haspopup") || el.getAttribute("aria-expanded") === "false";
      const last = el.lastElementChild;
      const caret = last && last.tagName.toLowerCase() === "svg" && el.children.length > 1 && norm(el.innerText).length > 0;
      if (!says && !caret) continue;
      if (el.getAttribute("aria-expanded") === "true") continue;
      el.setAttribute("data-runbook-trigger", `${args.token}-${out.length}`);
      out.push({ index: out.length, name: nameOf(el), region });
    }
    return result({ triggers: out });
  }

  // The panel a person sees as the dialog: the role=dialog element, else the outermost visible element of the
  // layer that holds all its text without covering the viewport (not the portal, not the mask).
  function panelOf(root) {
    const inner = root.matches("dialog, [role=dialog], [role=alertdialog]") ? root : root.querySelector("dialog[open], [role=dialog], [role=alertdialog]");
    if (inner && visible(inner)) return inner;
    const text = norm(root.innerText);
    const queue = [root];
    while (queue.length) {
      const node = queue.shift();
      if (node !== root && visible(node) && !covers(node) && norm(node.innerText) === text) return node;
      queue.push(...node.children);
    }
    return root;
  }

  // -- dialog: the open dialog titled as wanted, else the top-most modal one, marked for a Locator -----------
  if (args.op === "dialog") {
    const titles = (args.titles || []).map(key).filter(Boolean);
    const dialogs = layers.filter((l) => l.modal || l.controls > 0);
    const titled = dialogs.find((l) => titles.some((t) => key(l.title).includes(t)));
    const chosen = titled || dialogs.find((l) => l.modal) || null;
    if (!chosen) return result({ dialog: null });
    panelOf(chosen.root).setAttribute("data-runbook-dialog", args.token);
    const index = layers.indexOf(chosen);
    return result({ dialog: { index, modal: chosen.modal, title: chosen.title, controls: chosen.controls, text: chosen.text } });
  }

  // -- menu items: the controls the side menu shows now, in page order, each marked -------------------------
  if (args.op === "menu_items") {
    const menu = menuOf();
    let items = menu ? [...menu.querySelectorAll("*")].filter((el) => controlKind(el) && visible(el)) : [];
    items = items.filter((el) => !items.some((other) => other !== el && other.contains(el)));
    return result({
      items: items.map((el, index) => {
        el.setAttribute("data-runbook-item", `${args.token}-${index}`);
        return { index, name: nameOf(el) };
      }),
    });
  }

  // -- field: the text box a visible label names (a <label>, aria, or a text just above it) ------------------
  if (args.op === "field") {
    const wanted = args.labels.map(key);
    const TEXTBOX = "input:not([type]), input[type=text], input[type=search], input[type=email], textarea, [contenteditable=true]";
    for (const el of elements()) {
      const own = key([...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(" "));
      if (!own || !wanted.some((w) => own.includes(w)) || !visible(el) || (args.in_layer && inLayer(el) < 0)) continue;
      for (let up = parentOf(el), depth = 0; up && up !== body && depth < 3; up = parentOf(up), depth += 1) {
        const boxes = [...up.querySelectorAll(TEXTBOX)].filter(visible);
        if (boxes.length === 1) {
          boxes[0].setAttribute("data-runbook-field", args.token);
          return result({ found: true });
        }
        if (boxes.length > 1) break;
      }
    }
    return result({ found: false });
  }

  if (args.op === "names") return result({ names: visibleNames() });
  if (args.op === "menu") {
    clearMarks("data-runbook-menu");
    const menu = menuOf();
    if (menu) menu.setAttribute("data-runbook-menu", "");
    return result({ menu: Boolean(menu) });
  }

  return result({});
};
