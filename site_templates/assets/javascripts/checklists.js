/*
 * Checklist boxes that remember their ticks in this browser (local storage),
 * keyed by the handbook and the item id printed at the end of each item.
 * Nothing leaves the browser. "Reset ticks" restores what the profile says.
 */
(function () {
  "use strict";
  var ID = /^[a-z0-9][a-z0-9-]*(@[a-z0-9-]+)?$/;
  var meta = document.querySelector('meta[name="handbook-key"]');
  var prefix = "handbook:" + (meta ? meta.content : "default") + ":";

  function store() {
    try {
      return window.localStorage;
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

  function setup() {
    var s = store();
    document.querySelectorAll("article li.task-list-item").forEach(function (li) {
      prepare(li, s);
    });
    document.querySelectorAll("article ul.task-list").forEach(addReset);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
