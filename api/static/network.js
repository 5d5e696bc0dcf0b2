// Netzwerk page: draws GET /api/network with Cytoscape.js (fcose layout), filters, details, silos, PNG/SVG export.
(function () {
  "use strict";

  const container = document.getElementById("network-graph");
  if (!container) { return; }
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(window.location.search);
  const LAYOUTS = ["fcose", "cose", "grid"];
  const layoutName = LAYOUTS.includes(params.get("layout")) ? params.get("layout") : "fcose";
  const projection = params.get("projection") || "bipartite";
  const numberFormat = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 3 });
  const MEMBER = "member";
  const LARGE_NETWORK = 500;

  if (window.cytoscapeFcose) { cytoscape.use(window.cytoscapeFcose); }
  // cytoscape-svg registers itself when it finds a global cytoscape; register it only if it did not.
  if (window.cytoscapeSvg && !cytoscape("core", "svg")) { cytoscape.use(window.cytoscapeSvg); }

  let cy = null;
  let fieldLabels = {};
  let kindLabels = {};

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function ids(value) { return String(value || "").split(";").filter(Boolean); }

  function message(text) { $("network-message").textContent = text; }

  function layoutOptions(eles) {
    const common = { name: layoutName, animate: false, fit: true, padding: 20, eles: eles };
    if (layoutName === "fcose") {
      // fcose's force refinement takes tens of seconds at 2,000 nodes; its spectral ("draft") layout alone
      // takes a few, so large networks get that (bench/network_page.py).
      const quality = eles.nodes().length > LARGE_NETWORK ? "draft" : "default";
      return Object.assign(common, { quality: quality, randomize: true, nodeRepulsion: 9000,
        idealEdgeLength: 80, nodeSeparation: 60, packComponents: true });
    }
    if (layoutName === "cose") { return Object.assign(common, { randomize: true, nodeRepulsion: 8000 }); }
    return common;
  }

  function runLayout(eles, done) {
    cy.stop(true, false);  // a running zoom animation would move the view after the layout has fitted it
    container.dataset.layoutRunning = "1";
    const started = performance.now();
    const layout = eles.layout(layoutOptions(eles));
    layout.one("layoutstop", () => {
      const ms = Math.round(performance.now() - started);
      container.dataset.layoutRunning = "0";
      container.dataset.layoutMs = String(ms);
      container.dataset.layout = layoutName;
      if (done) { done(ms); }
    });
    layout.run();
  }

  function style(maxBetweenness) {
    const top = maxBetweenness > 0 ? maxBetweenness : 1;
    const size = (node) => 16 + 54 * Math.sqrt((node.data("betweenness") || 0) / top);
    return [
      { selector: "node", style: {
        "background-color": "data(color)", "label": "data(label)", "width": size, "height": size,
        "font-size": 9, "min-zoomed-font-size": 7, "text-wrap": "ellipsis", "text-max-width": 120,
        "text-valign": "bottom", "text-margin-y": 3, "color": "#1d2733", "border-width": 1, "border-color": "#5b6673" } },
      { selector: "node[kind = 'plan']", style: { "shape": "round-rectangle" } },
      { selector: "node[kind = 'committee'], node[kind = 'network']", style: { "shape": "diamond" } },
      { selector: "node.silo", style: { "border-width": 5, "border-color": "#b3261e" } },
      { selector: "edge", style: { "width": (edge) => Math.min(1 + (edge.data("weight") || 1) * 0.5, 6),
        "line-color": "#b8c2cc", "curve-style": "haystack", "opacity": 0.8 } },
      { selector: "edge[?bridge]", style: { "line-style": "dashed", "line-color": "#7a8794" } },
      { selector: ".ausgeblendet", style: { "display": "none" } },
      { selector: ".blass", style: { "opacity": 0.2 } },
      { selector: "node.treffer", style: { "border-width": 4, "border-color": "#0b5cad" } },
      { selector: "node:selected", style: { "border-width": 5, "border-color": "#1d2733" } },
    ];
  }

  // Shown = not filtered out; read from the class, because Cytoscape updates `visible()` only when it renders.
  function shownNodes() { return cy.nodes().not(".ausgeblendet"); }
  function shownElements() { const nodes = shownNodes(); return nodes.union(nodes.edgesWith(nodes)); }

  function updateCount() {
    const nodes = shownNodes();
    $("network-count").textContent = String(nodes.length);
    $("network-count").dataset.visible = String(nodes.length);
    $("network-edge-count").textContent = String(nodes.edgesWith(nodes).length);
  }

  function committeeMembers(committeeId) {
    const committee = cy.getElementById(committeeId);
    const edges = committee.connectedEdges().filter((edge) => ids(edge.data("kind")).includes(MEMBER));
    return edges.connectedNodes().union(committee);
  }

  function applyFilters() {
    const field = $("network-field").value;
    const committee = $("network-committee").value;
    const kinds = new Set(Array.from(document.querySelectorAll("#network-kinds input:checked"), (box) => box.value));
    const members = committee ? committeeMembers(committee) : null;
    cy.batch(() => {
      cy.nodes().forEach((node) => {
        const shown = kinds.has(node.data("kind"))
          && (!field || ids(node.data("fields")).includes(field))
          && (!members || members.has(node));
        node.toggleClass("ausgeblendet", !shown);
      });
    });
    updateCount();
    highlightSearch();
    const shown = shownElements();
    if (shown.nonempty()) { runLayout(shown); }
  }

  function highlightSearch() {
    const term = $("network-search").value.trim().toLocaleLowerCase("de-DE");
    const out = $("network-search-result");
    cy.batch(() => {
      cy.elements().removeClass("treffer blass");
      if (!term) { out.textContent = ""; return; }
      const hits = shownNodes().filter((node) => (
        String(node.data("label")).toLocaleLowerCase("de-DE").includes(term)
        || String(node.data("identifier")).toLocaleLowerCase("de-DE").includes(term)));
      hits.addClass("treffer");
      cy.elements().difference(hits).difference(hits.connectedEdges()).addClass("blass");
      out.textContent = ` · ${hits.length} Treffer für „${$("network-search").value.trim()}“`;
    });
  }

  function focusFirstHit() {
    const hits = cy.nodes(".treffer");
    if (hits.nonempty()) {
      if (hits.length === 1) {
        cy.animate({ center: { eles: hits }, zoom: Math.min(Math.max(cy.zoom(), 1), 1.5) }, { duration: 200 });
      } else {
        cy.animate({ fit: { eles: hits, padding: 60 } }, { duration: 200 });
      }
      select(hits[0]);
    }
  }

  function select(node) {
    cy.nodes(":selected").unselect();
    node.select();
    showDetails(node);
  }

  function addRow(list, term, value) {
    if (value === undefined || value === null || value === "") { return; }
    list.append(element("dt", term));
    const dd = element("dd");
    if (value instanceof Node) { dd.append(value); } else { dd.textContent = String(value); }
    list.append(dd);
  }

  function nodeButton(node) {
    // A link-like control (not a <button>): it wraps like text inside list items.
    const button = element("a", node.data("label"), "node-link");
    button.href = "#network-graph";
    button.setAttribute("role", "button");
    button.addEventListener("click", (event) => {
      event.preventDefault();
      if (node.hasClass("ausgeblendet")) { resetFilters(); }
      select(node);
      cy.animate({ center: { eles: node } }, { duration: 200 });
    });
    return button;
  }

  function showDetails(node) {
    const panel = $("network-details");
    panel.replaceChildren(element("h2", "Details"));
    const data = node.data();
    panel.append(element("h3", data.label, "network-details-title"));
    const list = element("dl");
    addRow(list, "Art", data.kind_label);
    addRow(list, "Kennung", data.identifier);
    const fields = ids(data.fields).map((code) => `${code} ${fieldLabels[code] || ""}`.trim());
    addRow(list, "Handlungsfelder", fields.length ? fields.join("; ") : "keine angegeben");
    addRow(list, "Verbindungen", data.degree);
    addRow(list, "Vermittlerrolle", numberFormat.format(data.betweenness || 0));
    addRow(list, "Gemeinschaft", data.community === undefined ? "" : `Nr. ${data.community}`);
    if (data.kind === "department") {
      addRow(list, "Silo", data.silo ? "ja – kein gemeinsames Gremium mit einem anderen Amt" : "nein");
      const reached = ids(data.reached_departments).map((key) => cy.getElementById(key))
        .filter((other) => other.nonempty()).map((other) => other.data("label"));
      addRow(list, "Erreicht über Gremien", reached.length ? reached.join("; ") : "kein anderes Amt");
    }
    if (data.articulation_point) { addRow(list, "Schlüsselstelle", "ja – ohne diesen Knoten zerfällt das Netz"); }
    panel.append(list);
    if (data.href) {
      const link = element("a", "Eintragsseite öffnen", "network-entity-link");
      link.href = data.href;
      const paragraph = element("p");
      paragraph.append(link);
      panel.append(paragraph);
    }
    const neighbours = node.neighborhood("node");
    if (neighbours.nonempty()) {
      panel.append(element("h3", `Verbunden mit (${neighbours.length})`));
      const items = element("ul", null, "plain");
      neighbours.sort((a, b) => String(a.data("label")).localeCompare(String(b.data("label")), "de"))
        .forEach((other) => {
          const item = element("li");
          item.append(nodeButton(other), element("span", ` (${kindLabels[other.data("kind")] || other.data("kind")})`, "note"));
          items.append(item);
        });
      panel.append(items);
    }
  }

  function fillChoices(data) {
    const fieldSelect = $("network-field");
    data.fields_of_action.forEach((field) => {
      fieldLabels[field.code] = field.label;
      const option = element("option", `${field.code} ${field.label}`);
      option.value = field.code;
      fieldSelect.append(option);
    });
    const committees = cy.nodes("[kind = 'committee'], [kind = 'network']")
      .sort((a, b) => String(a.data("label")).localeCompare(String(b.data("label")), "de"));
    committees.forEach((node) => {
      const option = element("option", node.data("label"));
      option.value = node.id();
      $("network-committee").append(option);
    });
    const kinds = $("network-kinds");
    const legend = $("network-legend");
    data.legend.forEach((entry) => {
      kindLabels[entry.kind] = entry.label;
      const box = element("input");
      box.type = "checkbox";
      box.value = entry.kind;
      box.checked = true;
      box.addEventListener("change", applyFilters);
      const label = element("label");
      label.append(box, document.createTextNode(" " + entry.label));
      kinds.append(label);
      const swatch = element("span", null, "swatch");
      swatch.style.backgroundColor = entry.color;
      const item = element("li");
      item.append(swatch, document.createTextNode(entry.label));
      legend.append(item);
    });
    const siloItem = element("li");
    siloItem.append(element("span", null, "swatch swatch-silo"), document.createTextNode("Silo (Amt ohne gemeinsames Gremium)"));
    legend.append(siloItem);
  }

  function fillSummary(summary) {
    const silos = $("network-silos");
    summary.silos.forEach((entry) => {
      const node = cy.getElementById(entry.id);
      const item = element("li");
      item.append(node.nonempty() ? nodeButton(node) : element("span", entry.label));
      silos.append(item);
    });
    if (!summary.silos.length) { silos.append(element("li", "keine – jedes Amt teilt ein Gremium mit einem anderen")); }
    const brokers = $("network-brokers");
    summary.brokers.slice(0, 5).forEach((entry) => {
      const node = cy.getElementById(entry.id);
      const item = element("li");
      item.append(node.nonempty() ? nodeButton(node) : element("span", entry.label),
        element("span", ` (${numberFormat.format(entry.betweenness)})`, "note"));
      brokers.append(item);
    });
    const forumless = $("network-forumless");
    summary.fields_without_forum.forEach((code) => forumless.append(element("li", `${code} ${fieldLabels[code] || ""}`)));
    if (!summary.fields_without_forum.length) { forumless.append(element("li", "keine")); }
  }

  function toggleSilos() {
    const on = $("network-silo-toggle").checked;
    cy.nodes("[?silo]").toggleClass("silo", on);
  }

  function resetFilters() {
    $("network-field").value = "";
    $("network-committee").value = "";
    $("network-search").value = "";
    document.querySelectorAll("#network-kinds input").forEach((box) => { box.checked = true; });
    applyFilters();
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = element("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function exportPng() {
    download(cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" }), `netzwerk-${projection}.png`);
  }

  function exportSvg() {
    const svg = cy.svg({ full: true, scale: 1, bg: "#ffffff" });
    download(new Blob([svg], { type: "image/svg+xml;charset=utf-8" }), `netzwerk-${projection}.svg`);
  }

  function start(data) {
    const elements = data.elements;
    const maxBetweenness = elements.nodes.reduce((top, node) => Math.max(top, node.data.betweenness || 0), 0);
    $("network-total").textContent = String(elements.nodes.length);
    cy = cytoscape({ container: container, elements: elements, style: style(maxBetweenness), layout: { name: "preset" },
      minZoom: 0.05, maxZoom: 4, textureOnViewport: elements.nodes.length > 500,
      hideEdgesOnViewport: elements.nodes.length > 500 });
    window.sozialgraphNetwork = cy;  // for the browser test and the layout benchmark
    fillChoices(data);
    fillSummary(data.summary);
    toggleSilos();
    updateCount();
    cy.on("tap", "node", (event) => showDetails(event.target));
    $("network-field").addEventListener("change", applyFilters);
    $("network-committee").addEventListener("change", applyFilters);
    $("network-search").addEventListener("input", highlightSearch);
    $("network-search").addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); focusFirstHit(); }
    });
    $("network-silo-toggle").addEventListener("change", toggleSilos);
    $("network-reset").addEventListener("click", resetFilters);
    $("network-png").addEventListener("click", exportPng);
    $("network-svg").addEventListener("click", exportSvg);
    if (!elements.nodes.length) { message("Keine Knoten: es sind keine Akteure oder Pläne geladen."); }
    runLayout(cy.elements(), (ms) => {
      $("network-png").disabled = false;
      $("network-svg").disabled = typeof cy.svg !== "function";
      container.dataset.readyMs = String(Math.round(performance.now()));
      container.dataset.ready = "1";
      message(`Anordnung in ${numberFormat.format(ms / 1000)} s berechnet.`);
    });
  }

  $("network-projection").value = projection;
  $("network-projection").addEventListener("change", (event) => {
    params.set("projection", event.target.value);
    window.location.search = params.toString();
  });
  document.getElementById("network-filters").addEventListener("submit", (event) => event.preventDefault());

  const url = `${container.dataset.api}?${new URLSearchParams({ projection: projection })}`;
  fetch(url, { headers: { Accept: "application/json" } })
    .then((response) => response.json().then((body) => ({ ok: response.ok, body: body })))
    .then((answer) => {
      if (!answer.ok) { throw new Error(answer.body.detail || "Das Netzwerk konnte nicht geladen werden."); }
      start(answer.body);
    })
    .catch((error) => {
      message(`Fehler: ${error.message}`);
      container.dataset.ready = "error";
    });
}());
