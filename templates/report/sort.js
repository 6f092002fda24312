// Click a header of a table.sortable to sort its rows; numbers compare as numbers (cells may carry data-v).
(function () {
  "use strict";
  function key(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var raw = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
    var number = parseFloat(raw.replace(/[$,]/g, ""));
    return isNaN(number) || !/^-?[$]?[\d.,]+/.test(raw) ? raw.toLowerCase() : number;
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    return String(a).localeCompare(String(b));
  }
  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    var ascending = !header.classList.contains("asc");
    Array.prototype.forEach.call(header.parentNode.children, function (th) { th.classList.remove("asc", "desc"); });
    header.classList.add(ascending ? "asc" : "desc");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) { var c = compare(key(x, index), key(y, index)); return ascending ? c : -c; });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.addEventListener("click", function () { sortBy(table, th, index); });
    });
  });
}());
