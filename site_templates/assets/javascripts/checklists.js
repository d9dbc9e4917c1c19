/*
 * Checklist boxes that remember their ticks in this browser (local storage),
 * keyed by the handbook and the item id printed at the end of each item.
 * Nothing leaves the browser. "Reset ticks" restores what the profile says.
 * "Export ticks" saves them as a small file (to another browser, to an advisor, or into
 * the profile with `handbook merge-ticks`); "Import ticks" reads such a file back. When the
 * browser refuses storage, a note says that ticks last only until the page is left.
 */
(function () {
  "use strict";
  var ID = /^[a-z0-9][a-z0-9-]*(@[a-z0-9-]+)?$/;
  var meta = document.querySelector('meta[name="handbook-key"]');
  var prefix = "handbook:" + (meta ? meta.content : "default") + ":";

  var FORMAT = "handbook-ticks/1";
  var handbook = meta ? meta.content : "default";

  function store() {
    try {
      var s = window.localStorage;
      s.setItem(prefix + "probe", "1");
      s.removeItem(prefix + "probe");
      return s;
    } catch (error) {
      return null;
    }
  }

  function itemId(li) {
    var codes = li.querySelectorAll(":scope > code");
    var last = codes[codes.length - 1];
    return last && ID.test(last.textContent) ? last.textContent : null;
  }

  function boxesFor(id) {
    return document.querySelectorAll('input[data-item="' + id + '"]');
  }

  function save(id, checked) {
    var s = store();
    if (s) {
      s.setItem(prefix + id, checked ? "1" : "0");
    }
    boxesFor(id).forEach(function (box) {
      box.checked = checked;
    });
  }

  function prepare(li, s) {
    var id = itemId(li);
    var box = li.querySelector("input[type=checkbox]");
    if (!id || !box) {
      return;
    }
    var label = li.cloneNode(true);
    label.querySelectorAll(":scope > code:last-of-type, label").forEach(function (node) {
      node.remove();
    });
    box.disabled = false;
    box.dataset.item = id;
    box.dataset.default = box.checked ? "1" : "0";
    box.setAttribute("aria-label", label.textContent.trim());
    var saved = s ? s.getItem(prefix + id) : null;
    if (saved !== null) {
      box.checked = saved === "1";
    }
    box.addEventListener("change", function () {
      save(id, box.checked);
    });
  }

  function addReset(list) {
    if (!list.querySelector("input[data-item]")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button handbook-reset";
    button.textContent = "Reset ticks";
    button.addEventListener("click", function () {
      var s = store();
      list.querySelectorAll("input[data-item]").forEach(function (box) {
        if (s) {
          s.removeItem(prefix + box.dataset.item);
        }
        boxesFor(box.dataset.item).forEach(function (same) {
          same.checked = same.dataset.default === "1";
        });
      });
    });
    list.insertAdjacentElement("afterend", button);
  }

  function saved(s) {
    var ticks = { format: FORMAT, handbook: handbook, ticked: [], unticked: [] };
    if (!s) {
      return ticks;
    }
    for (var i = 0; i < s.length; i++) {
      var key = s.key(i);
      if (key && key.indexOf(prefix) === 0 && ID.test(key.slice(prefix.length))) {
        (s.getItem(key) === "1" ? ticks.ticked : ticks.unticked).push(key.slice(prefix.length));
      }
    }
    ticks.ticked.sort();
    ticks.unticked.sort();
    return ticks;
  }

  function exportTicks(s, note) {
    var ticks = saved(s);
    if (!s) {
      document.querySelectorAll("input[data-item]").forEach(function (box) {
        if (box.checked !== (box.dataset.default === "1")) {
          (box.checked ? ticks.ticked : ticks.unticked).push(box.dataset.item);
        }
      });
    }
    var blob = new Blob([JSON.stringify(ticks, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "ticks-" + handbook + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    note.textContent = "Saved " + ticks.ticked.length + " ticked and " + ticks.unticked.length + " unticked items.";
  }

  function importTicks(file, s, note) {
    var reader = new FileReader();
    reader.onload = function () {
      var ticks;
      try {
        ticks = JSON.parse(String(reader.result));
      } catch (error) {
        ticks = null;
      }
      if (!ticks || ticks.format !== FORMAT || !Array.isArray(ticks.ticked) || !Array.isArray(ticks.unticked)) {
        note.textContent = "That file is not a ticks file exported from a handbook; nothing was changed.";
        return;
      }
      if (ticks.handbook !== handbook) {
        note.textContent = "That file holds the ticks of another handbook; nothing was changed.";
        return;
      }
      var count = 0;
      [[ticks.ticked, true], [ticks.unticked, false]].forEach(function (pair) {
        pair[0].forEach(function (id) {
          if (typeof id === "string" && ID.test(id)) {
            save(id, pair[1]);
            count += 1;
          }
        });
      });
      note.textContent = "Imported " + count + " ticks.";
    };
    reader.readAsText(file);
  }

  function addToolbar(s) {
    var first = document.querySelector("article ul.task-list input[data-item]");
    if (!first) {
      return;
    }
    var bar = document.createElement("div");
    bar.className = "handbook-ticks";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Your ticks");
    var note = document.createElement("p");
    note.className = "handbook-ticks-note";
    note.setAttribute("role", "status");
    if (!s) {
      note.textContent =
        "This browser does not let the handbook keep your ticks (a private window, or site data blocked), " +
        "so they last only until you leave the page. Export them before you go.";
      bar.classList.add("handbook-ticks-blocked");
    }
    var exporter = document.createElement("button");
    exporter.type = "button";
    exporter.className = "md-button handbook-export";
    exporter.textContent = "Export ticks";
    exporter.addEventListener("click", function () {
      exportTicks(s, note);
    });
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "application/json,.json";
    input.hidden = true;
    input.addEventListener("change", function () {
      if (input.files && input.files[0]) {
        importTicks(input.files[0], s, note);
      }
      input.value = "";
    });
    var importer = document.createElement("button");
    importer.type = "button";
    importer.className = "md-button handbook-import";
    importer.textContent = "Import ticks";
    importer.addEventListener("click", function () {
      input.click();
    });
    bar.append(exporter, importer, input, note);
    first.closest("ul.task-list").insertAdjacentElement("beforebegin", bar);
  }

  function setup() {
    var s = store();
    document.querySelectorAll("article li.task-list-item").forEach(function (li) {
      prepare(li, s);
    });
    document.querySelectorAll("article ul.task-list").forEach(addReset);
    addToolbar(s);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
