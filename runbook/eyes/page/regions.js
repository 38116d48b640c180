// Regions, found the way a person sees them: the top-most dialog or popup (a role=dialog, a <dialog>, a
// positioned portal at the end of <body>, or a fixed modal drawn inside the app), the side menu (a navigation
// landmark, or a tall narrow column of controls at the left), and the page's content (everything else).
// Layers are listed top-most first and marked data-runbook-layer=<index>.

class Regions {
  // `prefer`: the regions the step's labels live in, its own first (they rank right after the layers).
  constructor(dom, prefer) {
    this.dom = dom;
    this.prefer = (prefer || ["content", "menu"]).filter((r) => r !== "dialog");
    this.appRoot = this.findAppRoot();
    this.layers = this.findLayers();
    this.menuCache = undefined;
  }

  // The app's own root: the largest child of <body> that is not itself an overlay (portals are appended after).
  overlayish(el) {
    const fixedOrAbsolute = (node) => ["fixed", "absolute"].includes(this.dom.style(node).position);
    return fixedOrAbsolute(el) || [...el.children].some(fixedOrAbsolute);
  }

  findAppRoot() {
    let root = null;
    let most = -1;
    for (const pass of [false, true]) {
      for (const child of this.dom.body.children) {
        if (SKIP_TAGS.has(child.tagName) || (!pass && this.overlayish(child))) continue;
        const size = child.getElementsByTagName("*").length;
        if (size > most) [most, root] = [size, child];
      }
      if (root) break;
    }
    return root;
  }

  hasContent(el) {
    return norm(el.innerText) !== "" || [...el.querySelectorAll("canvas, img, svg")].some((e) => this.dom.visible(e));
  }

  findLayers() {
    const dom = this.dom;
    const roots = [];
    const add = (root, explicit) => {
      if (roots.some((l) => l.root === root || l.root.contains(root))) return;
      for (let i = roots.length - 1; i >= 0; i -= 1) if (root.contains(roots[i].root)) roots.splice(i, 1);
      roots.push({ root, explicit });
    };
    for (const el of document.querySelectorAll("dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]")) {
      if (dom.visible(el) && this.hasContent(el)) add(el, true);
    }
    for (const child of dom.body.children) {
      if (child === this.appRoot || SKIP_TAGS.has(child.tagName)) continue;
      if (this.overlayish(child) && this.hasContent(child) && [...child.querySelectorAll("*")].some((e) => dom.visible(e))) add(child, false);
    }
    this.addInAppModals(add);
    const layers = roots.map((layer) => this.layerInfo(layer)).sort((a, b) => this.order(a, b));
    for (const el of document.querySelectorAll("[data-runbook-layer]")) el.removeAttribute("data-runbook-layer");
    layers.forEach((layer, index) => layer.root.setAttribute("data-runbook-layer", String(index)));
    return layers;
  }

  // A modal drawn inside the app's own root (no portal, no role): a fixed element over the whole viewport that
  // takes the clicks (its mask, or a wrapper holding mask and panel), holding content or with a fixed panel
  // beside it. Not an app shell that is itself fixed: a modal holds a small part of the page.
  addInAppModals(add) {
    const dom = this.dom;
    const appRoot = this.appRoot;
    if (!appRoot) return;
    const appSize = appRoot.getElementsByTagName("*").length;
    const small = (el) => el.getElementsByTagName("*").length * 2 < appSize;
    const fixed = (el) => dom.style(el).position === "fixed";
    for (const el of appRoot.querySelectorAll("*")) {
      if (!fixed(el) || !dom.covers(el) || dom.style(el).pointerEvents === "none" || !dom.visible(el) || !small(el)) continue;
      if (this.hasContent(el)) {
        add(el, false);
        continue;
      }
      const parent = parentOf(el);
      if (parent && parent !== appRoot && small(parent) && this.hasContent(parent)) {
        add(parent, false);
        continue;
      }
      for (let next = el.nextElementSibling; next; next = next.nextElementSibling) {
        if (["fixed", "absolute"].includes(dom.style(next).position) && dom.visible(next) && this.hasContent(next)) add(next, true);
      }
    }
  }

  layerInfo({ root, explicit }) {
    const dom = this.dom;
    const inner = root.matches("dialog, [role=dialog], [role=alertdialog]") ? root : root.querySelector("dialog[open], [role=dialog], [role=alertdialog]");
    const modal = explicit || Boolean(inner) || dom.covers(root) || [...root.querySelectorAll("*")].some((e) => dom.style(e).position === "fixed" && dom.covers(e));
    let title = inner ? dom.nameOf(inner) : "";
    if (!title || title === norm(inner && inner.innerText)) {
      const heading = root.querySelector("h1, h2, h3, h4, [role=heading]");
      title = heading && dom.visible(heading) ? norm(heading.innerText) : "";
    }
    if (!title) {
      // The first line of text that is not a control: how a person reads a dialog's title.
      for (const el of root.querySelectorAll("*")) {
        if (!dom.visible(el) || dom.controlKind(el) || dom.retarget(el, root)) continue;
        const own = ownText(el);
        if (own) {
          title = own;
          break;
        }
      }
    }
    const controls = [...root.querySelectorAll("*")].filter((e) => dom.controlKind(e) && dom.visible(e)).length;
    return { root, modal, title: title.slice(0, 120), controls, text: norm(root.innerText).slice(0, 2000) };
  }

  // Later in the document is on top (portals append); z-index breaks ties when both say.
  zOf(el) {
    for (let node = el; node && node !== this.dom.body; node = parentOf(node)) {
      const z = Number(this.dom.style(node).zIndex);
      if (!Number.isNaN(z)) return z;
    }
    return 0;
  }

  order(a, b) {
    return this.zOf(b.root) - this.zOf(a.root) || (a.root.compareDocumentPosition(b.root) & Node.DOCUMENT_POSITION_FOLLOWING ? 1 : -1);
  }

  inLayer(el) {
    return this.layers.findIndex((layer) => layer.root.contains(el));
  }

  summary() {
    return this.layers.map((l, index) => ({ index, modal: l.modal, title: l.title, controls: l.controls, text: l.text }));
  }

  // The panel a person sees as the dialog: the role=dialog element, else the outermost visible element of the
  // layer that holds all its text without covering the viewport (not the portal, not the mask).
  panelOf(root) {
    const dom = this.dom;
    const inner = root.matches("dialog, [role=dialog], [role=alertdialog]") ? root : root.querySelector("dialog[open], [role=dialog], [role=alertdialog]");
    if (inner && dom.visible(inner)) return inner;
    const text = norm(root.innerText);
    const queue = [root];
    while (queue.length) {
      const node = queue.shift();
      if (node !== root && dom.visible(node) && !dom.covers(node) && norm(node.innerText) === text) return node;
      queue.push(...node.children);
    }
    return root;
  }

  // -- the side menu --------------------------------------------------------------------------------------------

  tallLeft(el) {
    const r = el.getBoundingClientRect();
    return r.left < this.dom.vw * 0.25 && r.width <= this.dom.vw * 0.4 && r.height >= this.dom.vh * 0.4;
  }

  menu() {
    if (this.menuCache === undefined) this.menuCache = this.findMenu();
    return this.menuCache;
  }

  findMenu() {
    const marked = [...document.querySelectorAll("nav, [role=navigation], aside, [role=menu], [role=menubar], [role=tree]")]
      .filter((el) => this.dom.visible(el) && this.inLayer(el) < 0);
    const outer = marked.filter((el) => !marked.some((other) => other !== el && other.contains(el)));
    const side = outer.find((el) => this.tallLeft(el));
    if (side) return side;
    return this.unmarkedColumn() || outer[0] || null;
  }

  // No landmark: the outermost tall, narrow column at the left that holds several controls.
  unmarkedColumn() {
    const dom = this.dom;
    const counts = new Map();
    for (const el of dom.elements()) {
      if (!dom.controlKind(el) || !dom.visible(el) || this.inLayer(el) >= 0) continue;
      let column = null;
      for (let node = parentOf(el); node && node !== dom.body && node !== this.appRoot; node = parentOf(node)) if (this.tallLeft(node)) column = node;
      if (column) counts.set(column, (counts.get(column) || 0) + 1);
    }
    let best = null;
    for (const [column, count] of counts) if (count >= 3 && (!best || count > counts.get(best))) best = column;
    return best;
  }

  // -- where an element is, and how it ranks for the step under way --------------------------------------------

  regionOf(el) {
    const index = this.inLayer(el);
    if (index >= 0) return `layer${index}`;
    const menu = this.menu();
    return menu && menu.contains(el) ? "menu" : "content";
  }

  // Layers rank 0, 1, … (top-most first), then 100 + the region's place in `prefer`.
  rankOf(region) {
    if (region.startsWith("layer")) return Number(region.slice(5));
    const at = this.prefer.indexOf(region);
    return 100 + (at < 0 ? 50 : at);
  }

  // Where a control stands, for telling two that say the same apart: its layer or region, and the repeated item it
  // sits in (a table row, a card among like cards). Two of one place would do the same (a dialog's corner icon
  // and its footer button both close it); two of different places, different things (the rows of two accounts).
  placeOf(el, region) {
    const layer = region.startsWith("layer") ? this.layers[Number(region.slice(5))].root : null;
    for (let node = parentOf(el); node && node !== this.dom.body && node !== layer; node = parentOf(node)) {
      if (this.repeated(node)) return `${region}/${this.itemId(node)}`;
    }
    return region;
  }

  // An item among like siblings: another child of its parent has the same tag and the same children's tags.
  repeated(node) {
    const parent = parentOf(node);
    if (!parent) return false;
    const shape = (el) => `${el.tagName}:${[...el.children].map((child) => child.tagName).join(",")}`;
    const own = shape(node);
    return [...parent.children].some((other) => other !== node && shape(other) === own);
  }

  itemId(node) {
    if (!this.items) this.items = new Map();
    if (!this.items.has(node)) this.items.set(node, this.items.size);
    return this.items.get(node);
  }

  // The row or group a control sits in, for a person to tell two alike apart.
  contextOf(el) {
    for (let node = parentOf(el), depth = 0; node && node !== this.dom.body && depth < 6; node = parentOf(node), depth += 1) {
      const text = norm(node.innerText);
      if (text.length > norm(el.innerText).length + 2) return text.slice(0, 80);
    }
    return "";
  }

  // How deep in the side menu a control stands: the lists (and submenu bodies, named by a title's aria-controls)
  // around it, counted from the menu's shallowest entries (0: a top-level entry, 1: an item of an open group).
  menuDepth(el) {
    const menu = this.menu();
    if (!this.controlled) {
      this.controlled = new Set();
      for (const title of menu.querySelectorAll("[aria-controls]")) {
        for (const id of title.getAttribute("aria-controls").split(/\s+/)) this.controlled.add(id);
      }
    }
    let depth = 0;
    for (let node = parentOf(el); node && node !== menu; node = parentOf(node)) {
      const role = node.getAttribute("role");
      if (["UL", "OL"].includes(node.tagName) || ["menu", "group", "tree", "list"].includes(role) || (node.id && this.controlled.has(node.id))) depth += 1;
    }
    return depth;
  }

  // What a person could act on, top-most first: each name once, where it ranks best, with its region and, in the
  // side menu, its level (where a renamed entry stood is where its suggestions are looked for first).
  visibleNames() {
    const dom = this.dom;
    const seen = new Map();
    for (const el of dom.elements()) {
      const kind = dom.controlKind(el);
      const region = kind ? this.regionOf(el) : "";
      let name = "";
      if (kind && !dom.groups(el)) name = dom.nameOf(el);
      else if (this.menu() && this.menu().contains(el) && el.children.length === 0) name = dom.textOf(el); // a menu entry drawn as text
      if (!name || name.length > 60 || !dom.visible(el)) continue;
      const place = region || this.regionOf(el);
      const rank = this.rankOf(place);
      const depth = place === "menu" ? this.menuDepth(el) : 0;
      if (!seen.has(name) || rank < seen.get(name).rank) seen.set(name, { name, region: place, rank, depth });
    }
    const names = [...seen.values()].sort((a, b) => a.rank - b.rank);
    const top = Math.min(...names.filter((n) => n.region === "menu").map((n) => n.depth));
    return names.map(({ name, region, depth }) => ({ name, region, level: region === "menu" ? depth - top : 0 }));
  }
}
