// Karte: fetches the spaces (GeoJSON with legend) and offers from the API and draws them with Leaflet.
(function () {
  "use strict";
  var box = document.getElementById("karte");
  var form = document.getElementById("karte-form");
  if (!box || !form || typeof L === "undefined") { return; }
  var levelSelect = document.getElementById("karte-level");
  var colourSelect = document.getElementById("karte-colour");
  var groupSelect = document.getElementById("karte-target-group");
  var groupLabel = document.getElementById("karte-group-label");
  var offersBox = document.getElementById("karte-offers");
  var legendBox = document.getElementById("karte-legend");
  var errorBox = document.getElementById("karte-error");
  var statusBox = document.getElementById("karte-status");

  var map = L.map(box, { zoomSnap: 0.25, attributionControl: Boolean(box.dataset.tileUrl) });
  map.setView([50.98, 11.03], 11);
  if (box.dataset.tileUrl) {
    L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.tileAttribution || "" }).addTo(map);
  }
  // Offers get a pane of their own above the spaces, so the overlay pane holds exactly one path per space.
  map.createPane("angebote");
  map.getPane("angebote").style.zIndex = "450";
  var spacesLayer = null;
  var offersLayer = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function tooltip(name, value) {
    var node = element("div", "karte-tooltip");
    node.appendChild(element("strong", "", name));
    node.appendChild(element("span", "", value));
    return node;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function legendRow(colour, text, className) {
    var row = element("li");
    var swatch = element("span", className || "swatch");
    if (colour) { swatch.style.background = colour; }
    row.appendChild(swatch);
    row.appendChild(element("span", "", text));
    return row;
  }

  function drawLegend(legend, offerCount) {
    legendBox.replaceChildren();
    legendBox.appendChild(element("h2", "", legend.title + (legend.unit ? " in " + legend.unit : "")));
    var list = element("ul");
    list.id = "karte-legend-classes";
    legend.classes.forEach(function (item) { list.appendChild(legendRow(item.farbe, item.text)); });
    if (legend.missing) { list.appendChild(legendRow(legend.missing.farbe, legend.missing.text)); }
    if (!legend.classes.length) { list.appendChild(element("li", "", "Keine Werte für diese Auswahl.")); }
    legendBox.appendChild(list);
    if (offerCount !== null) {
      var points = element("ul");
      points.appendChild(legendRow(null, "Angebot (" + offerCount + ")", "point"));
      legendBox.appendChild(points);
    }
  }

  function parameters() {
    var params = new URLSearchParams();
    params.set("level", levelSelect.value);
    params.set("colour", colourSelect.value);
    var option = colourSelect.options[colourSelect.selectedIndex];
    var grouped = option && option.dataset.targetGroup === "ja";
    groupLabel.hidden = !grouped;
    if (grouped && groupSelect.value) { params.set("target_group", groupSelect.value); }
    return params;
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(body.detail || ("Fehler " + response.status)); }
          return body;
        });
      });
  }

  var offersData = null;

  function loadOffers() {
    if (offersData) { return Promise.resolve(offersData); }
    return fetchJson(box.dataset.offers).then(function (body) { offersData = body; return body; });
  }

  function drawOffers(body) {
    if (offersLayer) { map.removeLayer(offersLayer); offersLayer = null; }
    if (!offersBox.checked) { return; }
    offersLayer = L.geoJSON(body, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: "#ffffff", weight: 1.5, fillColor: "#0b5cad",
                                        fillOpacity: 0.9, className: "karte-offer", pane: "angebote" });
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(tooltip(feature.properties.name, "Angebot"));
        if (feature.properties.href) {
          layer.on("click", function () { window.location.assign(feature.properties.href); });
        }
      }
    }).addTo(map);
  }

  function render() {
    var params = parameters();
    history.replaceState(null, "", "/karte?" + params.toString());
    box.setAttribute("aria-busy", "true");
    Promise.all([fetchJson(box.dataset.spaces + "?" + params.toString()), loadOffers()])
      .then(function (results) {
        var spaces = results[0];
        showError("");
        if (spacesLayer) { map.removeLayer(spacesLayer); }
        spacesLayer = L.geoJSON(spaces, {
          style: function (feature) {
            return { color: "#37424d", weight: 1, fillColor: feature.properties.colour, fillOpacity: 0.75 };
          },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(tooltip(feature.properties.name, feature.properties.value_text), { sticky: true });
            if (feature.properties.href) {
              layer.on("click", function () { window.location.assign(feature.properties.href); });
            }
          }
        }).addTo(map);
        if (spaces.features.length) { map.fitBounds(spacesLayer.getBounds(), { padding: [10, 10] }); }
        drawOffers(results[1]);
        drawLegend(spaces.legend, offersBox.checked ? results[1].features.length : null);
        legendBox.dataset.colour = spaces.colour;
        var status = spaces.features.length + " Räume";
        if (spaces.without_area.length) { status += "; ohne Fläche: " + spaces.without_area.join(", "); }
        if (results[1].without_point) { status += "; " + results[1].without_point + " Angebote ohne Koordinaten"; }
        statusBox.textContent = status + ".";
        box.dataset.shapes = String(spaces.features.length);
      })
      .catch(function (error) { showError(error.message); })
      .then(function () { box.removeAttribute("aria-busy"); });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); render(); });
  [levelSelect, colourSelect, groupSelect, offersBox].forEach(function (control) {
    control.addEventListener("change", render);
  });
  render();
})();
