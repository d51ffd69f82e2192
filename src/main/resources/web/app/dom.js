// Applies new markup to a section by patching the live DOM in place instead of replacing it: nodes that did not
// change are left alone, so focus, text selection, scroll position and opened <details> survive every update and
// nothing jumps. Elements with data-key are matched by key, others by position.
// (No DOM-morphing library such as morphdom is in the Maven registry reachable here; this is the small part of
// one that the page needs.)

export function patch(target, html) {
  patchChildren(target, fragment(html));
}

// Markup parsed outside the page; a template parses a lone <tr> or <td> as itself.
function fragment(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

const parse = (html) => fragment(html).firstElementChild;

// The markup each row was last drawn from: its start tag and its cells.
const rowsDrawn = new WeakMap();

// The rows of a long table, each {key, open, cells}: open is the row's start tag (with data-key), cells the markup of
// its cells. Rows are matched by key and moved, not rebuilt; in a row, a cell whose markup is the one it was drawn
// from is neither parsed nor walked. A page of rows then costs the cells whose values moved, not the whole table.
export function patchRows(body, rows) {
  // A row's key as it was given (the attribute's value may be what the parser made of it: CR becomes LF); the first
  // of two rows with one key is matched, the other is left after the cursor and removed.
  const keyed = new Map();
  for (const tr of body.children) {
    const key = rowsDrawn.get(tr)?.key ?? tr.getAttribute('data-key');
    if (!keyed.has(key)) keyed.set(key, tr);
  }
  let cursor = body.firstElementChild;
  for (const row of rows) {
    let tr = keyed.get(row.key);
    if (tr) {
      keyed.delete(row.key);
      if (tr === cursor) cursor = tr.nextElementSibling;
      else body.insertBefore(tr, cursor);
      patchRow(tr, row);
    } else {
      tr = parse(`${row.open}${row.cells.join('')}</tr>`);
      body.insertBefore(tr, cursor);
    }
    rowsDrawn.set(tr, row);
  }
  while (cursor) {
    const extra = cursor;
    cursor = cursor.nextElementSibling;
    extra.remove();
  }
}

function patchRow(tr, row) {
  const was = rowsDrawn.get(tr);
  if (!was || was.open !== row.open || was.cells.length !== row.cells.length || tr.children.length !== row.cells.length) {
    patchNode(tr, parse(`${row.open}${row.cells.join('')}</tr>`));
    return;
  }
  const cells = tr.children;
  row.cells.forEach((cell, i) => {
    if (cell !== was.cells[i]) patchNode(cells[i], parse(cell));
  });
}

function keyOf(node) {
  return node.nodeType === Node.ELEMENT_NODE ? node.getAttribute('data-key') : null;
}

function sameKind(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName && keyOf(a) === keyOf(b);
}

function patchChildren(from, to) {
  const wanted = [...to.childNodes];
  const keyed = new Map();
  for (const child of from.childNodes) {
    const key = keyOf(child);
    if (key !== null) keyed.set(key, child);
  }
  let cursor = from.firstChild;
  for (const next of wanted) {
    const key = keyOf(next);
    let current = key !== null ? keyed.get(key) : cursor;
    if (current && key !== null) keyed.delete(key);
    if (current && sameKind(current, next)) {
      if (current !== cursor) from.insertBefore(current, cursor);
      patchNode(current, next);
      cursor = current.nextSibling;
    } else {
      from.insertBefore(next, cursor);
    }
  }
  while (cursor) {
    const extra = cursor;
    cursor = cursor.nextSibling;
    from.removeChild(extra);
  }
}

function patchNode(current, next) {
  // The browser compares two subtrees natively far faster than a walk of them here: most of a page does not change
  // from one update to the next, and is not walked.
  if (current.isEqualNode(next)) return;
  if (current.nodeType !== Node.ELEMENT_NODE) {
    if (current.nodeValue !== next.nodeValue) current.nodeValue = next.nodeValue;
    return;
  }
  // The operator opens and closes <details>; the markup never decides that after the first render.
  const keepOpen = current.nodeName === 'DETAILS';
  for (const { name } of [...current.attributes]) {
    if (!next.hasAttribute(name) && !(keepOpen && name === 'open')) current.removeAttribute(name);
  }
  for (const { name, value } of [...next.attributes]) {
    if (keepOpen && name === 'open') continue;
    if (current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  if (current.nodeName === 'PROGRESS' && current.value !== next.value) current.value = next.value;
  // A relative time's text is written by the page clock, and a data-own-content element's by a script (the result
  // of a button press, say), not by the markup.
  if (current.nodeName === 'TIME' || current.hasAttribute('data-own-content')) return;
  patchChildren(current, next);
}
