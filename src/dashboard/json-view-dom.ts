import type { JsonView } from "./json-view.js";

/** Builds the DOM for a {@link JsonView}: `dl` for fields, `table` with scoped headers, `ul` for lists. */
export function renderJsonView(view: JsonView): HTMLElement {
  switch (view.kind) {
    case "value":
      return el("span", "json-value", view.text);
    case "fields": {
      const list = el("dl", "json-fields");
      for (const field of view.fields) {
        const row = el("div", `json-field${field.view.kind === "value" ? "" : " json-field-block"}`);
        const dd = el("dd");
        dd.append(renderJsonView(field.view));
        row.append(el("dt", undefined, field.label), dd);
        list.append(row);
      }
      return list;
    }
    case "table": {
      const wrap = el("div", "json-table-wrap");
      const table = el("table", "json-table");
      const head = el("tr");
      if (view.rowHeader !== undefined) head.append(th("col", view.rowHeader));
      for (const column of view.columns) head.append(th("col", column));
      const thead = el("thead");
      thead.append(head);
      const tbody = el("tbody");
      for (const row of view.rows) {
        const tr = el("tr");
        if (row.label !== undefined) tr.append(th("row", row.label));
        for (const cell of row.cells) {
          const td = el("td");
          td.append(renderJsonView(cell));
          tr.append(td);
        }
        tbody.append(tr);
      }
      table.append(thead, tbody);
      wrap.append(table);
      return wrap;
    }
    case "list": {
      const list = el("ul", "json-list");
      for (const item of view.items) {
        const li = el("li");
        li.append(renderJsonView(item));
        list.append(li);
      }
      return list;
    }
  }
}

function th(scope: "col" | "row", text: string): HTMLTableCellElement {
  const cell = el("th", undefined, text);
  cell.scope = scope;
  return cell;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
