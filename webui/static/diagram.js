// Alur diagram viewer: zoom, pan, full screen, and the current step scrolled into view.
// Progressive: without it the diagram is shown at its natural size in a scrolling box.
(function () {
  "use strict";
  var STEP = 1.25, MIN = 0.1, MAX = 4;

  // Centre of the current step as fractions of the drawing (0..1), read from the SVG source:
  // Graphviz puts the node's outline in <g class="node ... highlight|state-active">, under
  // one translate(tx ty) on the root group, in the units of the viewBox.
  function focusPoint(text) {
    var doc = new DOMParser().parseFromString(text, "image/svg+xml");
    var svg = doc.documentElement;
    var box = (svg.getAttribute("viewBox") || "").split(/[\s,]+/).map(Number);
    if (box.length !== 4 || !box[2] || !box[3]) { return null; }
    var root = svg.querySelector("g");
    var m = /translate\(([-\d.]+)[ ,]([-\d.]+)\)/.exec(root ? root.getAttribute("transform") || "" : "");
    var tx = m ? Number(m[1]) : 0, ty = m ? Number(m[2]) : 0;
    var node = svg.querySelector("g.node.highlight") || svg.querySelector("g.node.state-active");
    if (!node) { return null; }
    var shape = node.querySelector("path, polygon, ellipse");
    if (!shape) { return null; }
    var xs = [], ys = [];
    if (shape.tagName === "ellipse") {
      xs.push(Number(shape.getAttribute("cx"))); ys.push(Number(shape.getAttribute("cy")));
    } else {
      var nums = (shape.getAttribute("points") || shape.getAttribute("d") || "").match(/-?\d+(\.\d+)?/g) || [];
      for (var i = 0; i + 1 < nums.length; i += 2) { xs.push(Number(nums[i])); ys.push(Number(nums[i + 1])); }
    }
    if (!xs.length) { return null; }
    var cx = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2 + tx;
    var cy = (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2 + ty;
    return { x: (cx - box[0]) / box[2], y: (cy - box[1]) / box[3] };
  }

  function setUp(viewer) {
    var box = viewer.querySelector(".diagram");
    var img = box && box.querySelector("img");
    var bar = viewer.querySelector(".diagram-bar");
    if (!img || !bar) { return; }
    var scale = 1, naturalW = 0;

    function apply(keepCentre) {
      var cxFrac = (box.scrollLeft + box.clientWidth / 2) / (img.clientWidth || 1);
      var cyFrac = (box.scrollTop + box.clientHeight / 2) / (img.clientHeight || 1);
      img.style.width = Math.round(naturalW * scale) + "px";
      viewer.dataset.scale = scale.toFixed(3);
      if (keepCentre) {
        box.scrollLeft = cxFrac * img.clientWidth - box.clientWidth / 2;
        box.scrollTop = cyFrac * img.clientHeight - box.clientHeight / 2;
      }
    }
    function zoom(to) {
      scale = Math.min(MAX, Math.max(MIN, to));
      apply(true);
    }
    function fit() {
      var avail = box.clientWidth - 16;
      return naturalW > avail ? avail / naturalW : 1;
    }
    function ready() {
      naturalW = img.naturalWidth || img.clientWidth;
      if (!naturalW) { return; }
      bar.hidden = false;
      apply(false);
      if (viewer.dataset.focus === "1") {
        window.fetch(img.src, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (text) {
            var p = text && focusPoint(text);
            if (!p) { return; }
            viewer.dataset.focusX = p.x.toFixed(4);
            viewer.dataset.focusY = p.y.toFixed(4);
            box.scrollLeft = p.x * img.clientWidth - box.clientWidth / 2;
            box.scrollTop = p.y * img.clientHeight - box.clientHeight / 2;
            viewer.dataset.focused = "1";
          })
          .catch(function () { /* the diagram stays usable without the focus */ });
      }
    }

    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      var how = button.getAttribute("data-zoom");
      if (how === "in") { zoom(scale * STEP); }
      else if (how === "out") { zoom(scale / STEP); }
      else if (how === "fit") { zoom(fit()); }
      else if (how === "1") { zoom(1); }
      else if (button.hasAttribute("data-fullscreen")) {
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (viewer.requestFullscreen) { viewer.requestFullscreen(); }
      }
    });
    box.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) { return; }  // plain wheel scrolls the page / the box
      event.preventDefault();
      zoom(event.deltaY < 0 ? scale * STEP : scale / STEP);
    }, { passive: false });
    // Pan by dragging with the mouse (touch scrolls the box natively).
    var drag = null;
    box.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "mouse" || event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop };
      box.classList.add("panning");
      event.preventDefault();
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      box.scrollLeft = drag.left - (event.clientX - drag.x);
      box.scrollTop = drag.top - (event.clientY - drag.y);
    });
    window.addEventListener("pointerup", function () {
      drag = null;
      box.classList.remove("panning");
    });
    if (img.complete && img.naturalWidth) { ready(); } else { img.addEventListener("load", ready); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".diagram-viewer").forEach(setUp);
  });
})();
