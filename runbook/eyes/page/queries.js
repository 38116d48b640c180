// The questions the Python side asks (runbook/eyes/engine.py), one method each. Each call is one look: a Dom and
// its Regions made afresh, and an answer stamped with the document's quiet time and presses. What a query finds
// is marked with our own attributes (data-runbook-*), so that the Python side clicks it through a Locator.

class Look {
  constructor(args) {
    this.args = args;
    this.now = performance.now();
    this.dom = new Dom();
    this.regionsCache = null;
  }

  get regions() {
    return this.regionsCache || (this.regionsCache = new Regions(this.dom, this.args.prefer));
  }

  // The answer: what was asked for, the document's stamp, and the layers when this look read them.
  answer(extra) {
    return stamp(this.now, { layers: this.regionsCache ? this.regionsCache.summary() : [], ...extra });
  }

  // The element an earlier query marked (args.token) and its checkable box (or itself, an input); null: gone.
  marked() {
    const el = markedBy(this.args.token);
    return el && { el, box: this.dom.checkableOf(el) || (el.tagName === "INPUT" ? el : null) };
  }

  // args.within: a selector of one of our own marks (a list row): only controls inside it are considered.
  outside(el) {
    if (!this.args.within) return false;
    if (this.withinCache === undefined) this.withinCache = deepQuery(this.args.within);
    return !(this.withinCache && this.withinCache.contains(el));
  }
}

const markedBy = (token) => deepQuery(`[data-runbook-target="${token}"], [data-runbook-box="${token}"]`);

// The first element matching `selector` in the document or in any open shadow root in it (our marks are set
// wherever the control is; Playwright's CSS finds them there too).
function deepQuery(selector, root = document) {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const el of root.querySelectorAll("*")) {
    const inner = el.shadowRoot && deepQuery(selector, el.shadowRoot);
    if (inner) return inner;
  }
  return null;
}

function clearMarks(attr) {
  for (const el of document.querySelectorAll(`[${attr}]`)) el.removeAttribute(attr);
}

// What a person reads decides: a control whose visible text is the label says it best; a name found only in its
// attributes (aria-label, title, an icon's alt) serves a control that shows no text, and counts least on one whose
// text says something else (a library that names every modal's OK button "confirm", whatever it reads). Text beats
// an icon's name by more than a tie's margin (runbook/eyes/choice.py: TIE_MARGIN).
const SAYS = { shown: 3, within: 2.4, named: 2.4, otherwise: 2 };

function says(dom, target, k) {
  const shown = key(dom.shownText(target));
  if (shown === k) return "shown";
  if (!shown) return "named";
  return shown.includes(k) ? "within" : "otherwise";
}

const QUERIES = {
  ...INSTRUMENT_QUERIES,

  // Labels to scored candidates, the best few marked data-runbook-target=<token>-<index>; and, with args.names,
  // the visible names.
  find(args) {
    const look = new Look(args);
    const { dom } = look;
    const regions = look.regions;
    const wanted = args.labels.map((label) => [label, key(label)]);
    const squash = (s) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
    const squashed = wanted.map(([, k]) => squash(k));
    const found = new Map(); // target element → candidate
    const consider = (target, label, k) => {
      if (!dom.visible(target)) return;
      const kind = dom.controlKind(target);
      const box = dom.checkableOf(target);
      // Similo's lesson: text and kind survive redesigns; classes and positions do not (they are not used).
      const score = SAYS[says(dom, target, k)] + (kind === "native" || kind === "role" ? 1.5 : kind === "behaves" ? 1 : 0);
      const region = regions.regionOf(target);
      const prior = found.get(target);
      if (prior && prior.score >= score) return;
      found.set(target, {
        el: target, label, score, region, rank: regions.rankOf(region), kind: kind || "text", name: dom.nameOf(target) || label,
        checkable: Boolean(box), checked: dom.checkedOf(box, target), disabled: dom.disabledOf(target, box), context: regions.contextOf(target),
        place: regions.placeOf(target, region), y: Math.round(target.getBoundingClientRect().bottom),
      });
    };
    for (const el of dom.elements()) {
      if (look.outside(el)) continue;
      const tc = el.textContent || "";
      const hasLabelAttr = el.hasAttribute("aria-label") || el.hasAttribute("title") || el.hasAttribute("aria-labelledby") || el.tagName === "INPUT";
      if (tc.length > 400 && !hasLabelAttr) continue;
      const sq = squash(tc);
      if (!hasLabelAttr && !squashed.some((s) => s && sq.includes(s))) continue;
      if (!dom.visible(el)) continue;
      const kind = dom.controlKind(el);
      const own = key(el.innerText);
      if (el.tagName === "SELECT") {
        // A list to choose from: one of its options says the label (a person opens it and picks that one).
        for (const [label, k] of wanted) if ([...el.options].some((o) => key(o.text) === k)) consider(el, label, k);
        continue;
      }
      if (kind) {
        const names = dom.namesOf(el);
        for (const [label, k] of wanted) {
          if (names.some((n) => key(n) === k)) consider(el, label, k);
        }
        continue;
      }
      for (const [label, k] of wanted) {
        if (own !== k && key(el.getAttribute("aria-label") || "") !== k) continue;
        const target = dom.retarget(el, null);
        if (target) {
          // The control around the text is what a person clicks (its text may say more: an icon's name joined).
          consider(target, label, k);
        } else {
          // No control around it: the outermost element that says just this (events bubble to its handler).
          let top = el;
          for (let up = parentOf(top); up && up !== dom.body && key(up.innerText) === k; up = parentOf(up)) top = up;
          consider(top, label, k);
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
    return look.answer({ candidates: out, names: args.names ? regions.visibleNames() : [] });
  },

  // The rows (repeated items) holding a text (args.pattern), each marked data-runbook-row, with its checkable
  // box marked data-runbook-box where a person clicks it. A row never spans a text matching args.others besides
  // its own. args.in_layer: true the top-most dialog, false not in any layer.
  row(args) {
    const look = new Look(args);
    const { dom } = look;
    const regions = look.regions;
    const pattern = new RegExp(args.pattern, "i");
    const others = new RegExp(args.others || "$^", "i");
    const layers = regions.layers;
    const scopeLayer = args.in_layer ? layers.find((l) => l.modal) || layers[0] : null;
    const ROWLIKE = "tr, [role=row], li, [role=listitem], [role=option]";
    const LIST = new Set(["TABLE", "TBODY", "THEAD", "UL", "OL"]);
    const LIST_ROLES = ["table", "grid", "list", "rowgroup", "listbox", "group", "radiogroup"];
    const rows = [];
    for (const el of dom.elements()) {
      if (scopeLayer ? !scopeLayer.root.contains(el) : args.in_layer === false && regions.inLayer(el) >= 0) continue;
      const own = ownText(el);
      if (!own || !pattern.test(own) || !dom.visible(el)) continue;
      // Up to the row: a row-like element, or the last ancestor before one that holds another account too.
      let row = el;
      for (let up = parentOf(row); up && up !== dom.body && up !== scopeLayer?.root; up = parentOf(up)) {
        if (row.matches(ROWLIKE) || (args.stop_at_control && dom.controlKind(row))) break;
        if (LIST.has(up.tagName) || LIST_ROLES.includes(up.getAttribute("role"))) break;
        const text = dom.spacedText(up).replace(pattern, "");
        if (others.test(text)) break;
        row = up;
      }
      if (rows.some((r) => r.el === row)) continue;
      const boxes = [...row.querySelectorAll("input[type=checkbox], input[type=radio], [role=checkbox], [role=radio]")];
      const box = boxes.length === 1 ? boxes[0] : null;
      rows.push({ el: row, box, shown: box ? shownBox(dom, box, row) : null });
    }
    const out = rows.map(({ el, box, shown }, index) => {
      if (shown && args.token) shown.setAttribute("data-runbook-box", `${args.token}-${index}`);
      if (args.token) el.setAttribute("data-runbook-row", `${args.token}-${index}`);
      return { text: norm(el.innerText).slice(0, 300), words: dom.spacedText(el).slice(0, 300), has_box: Boolean(box), clickable: Boolean(shown), checked: dom.checkedOf(box, shown), disabled: dom.disabledOf(shown || el, box) };
    });
    return look.answer({ rows: out });
  },

  // What Playwright checks before a click, for a page that draws no frames (a background tab): visible, enabled,
  // where it is (the caller compares two looks), and not covered at the centre of its visible part.
  ready(args) {
    const look = new Look(args);
    const found = look.marked();
    if (!found) return look.answer({ attached: false });
    const { el, box } = found;
    const { dom } = look;
    let r = el.getBoundingClientRect();
    const off = (x, y) => x < 0 || y < 0 || x >= dom.vw || y >= dom.vh;
    if (off(r.left + r.width / 2, r.top + r.height / 2)) {
      el.scrollIntoView({ block: "center", inline: "center" });
      r = el.getBoundingClientRect();
    }
    // Where Playwright clicks: the centre of the part inside the viewport.
    const [left, top] = [Math.max(r.left, 0), Math.max(r.top, 0)];
    const [right, bottom] = [Math.min(r.right, dom.vw), Math.min(r.bottom, dom.vh)];
    const at = right > left && bottom > top ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
    return look.answer({
      attached: true,
      visible: dom.visible(el),
      disabled: dom.disabledOf(el, box),
      rect: [r.left, r.top, r.width, r.height].map((v) => Math.round(v)),
      uncovered: Boolean(at) && (at === el || el.contains(at)),
    });
  },

  // The checked state of the marked element.
  state(args) {
    const look = new Look(args);
    const found = look.marked();
    if (!found) return look.answer({ attached: false });
    const { el, box } = found;
    return look.answer({ attached: true, checked: look.dom.checkedOf(box, el), disabled: look.dom.disabledOf(el, box) });
  },

  // A signature of what a click can change: the document, the URL, the layers, the visible text, the target's
  // state.
  sig(args) {
    const look = new Look(args);
    const { dom } = look;
    const layers = look.regions.layers;
    const el = args.token ? markedBy(args.token) : null;
    const box = el ? dom.checkableOf(el) : null;
    const text = norm(dom.body.innerText);
    let hash = 0;
    for (let i = 0; i < text.length; i += 1) hash = (hash * 31 + text.charCodeAt(i)) | 0;
    const target = el ? [el.isConnected, dom.checkedOf(box, el), el.getAttribute("aria-expanded"), el.getAttribute("aria-selected"), dom.disabledOf(el, box)].join() : "gone";
    const { presses } = instruments();
    return look.answer({ sig: [presses.doc, location.href, layers.length, layers.map((l) => l.title).join("/"), text.length, hash, target].join("|") });
  },

  // Controls that may open a menu, marked data-runbook-trigger: those that say so (aria-haspopup), then those that
  // draw a caret after their name, then (args.icons: in a row, whose options menu is often a bare "···" icon with
  // no name at all) the icon-only ones. What each opens tells the caller whether it was the menu.
  triggers(args) {
    const look = new Look(args);
    const { dom } = look;
    const regions = look.regions;
    const prefer = args.prefer || ["content"];
    const found = [];
    for (const el of dom.elements()) {
      if (look.outside(el) || !dom.controlKind(el) || !dom.visible(el) || el.getAttribute("aria-expanded") === "true") continue;
      const region = regions.regionOf(el);
      if (!prefer.includes(region) && !region.startsWith("layer")) continue;
      const says = el.getAttribute("aria-haspopup") || el.getAttribute("aria-expanded") === "false";
      const last = el.lastElementChild;
      const caret = last && last.tagName.toLowerCase() === "svg" && el.children.length > 1 && norm(el.innerText).length > 0;
      const icon = args.icons && !norm(el.innerText) && el.querySelector("svg, img, i, [role=img]");
      const evidence = says ? 0 : caret ? 1 : icon ? 2 : -1;
      if (evidence < 0 || found.some((other) => other.el.contains(el) || el.contains(other.el))) continue;
      found.push({ el, evidence, name: dom.nameOf(el), region });
    }
    found.sort((a, b) => a.evidence - b.evidence);
    const out = found.slice(0, 6).map(({ el, name, region }, index) => {
      el.setAttribute("data-runbook-trigger", `${args.token}-${index}`);
      return { index, name, region };
    });
    return look.answer({ triggers: out });
  },

  // The top-most dialog's close icon when it has no name: an icon-only control in the panel's top-right corner,
  // marked data-runbook-closer (what it does, closing the dialog, is the caller's check).
  closer(args) {
    const look = new Look(args);
    const { dom } = look;
    const layer = look.regions.layers.find((l) => l.modal) || look.regions.layers[0];
    if (!layer) return look.answer({ found: false });
    const panel = look.regions.panelOf(layer.root).getBoundingClientRect();
    for (const el of layer.root.querySelectorAll("*")) {
      if (!dom.controlKind(el) || norm(el.innerText) || !el.querySelector("svg, img, i, [role=img]") || !dom.visible(el)) continue;
      const r = el.getBoundingClientRect();
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
      if (x < panel.right - panel.width / 4 || y > panel.top + Math.min(panel.height / 4, 80)) continue;
      el.setAttribute("data-runbook-closer", args.token);
      return look.answer({ found: true });
    }
    return look.answer({ found: false });
  },

  // The open dialog titled as wanted, else the top-most modal one, its panel marked data-runbook-dialog.
  dialog(args) {
    const look = new Look(args);
    const regions = look.regions;
    const titles = (args.titles || []).map(key).filter(Boolean);
    const dialogs = regions.layers.filter((l) => l.modal || l.controls > 0);
    const titled = dialogs.find((l) => titles.some((t) => key(l.title).includes(t)));
    const chosen = titled || dialogs.find((l) => l.modal) || null;
    if (!chosen) return look.answer({ dialog: null });
    regions.panelOf(chosen.root).setAttribute("data-runbook-dialog", args.token);
    const index = regions.layers.indexOf(chosen);
    return look.answer({ dialog: { index, modal: chosen.modal, title: chosen.title, controls: chosen.controls, text: chosen.text } });
  },

  // The controls the side menu shows now, in page order, each marked data-runbook-item, with its level in the menu
  // and, on a group's title that says it, whether the group is open.
  menu_items(args) {
    const look = new Look(args);
    const { dom } = look;
    const menu = look.regions.menu();
    let items = menu ? [...menu.querySelectorAll("*")].filter((el) => dom.controlKind(el) && dom.visible(el)) : [];
    items = items.filter((el) => !dom.groups(el));
    items = items.filter((el) => !items.some((other) => other !== el && other.contains(el)));
    const depths = items.map((el) => look.regions.menuDepth(el));
    const top = Math.min(...depths);
    return look.answer({
      items: items.map((el, index) => {
        el.setAttribute("data-runbook-item", `${args.token}-${index}`);
        const expanded = el.getAttribute("aria-expanded");
        return { index, name: dom.nameOf(el), level: depths[index] - top, expanded: expanded === null ? null : expanded === "true" };
      }),
    });
  },

  // The text box a visible label names (a <label>, aria, or a text just above it), marked data-runbook-field; with
  // args.hinted, also one whose own hint says it (its placeholder, or its name: a search box). args.in_layer: true,
  // in the top-most dialog; false, outside every dialog.
  field(args) {
    const look = new Look(args);
    const { dom } = look;
    const wanted = args.labels.map(key);
    const TEXTBOX = "input:not([type]), input[type=text], input[type=search], input[type=email], textarea, [contenteditable=true]";
    const where = (el) => args.in_layer === undefined || args.in_layer === null || (look.regions.inLayer(el) >= 0) === args.in_layer;
    if (args.hinted) {
      for (const el of dom.elements()) {
        if (!el.matches(TEXTBOX) || !dom.visible(el) || !where(el)) continue;
        const hint = key(el.getAttribute("placeholder") || el.getAttribute("aria-label") || "");
        if (!hint || !wanted.some((w) => hint.includes(w))) continue;
        el.setAttribute("data-runbook-field", args.token);
        return look.answer({ found: true });
      }
    }
    for (const el of dom.elements()) {
      const own = key(ownText(el));
      if (!own || !wanted.some((w) => own.includes(w)) || !dom.visible(el) || !where(el)) continue;
      for (let up = parentOf(el), depth = 0; up && up !== dom.body && depth < 3; up = parentOf(up), depth += 1) {
        const boxes = [...up.querySelectorAll(TEXTBOX)].filter((box) => dom.visible(box));
        if (boxes.length === 1) {
          boxes[0].setAttribute("data-runbook-field", args.token);
          return look.answer({ found: true });
        }
        if (boxes.length > 1) break;
      }
    }
    return look.answer({ found: false });
  },

  // Whether the app's own content is on screen: the document has loaded and shows something to act on (a booting
  // app shows a spinner or a skeleton: nothing to click), or at least a paragraph's worth of text.
  content(args) {
    const look = new Look(args);
    const { dom } = look;
    if (document.readyState !== "complete") return look.answer({ shows: false });
    const text = norm(dom.body.innerText);
    const shows = text.length >= 80 || dom.elements().some((el) => dom.controlKind(el) && norm(el.innerText || el.getAttribute("aria-label") || "") && dom.visible(el));
    return look.answer({ shows });
  },

  // What a person could act on now, top-most first.
  names(args) {
    const look = new Look(args);
    return look.answer({ names: look.regions.visibleNames() });
  },

  // The side menu, marked data-runbook-menu.
  menu(args) {
    const look = new Look(args);
    clearMarks("data-runbook-menu");
    const menu = look.regions.menu();
    if (menu) menu.setAttribute("data-runbook-menu", "");
    return look.answer({ menu: Boolean(menu) });
  },

  // The open dialogs and popups, top-most first.
  layers(args) {
    const look = new Look(args);
    look.regions; // eslint-disable-line no-unused-expressions -- reading them is the answer
    return look.answer({});
  },
};

// Where a person clicks a row's box: its label, else the box itself when it is drawn at a clickable size, else
// what draws it (never a hidden input).
function shownBox(dom, box, row) {
  const label = box.closest("label") || (box.labels && box.labels[0]);
  const r = box.getBoundingClientRect();
  if (label && dom.visible(label)) return label;
  if (dom.visible(box) && r.width >= 8 && r.height >= 8 && dom.style(box).opacity !== "0") return box;
  for (let up = parentOf(box); up && up !== row; up = parentOf(up)) if (dom.visible(up)) return up;
  return null;
}
