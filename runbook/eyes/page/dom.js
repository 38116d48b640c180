// The DOM model: what an element is to a person. Whether it shows, whether it is a control and of what kind, what
// it says and what it is called, whether it is checked or disabled. Nothing here depends on a component library:
// no class names (but the state word a styled label carries), no generated ids. One Dom per call: styles and the
// list of elements are read once per look.

const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
// Decorations around a label ("+ Add", "Next ›") are not part of what it says.
const clean = (s) => norm(s).replace(/^[^\p{L}\p{N}@(]+|[^\p{L}\p{N})]+$/gu, "");
const key = (s) => clean(s).toLowerCase();
// A node's own text, without its children's.
const ownText = (el) => norm([...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(" "));
const parentOf = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;

const CONTROL_ROLES = new Set([
  "button", "link", "menuitem", "menuitemradio", "menuitemcheckbox", "tab", "option", "treeitem", "switch",
  "checkbox", "radio", "combobox",
]);
const CHECK_ROLES = new Set(["checkbox", "radio", "switch", "menuitemcheckbox", "menuitemradio"]);
const SKIP_TAGS = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "META", "LINK"]);
const CHECKABLE = "input[type=checkbox], input[type=radio], [role=checkbox], [role=radio], [role=switch]";

class Dom {
  constructor() {
    this.styles = new Map();
    this.all = null;
    this.body = document.body;
    this.vw = window.innerWidth;
    this.vh = window.innerHeight;
  }

  style(el) {
    let s = this.styles.get(el);
    if (!s) this.styles.set(el, (s = getComputedStyle(el)));
    return s;
  }

  // Visible as Playwright means it: a non-empty box, and not hidden by visibility or display.
  visible(el) {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    if (el.checkVisibility) return el.checkVisibility({ visibilityProperty: true });
    return this.style(el).visibility !== "hidden";
  }

  // Over (nearly) the whole viewport: a mask, or an app shell.
  covers(el) {
    const r = el.getBoundingClientRect();
    return r.width >= this.vw * 0.9 && r.height >= this.vh * 0.9;
  }

  // Every element, open shadow roots included (not SVG's parts).
  elements() {
    if (this.all) return this.all;
    const all = [];
    const descend = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (SKIP_TAGS.has(el.tagName) || (el instanceof SVGElement && el.tagName !== "svg")) continue;
        all.push(el);
        if (el.shadowRoot) descend(el.shadowRoot);
      }
    };
    descend(this.body);
    return (this.all = all);
  }

  // "native" or "role": a control by its kind; "behaves": a role-less element that acts as one; "" otherwise.
  controlKind(el) {
    const tag = el.tagName;
    if (tag === "BUTTON" || tag === "SUMMARY" || tag === "SELECT" || tag === "A") return "native";
    if (tag === "INPUT") return el.type === "hidden" ? "" : "native";
    if (tag === "LABEL") return el.control || el.querySelector("input") ? "native" : "";
    const role = el.getAttribute("role");
    if (role && CONTROL_ROLES.has(role)) return "role";
    if (el.hasAttribute("onclick") || typeof el.onclick === "function") return "behaves";
    if (el.hasAttribute("aria-expanded") || el.hasAttribute("aria-haspopup")) return "behaves";
    const tabindex = el.getAttribute("tabindex");
    if (tabindex !== null && Number(tabindex) >= 0) return "behaves";
    // cursor: pointer marks a control at the top of the region that shows it (children inherit it).
    if (this.style(el).cursor === "pointer") {
      const parent = parentOf(el);
      if (!parent || parent === this.body || this.style(parent).cursor !== "pointer") return "behaves";
    }
    return "";
  }

  // The control a person clicks to act on text: the text's own element, or the control around it.
  retarget(el, stop) {
    let node = el;
    for (let depth = 0; node && depth < 7; depth += 1) {
      if (node === this.body || node === stop) break;
      if (this.controlKind(node)) return node;
      node = parentOf(node);
    }
    return null;
  }

  checkableOf(el) {
    const role = el.getAttribute("role");
    if (role && CHECK_ROLES.has(role)) return el;
    if (el.tagName === "INPUT" && (el.type === "checkbox" || el.type === "radio")) return el;
    if (el.tagName === "LABEL") {
      const control = el.control || el.querySelector("input");
      if (control && (control.type === "checkbox" || control.type === "radio")) return control;
    }
    const inner = el.querySelector(CHECKABLE);
    return inner && el.querySelectorAll(CHECKABLE).length === 1 ? inner : null;
  }

  // The state of a box: the input's checked, else aria-checked, else the state its label shows.
  checkedOf(box, shown) {
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

  // Disabled as it says (disabled, aria-disabled), or as it shows: a control whose pointer says "not allowed".
  disabledOf(el, box) {
    for (const node of [box, el]) {
      if (!node) continue;
      if (node.disabled || node.getAttribute("aria-disabled") === "true") return true;
    }
    return this.style(el).cursor === "not-allowed";
  }

  // What an element says: its rendered text, in its source's letter case (text-transform is styling).
  textOf(el) {
    const shown = norm(el.innerText);
    const source = norm(el.textContent);
    return shown.toLowerCase() === source.toLowerCase() ? source : shown;
  }

  // The words an element shows, each text apart from the next: innerText runs an inline label and the tag after it
  // together ("@brand.oneAssigned"), which hides both the handle and the word.
  spacedText(el) {
    const parts = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      if (text && node.parentElement && this.visible(node.parentElement)) parts.push(text);
    }
    return norm(parts.join(" "));
  }

  // The text a person sees on a control: an input button's value, else its rendered text.
  shownText(el) {
    if (el.tagName === "INPUT") return ["button", "submit", "reset"].includes(el.type) ? norm(el.value) : "";
    return this.textOf(el);
  }

  nameOf(el) {
    const label = el.getAttribute("aria-label");
    if (label && norm(label)) return norm(label);
    const ids = el.getAttribute("aria-labelledby");
    if (ids) {
      const text = ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.innerText || e.textContent).join(" ");
      if (norm(text)) return norm(text);
    }
    if (el.tagName === "INPUT") {
      if (["button", "submit", "reset"].includes(el.type)) return norm(el.value);
      if (el.labels && el.labels.length) return norm(el.labels[0].innerText);
      return norm(el.getAttribute("placeholder") || el.title);
    }
    const text = this.textOf(el);
    if (text) return text;
    const img = el.querySelector("img[alt], [role=img][aria-label]");
    return norm(el.title || (img && (img.getAttribute("alt") || img.getAttribute("aria-label"))) || "");
  }

  // Whether a control wraps other visible controls that read otherwise: a group (a submenu around its title and its
  // entries) rather than one control, so lists of controls take its members instead.
  groups(el) {
    if (!el.firstElementChild) return false;
    const name = this.nameOf(el);
    for (const inner of el.querySelectorAll("*")) {
      if (this.controlKind(inner) && this.visible(inner) && this.nameOf(inner) !== name) return true;
    }
    return false;
  }

  // Everything a control is called: its text, its accessible name, its title.
  namesOf(el) {
    const out = new Set([this.nameOf(el), this.textOf(el), norm(el.title)]);
    if (el.tagName === "INPUT" && el.labels) for (const l of el.labels) out.add(norm(l.innerText));
    out.delete("");
    return [...out];
  }
}
