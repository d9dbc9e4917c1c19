/*
 * Names for screen readers where the theme leaves them out: the search dialog and
 * the copy buttons' toolbars (one name per email, so the landmarks can be told apart).
 */
(function () {
  "use strict";

  function name() {
    document.querySelectorAll(".md-search[role=dialog]").forEach(function (dialog) {
      if (!dialog.getAttribute("aria-label")) {
        dialog.setAttribute("aria-label", "Search this handbook");
      }
    });
    document.querySelectorAll("article .md-code__nav").forEach(function (nav, index) {
      var block = nav.closest(".highlight, pre");
      var heading = block && block.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) {
        heading = heading.previousElementSibling;
      }
      var title = heading ? heading.textContent.replace(/\u00b6$/, "").trim() : "Code block " + (index + 1);
      nav.setAttribute("aria-label", "Copy: " + title);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", name);
  } else {
    name();
  }
  // The copy buttons are added after load by the theme; name them once they exist.
  window.addEventListener("load", function () {
    setTimeout(name, 0);
  });
})();
