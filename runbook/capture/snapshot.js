// A DOM snapshot as static HTML: what a person saw, readable offline beside the step's screenshot. Open shadow
// roots become declarative ones (<template shadowrootmode="open">, which browsers parse back into shadow roots),
// same-origin frames their document as srcdoc, a canvas the picture it holds; scripts are left out (a snapshot
// shows, it does not run) and form controls keep their current values as attributes.
(() => {
  const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
    'track', 'wbr']);
  const SKIP = new Set(['script', 'noscript']);
  const text = value => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const attribute = value => text(value).replace(/"/g, '&quot;');

  function attributes(element) {
    const pairs = [];
    for (const {name, value} of element.attributes) {
      if (/^on/i.test(name)) continue;  // handlers do nothing in a static page
      pairs.push([name, value]);
    }
    const tag = element.localName;
    if (tag === 'input' || tag === 'textarea' || tag === 'select') {
      if ('value' in element && element.type !== 'password') pairs.push(['value', String(element.value)]);
      if (element.checked) pairs.push(['checked', '']);
    }
    if (tag === 'canvas') {
      try { pairs.push(['data-picture', element.toDataURL('image/png')]); } catch (e) { /* a tainted canvas */ }
    }
    return pairs.map(([name, value]) => value === '' ? ` ${name}` : ` ${name}="${attribute(value)}"`).join('');
  }

  function frameDocument(element) {
    try { return element.contentDocument; } catch (e) { return null; }  // another origin's: its src stays
  }

  function node(current) {
    if (current.nodeType === Node.TEXT_NODE) {
      const parent = current.parentNode && current.parentNode.localName;
      return parent === 'style' ? current.data : text(current.data);
    }
    if (current.nodeType === Node.COMMENT_NODE || current.nodeType !== Node.ELEMENT_NODE) return '';
    const tag = current.localName;
    if (SKIP.has(tag)) return '';
    if (tag === 'canvas') {  // the picture it holds, as an image a person sees
      let picture = '';
      try { picture = current.toDataURL('image/png'); } catch (e) { /* tainted */ }
      const box = current.getBoundingClientRect();
      return `<img alt="(canvas)" src="${attribute(picture)}" width="${Math.round(box.width)}" ` +
        `height="${Math.round(box.height)}">`;
    }
    let open = `<${tag}${attributes(current)}`;
    if (tag === 'iframe' || tag === 'frame') {
      const inner = frameDocument(current);
      if (inner && inner.documentElement) open += ` srcdoc="${attribute(whole(inner))}"`;
    }
    open += '>';
    if (VOID.has(tag)) return open;
    let inside = '';
    if (current.shadowRoot) {  // closed roots are null here: they stay out, as they do for every tool
      inside += `<template shadowrootmode="open">${children(current.shadowRoot)}</template>`;
    }
    const content = tag === 'template' ? current.content : current;
    inside += children(content);
    return `${open}${inside}</${tag}>`;
  }

  function children(parent) {
    let out = '';
    for (const child of parent.childNodes) out += node(child);
    return out;
  }

  function whole(doc) {
    const base = `<base href="${attribute(doc.baseURI)}">`;
    const html = node(doc.documentElement);
    // The base first in <head>, so the page's relative stylesheets and pictures resolve where they came from.
    return '<!DOCTYPE html>' + html.replace(/<head([^>]*)>/i, (all) => all + base);
  }

  return whole(document);
})()
