import type { JsonView } from "./json-view.js";

/**
 * Builds the DOM for a {@link JsonView}: `dl` for fields, `table` with scoped
 * headers, `ul` for lists. It is marked up for the card's pager
 * (content-pages.ts): every unit that must not be split — a field, a table
 * row, a list item — carries `data-block`; what holds blocks (a section, a
 * table, a list) carries `data-group`, with `data-noun` and `data-more` when
 * the view left entries out; table cells carry `data-col` so columns that do
 * not fit can be left out. Inside a block nothing is marked: it moves as one.
 */
export function renderJsonView(view: JsonView): HTMLElement {
  return render(view, false, undefined);
}

/** `heading`: the label shown just above this view; a table's row header that repeats it is left to screen readers. */
function render(view: JsonView, inBlock: boolean, heading: string | undefined): HTMLElement {
  switch (view.kind) {
    case "value":
      return el("span", "json-value", view.text);
    case "fields": {
      const list = group(el("dl", "json-fields"), inBlock, "fields", view.more);
      for (const field of view.fields) {
        const simple = field.view.kind === "value";
        const row = el("div", `json-field${simple ? "" : " json-field-block"}`);
        if (!inBlock) row.setAttribute(simple ? "data-block" : "data-group", "");
        const dd = el("dd");
        dd.append(render(field.view, inBlock || simple, field.label));
        row.append(el("dt", undefined, field.label), dd);
        list.append(row);
      }
      return list;
    }
    case "table": {
      const wrap = group(el("div", "json-table-wrap"), inBlock, view.noun, view.more);
      const table = el("table", "json-table");
      if (!inBlock) table.dataset.fitTable = "";
      const head = el("tr");
      let column = 0;
      // Columns the pager may leave out are numbered; a table inside a block moves whole.
      const number = () => (inBlock ? undefined : column++);
      if (view.rowHeader !== undefined) {
        const header = th("col", view.rowHeader, number());
        if (view.rowHeader === heading) header.replaceChildren(el("span", "visually-hidden", view.rowHeader));
        head.append(header);
      }
      for (const name of view.columns) head.append(th("col", name, number()));
      const thead = el("thead");
      thead.append(head);
      const tbody = el("tbody");
      for (const row of view.rows) {
        const tr = el("tr");
        if (!inBlock) tr.dataset.block = "";
        let index = 0;
        if (view.rowHeader !== undefined) tr.append(th("row", row.label ?? "", inBlock ? undefined : index++));
        for (const cell of row.cells) {
          const td = el("td");
          if (!inBlock) td.dataset.col = String(index++);
          td.append(render(cell, true, undefined));
          tr.append(td);
        }
        tbody.append(tr);
      }
      table.append(thead, tbody);
      wrap.append(table);
      return wrap;
    }
    case "list": {
      const list = group(el("ul", "json-list"), inBlock, view.noun, view.more);
      for (const item of view.items) {
        const li = el("li");
        const simple = item.kind === "value";
        if (!inBlock) li.setAttribute(simple ? "data-block" : "data-group", "");
        li.append(render(item, inBlock || simple, undefined));
        list.append(li);
      }
      return list;
    }
  }
}

function group<T extends HTMLElement>(element: T, inBlock: boolean, noun: string, more: number): T {
  if (inBlock) return element;
  element.dataset.group = "";
  element.dataset.noun = noun;
  if (more > 0) element.dataset.more = String(more);
  return element;
}

function th(scope: "col" | "row", text: string, column: number | undefined): HTMLTableCellElement {
  const cell = el("th", undefined, text);
  cell.scope = scope;
  if (column !== undefined) cell.dataset.col = String(column);
  return cell;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
