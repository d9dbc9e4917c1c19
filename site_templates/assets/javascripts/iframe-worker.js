/*
 * Web Workers cannot start from file:// pages. When the handbook is opened from
 * disk, this runs a worker script (the search worker) inside a hidden iframe of
 * the same page instead, with the same postMessage interface. Served over http(s),
 * the browser's own Worker is used unchanged, and the theme's request for the search
 * index is answered from the script that holds it (answerIndexFromScript below).
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") {
    answerIndexFromScript();
    return;
  }

  function FrameWorker(url) {
    var self = this;
    var frame = document.createElement("iframe");
    var queue = [];
    var ready = false;
    this.onmessage = null;
    this._listeners = [];
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.title = "search worker";
    document.body.appendChild(frame);
    var scope = frame.contentWindow;

    // Inside the frame, postMessage talks back to this object, as in a worker.
    scope.postMessage = function (data) {
      setTimeout(function () {
        self._deliver(data);
      }, 0);
    };
    scope.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return Promise.all(urls.map(function (src) {
        return load(scope.document, new URL(src, url).href);
      }));
    };
    load(scope.document, new URL(url, location.href).href).then(function () {
      ready = true;
      queue.splice(0).forEach(function (data) {
        self.postMessage(data);
      });
    });

    this.postMessage = function (data) {
      if (!ready) {
        queue.push(data);
        return;
      }
      setTimeout(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
      }, 0);
    };
    this.terminate = function () {
      frame.remove();
    };
  }

  FrameWorker.prototype.addEventListener = function (type, listener) {
    if (type === "message") {
      this._listeners.push(listener);
    }
  };
  FrameWorker.prototype.removeEventListener = function (type, listener) {
    this._listeners = this._listeners.filter(function (l) {
      return l !== listener;
    });
  };
  FrameWorker.prototype._deliver = function (data) {
    var event = new MessageEvent("message", { data: data });
    if (typeof this.onmessage === "function") {
      this.onmessage(event);
    }
    this._listeners.forEach(function (listener) {
      listener(event);
    });
  };

  function load(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  /*
   * Served over http(s), the theme asks for search/search_index.json. The handbook ships the
   * index once, as search/search_index.js (what a page opened from disk loads), so that one
   * request is answered from the script: the same data, as JSON. Should the script fail to
   * load, the request goes out as the theme made it.
   */
  function answerIndexFromScript() {
    var proto = XMLHttpRequest.prototype;
    var open = proto.open;
    var send = proto.send;
    var INDEX = /(^|\/)search\/search_index\.json$/;
    proto.open = function (method, url) {
      var path = String(url).split(/[?#]/)[0];
      this.handbookIndex = String(method).toUpperCase() === "GET" && INDEX.test(path) ? String(url) : null;
      return open.apply(this, arguments);
    };
    proto.send = function () {
      var xhr = this;
      var asked = xhr.handbookIndex;
      if (!asked) {
        return send.apply(xhr, arguments);
      }
      xhr.handbookIndex = null;
      var script = new URL(asked.split(/[?#]/)[0].replace(/\.json$/, ".js"), document.baseURI).href;
      load(document, script).then(function () {
        var blob = new Blob([JSON.stringify(window.__index)], { type: "application/json" });
        var url = URL.createObjectURL(blob);
        xhr.addEventListener("loadend", function () {
          URL.revokeObjectURL(url);
        });
        open.call(xhr, "GET", url);
        send.call(xhr);
      }, function () {
        open.call(xhr, "GET", asked);
        send.call(xhr);
      });
    };
  }

  window.Worker = FrameWorker;
})();
