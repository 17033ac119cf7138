/* orgnet views: render a panel's data with vis-network; search; filters.
   Data come from <script type="application/json"> blocks (JSON.parse, never eval).
   Labels are drawn on the canvas; titles are plain strings, which vis-network
   shows as text (innerText). No HTML is built from data here. */
(function () {
  "use strict";
  var state = window.orgnet = window.orgnet || { networks: {}, errors: [] };

  function setStatus(panel, text) {
    var el = panel.querySelector(".orgnet-status");
    if (el) { el.textContent = text; }
  }

  function valuesOf(attrs, key) {
    var v = attrs ? attrs[key] : undefined;
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) { return ["(none)"]; }
    return Array.isArray(v) ? v.map(String) : [String(v)];
  }

  function render(panel) {
    if (panel.getAttribute("data-orgnet-state")) { return; }
    panel.setAttribute("data-orgnet-state", "loading");
    var source = document.getElementById(panel.getAttribute("data-orgnet-data"));
    var data = JSON.parse(source.textContent);
    var attrs = {};
    data.nodes.forEach(function (n) { attrs[n.id] = n.attrs || {}; });
    var edgeKinds = {};
    data.edges.forEach(function (e) { edgeKinds[e.id] = e.kinds || []; });
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var container = panel.querySelector(".orgnet-canvas");
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
    state.networks[panel.id] = network;
    var rendered = function () {
      panel.setAttribute("data-orgnet-state", "rendered");
      panel.setAttribute("data-orgnet-nodes", String(nodes.length));
      panel.setAttribute("data-orgnet-edges", String(edges.length));
    };
    network.once("afterDrawing", rendered);
    if (data.options && data.options.physics && data.options.physics.enabled) {
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        network.redraw();
      });
    } else {
      network.redraw();  // draw now (synchronously) rather than on the next animation frame
    }

    // search by name (or id)
    var input = panel.querySelector("input[type=search]");
    var find = function () {
      var q = (input.value || "").trim().toLowerCase();
      if (!q) { network.unselectAll(); setStatus(panel, ""); return; }
      var hits = [];
      data.nodes.forEach(function (n) {
        var name = String((n.attrs && n.attrs.name) || n.label || "").toLowerCase();
        if (name.indexOf(q) >= 0 || String(n.id).toLowerCase() === q) {
          var current = nodes.get(n.id);
          if (!current || !current.hidden) { hits.push(n.id); }
        }
      });
      network.selectNodes(hits);
      if (hits.length) { network.fit({ nodes: hits, animation: false }); }
      setStatus(panel, hits.length + " found");
    };
    if (input) {
      input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(); } });
      var button = panel.querySelector("button.orgnet-find");
      if (button) { button.addEventListener("click", find); }
    }

    // filters: a node is shown when, for every attribute, one of its values is ticked;
    // an edge when both ends are shown and one of its tie kinds is ticked
    var boxes = panel.querySelectorAll("input[data-filter]");
    var applyFilters = function () {
      var ticked = {};
      Array.prototype.forEach.call(boxes, function (b) {
        var key = b.getAttribute("data-filter");
        ticked[key] = ticked[key] || {};
        if (b.checked) { ticked[key][b.value] = true; }
      });
      var hidden = {}, nodeUpdates = [], edgeUpdates = [], shown = 0;
      data.nodes.forEach(function (n) {
        var visible = true;
        Object.keys(ticked).forEach(function (key) {
          if (key === "edge:kinds") { return; }
          var ok = valuesOf(attrs[n.id], key).some(function (v) { return ticked[key][v]; });
          if (!ok) { visible = false; }
        });
        if (!visible) { hidden[n.id] = true; } else { shown += 1; }
        nodeUpdates.push({ id: n.id, hidden: !visible });
      });
      data.edges.forEach(function (e) {
        var visible = !hidden[e.from] && !hidden[e.to];
        if (visible && ticked["edge:kinds"] && edgeKinds[e.id].length) {
          visible = edgeKinds[e.id].some(function (k) { return ticked["edge:kinds"][k]; });
        }
        edgeUpdates.push({ id: e.id, hidden: !visible });
      });
      nodes.update(nodeUpdates);
      edges.update(edgeUpdates);
      setStatus(panel, shown + " of " + data.nodes.length + " nodes shown");
    };
    Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", applyFilters); });
    var reset = panel.querySelector("button.orgnet-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        Array.prototype.forEach.call(boxes, function (b) { b.checked = true; });
        applyFilters();
        network.fit();
      });
    }
  }

  function start() {
    var panels = document.querySelectorAll(".orgnet-view");
    var all = window.location.hash === "#all-views";
    if (all) {
      Array.prototype.forEach.call(panels, function (panel) { panel.hidden = false; });
    }
    Array.prototype.forEach.call(panels, function (panel) {
      if (all || panel.getAttribute("data-orgnet-lazy") !== "true") {
        try { render(panel); } catch (err) { state.report(err); }
      }
    });
    // tabs (report): show one panel, render it on first show
    Array.prototype.forEach.call(document.querySelectorAll(".orgnet-tabs button"), function (button) {
      button.addEventListener("click", function () {
        var target = button.getAttribute("data-target");
        Array.prototype.forEach.call(document.querySelectorAll(".orgnet-tabs button"), function (b) {
          var on = b === button;
          b.setAttribute("aria-selected", on ? "true" : "false");
          document.getElementById(b.getAttribute("data-target")).hidden = !on;
        });
        var panel = document.getElementById(target);
        try { render(panel); } catch (err) { state.report(err); }
        if (state.networks[target]) { state.networks[target].redraw(); state.networks[target].fit(); }
      });
    });
    document.body.setAttribute("data-orgnet-ready", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
