// The advisor's overview: sort by a column (kept in the address, #sort=KEY-asc), search in the page,
// show the advisees with one finding, download the table as CSV, open the errors for print.
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

  function sortBy(column, wanted) {
    var heading = headings[column];
    var type = heading.getAttribute("data-type");
    var direction = wanted || (heading.getAttribute("aria-sort") === "ascending" ? -1 : 1);
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
    var state = "#sort=" + heading.getAttribute("data-key") + (direction === 1 ? "-asc" : "-desc");
    if (window.location.hash !== state && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", state);
    }
  }

  function restoreSort() {
    var match = /^#sort=([a-z]+)-(asc|desc)$/.exec(window.location.hash);
    if (!match) {
      return;
    }
    headings.forEach(function (heading, column) {
      if (heading.getAttribute("data-key") === match[1]) {
        sortBy(column, match[2] === "asc" ? 1 : -1);
      }
    });
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
  var finding = document.getElementById("finding");
  var shown = document.getElementById("shown");
  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var code = finding ? finding.value : "";
    var count = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var match = words.every(function (word) {
        return text.indexOf(word) !== -1;
      });
      if (code) {
        match = match && (" " + row.getAttribute("data-codes") + " ").indexOf(" " + code + " ") !== -1;
      }
      row.hidden = !match;
      count += match ? 1 : 0;
    });
    shown.textContent = words.length || code ? count + " of " + rows.length + " shown" : "";
  }
  box.addEventListener("input", filter);
  if (finding) {
    finding.addEventListener("change", filter);
  }
  box.parentNode.hidden = false;

  function csvCell(cell) {
    var text = (cell.hasAttribute("data-csv") ? cell.getAttribute("data-csv") : cell.textContent).replace(/\s+/g, " ").trim();
    if (text === "\u2013") {
      text = "";
    }
    if (/^[=+\-@\t\r]/.test(text) && isNaN(Number(text))) {
      text = "'" + text; // a spreadsheet must not run a formula typed into a profile
    }
    return /[",\n;]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function downloadCsv() {
    var lines = [headings.map(function (heading) {
      return csvCell(heading);
    }).join(",")];
    Array.prototype.forEach.call(body.rows, function (row) {
      if (!row.hidden) {
        lines.push(Array.prototype.map.call(row.cells, csvCell).join(","));
      }
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "advisees.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  document.getElementById("csv").addEventListener("click", downloadCsv);
  restoreSort();

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
