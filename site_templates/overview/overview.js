// The advisor's overview: sort by a column, search in the page, open the errors for print.
// Plain script, no library and nothing fetched, so it works when the page is opened from disk.
(function () {
  "use strict";
  var table = document.getElementById("advisees");
  if (!table) {
    return;
  }
  var body = table.tBodies[0];
  var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (row, index) {
    row.setAttribute("data-order", String(index));
  });

  function key(row, column, type) {
    var cell = row.cells[column];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (type !== "number") {
      return raw.toLowerCase();
    }
    var value = parseFloat(raw);
    return isNaN(value) ? null : value;
  }

  function compare(a, b, type) {
    if (a === b) {
      return 0;
    }
    if (a === null || b === null) {
      return a === null ? 1 : -1;
    }
    return type === "number" ? a - b : a.localeCompare(b);
  }

  function sortBy(column) {
    var heading = headings[column];
    var type = heading.getAttribute("data-type");
    var direction = heading.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    var sorted = Array.prototype.slice.call(body.rows).sort(function (x, y) {
      var a = key(x, column, type);
      var b = key(y, column, type);
      var order = a === null || b === null ? compare(a, b, type) : direction * compare(a, b, type);
      return order || x.getAttribute("data-order") - y.getAttribute("data-order");
    });
    sorted.forEach(function (row) {
      body.appendChild(row);
    });
    headings.forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    heading.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
  }

  headings.forEach(function (heading, column) {
    var button = document.createElement("button");
    button.type = "button";
    while (heading.firstChild) {
      button.appendChild(heading.firstChild);
    }
    heading.appendChild(button);
    button.addEventListener("click", function () {
      sortBy(column);
    });
  });

  var box = document.getElementById("filter");
  var shown = document.getElementById("shown");
  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var match = words.every(function (word) {
        return text.indexOf(word) !== -1;
      });
      row.hidden = !match;
      count += match ? 1 : 0;
    });
    shown.textContent = words.length ? count + " of " + rows.length + " shown" : "";
  }
  box.addEventListener("input", filter);
  box.parentNode.hidden = false;

  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (details) {
      return !details.open;
    });
    closed.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (details) {
      details.open = false;
    });
  });
})();
