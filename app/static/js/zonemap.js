// A Leaflet map of the council's wards, coloured by day zone, with night zones outlined.
// Shapes come from the service's own /v1/zones (no tiles unless configured).
(function () {
  "use strict";
  // One hue per night zone, a dark and a light shade for its two day zones.
  var ZONE_COLOURS = {
    "1A": "#1d70b8", "1B": "#7fb2e0",
    "2A": "#00703c", "2B": "#8bc28f",
    "3A": "#b3261e", "3B": "#f29b8a",
  };
  var FALLBACK = ["#4c2c92", "#912b88", "#28a197", "#f47738", "#505a5f", "#85994b"];

  function zoneColour(code, index) {
    return ZONE_COLOURS[code] || FALLBACK[index % FALLBACK.length];
  }

  function wardStyle(feature) {
    return {
      className: "ward-shape",
      color: "#ffffff",
      weight: 1,
      fillColor: feature.properties._colour,
      fillOpacity: 0.75,
    };
  }

  function summaryRow(key, value) {
    return cz.el("div", { class: "govuk-summary-list__row" }, [
      cz.el("dt", { class: "govuk-summary-list__key", text: key }),
      cz.el("dd", { class: "govuk-summary-list__value", text: value }),
    ]);
  }

  async function create(elementId, options) {
    options = options || {};
    var container = document.getElementById(elementId);
    var map = L.map(container, { zoomSnap: 0.25, attributionControl: true });
    var tileUrl = container.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: container.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
    } else {
      container.classList.add("cz-map--no-tiles");
    }
    var collection = await cz.get("/v1/zones");
    var dayZones = collection.features.filter(function (f) { return f.properties.kind === "day_zone"; });
    var nightZones = collection.features.filter(function (f) { return f.properties.kind === "night_zone"; });
    var wards = collection.features.filter(function (f) { return f.properties.kind === "ward"; });
    var colours = {};
    dayZones.forEach(function (f, i) { colours[f.properties.day_zone] = zoneColour(f.properties.day_zone, i); });
    // On a routes map the zones step back: grey wards, so the cars' colours stand out.
    wards.forEach(function (f) {
      f.properties._colour = options.neutral ? "#dcdcdc" : colours[f.properties.day_zone];
    });

    // A view first: Leaflet draws a layer's SVG only once the map has one.
    map.fitBounds(L.geoJSON(wards).getBounds(), { padding: [8, 8] });
    var byCode = {};
    var selected = null;
    var handle = {
      map: map, wards: wards, dayZones: dayZones, nightZones: nightZones,
      colours: colours, byCode: byCode, marker: null,
    };

    // The selected ward's outline is drawn as its own layer on top. Raising the ward
    // itself (bringToFront) would move its SVG path to the end of the page, and with
    // it the ward's place in the keyboard's tab order.
    function select(code) {
      var layer = byCode[code];
      if (!layer) { return; }
      handle.clearSelection();
      selected = L.geoJSON(layer.feature, {
        interactive: false,
        style: { className: "cz-ward-selected", color: "#0b0c0c", weight: 4, fill: false },
      }).addTo(map);
      if (options.onWard) { options.onWard(layer.feature.properties); }
    }
    handle.select = select;
    handle.clearSelection = function () {
      if (selected) { map.removeLayer(selected); }
      selected = null;
    };

    var wardLayer = L.geoJSON(wards, {
      style: wardStyle,
      onEachFeature: function (feature, layer) {
        byCode[feature.properties.ward_code] = layer;
        layer.bindTooltip(feature.properties.ward_name + " (" + feature.properties.day_zone + ")", { sticky: true });
        layer.on("click", function (ev) {
          select(feature.properties.ward_code);
          if (options.onClick) { options.onClick(ev.latlng); }
        });
      },
    }).addTo(map);
    L.geoJSON(nightZones, {
      style: { className: "night-zone-outline", color: "#0b0c0c", weight: 3, dashArray: "8 5", fill: false },
      interactive: false,
    }).addTo(map);
    handle.wardLayer = wardLayer;

    // Keyboard: every ward shape is a button in the tab order.
    wardLayer.eachLayer(function (layer) {
      var p = layer.feature.properties;
      var path = layer.getElement();
      path.setAttribute("tabindex", "0");
      path.setAttribute("role", "button");
      path.setAttribute("aria-label", p.ward_name + ", day zone " + p.day_zone + ", night zone " + p.night_zone);
      path.dataset.wardCode = p.ward_code;
      path.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          select(p.ward_code);
        }
      });
    });

    handle.placeMarker = function (lat, lon, label) {
      if (handle.marker) { map.removeLayer(handle.marker); }
      handle.marker = L.circleMarker([lat, lon], {
        className: "cz-marker", radius: 9, color: "#0b0c0c", weight: 3, fillColor: "#ffdd00", fillOpacity: 1,
      }).addTo(map);
      if (label) { handle.marker.bindTooltip(label, { permanent: true, direction: "top", offset: [0, -8] }); }
      if (!map.getBounds().contains([lat, lon])) {
        map.fitBounds(L.latLngBounds(wardLayer.getBounds()).extend([lat, lon]), { padding: [30, 30], animate: false });
      }
    };

    handle.wardInfo = function (target, p) {
      target.textContent = "";
      target.appendChild(cz.el("h3", { class: "govuk-heading-s", text: p.ward_name }));
      target.appendChild(cz.el("dl", { class: "govuk-summary-list govuk-summary-list--no-border" }, [
        summaryRow("Ward code", p.ward_code),
        summaryRow("Day zone", p.day_zone),
        summaryRow("Day provider", p.day_provider.name),
        summaryRow("Night zone", p.night_zone),
        summaryRow("Night provider", p.night_provider.name),
      ]));
    };

    handle.legend = function (target) {
      target.textContent = "";
      var list = cz.el("ul", { class: "govuk-list cz-legend__list" });
      dayZones.forEach(function (f) {
        var p = f.properties;
        var wardNames = p.wards.map(function (w) { return w.name; }).join(", ");
        list.appendChild(cz.el("li", { class: "cz-legend__item", "data-day-zone": p.day_zone }, [
          cz.el("span", { class: "cz-swatch", style: "background:" + colours[p.day_zone], "aria-hidden": "true" }),
          cz.el("span", {}, [
            cz.el("strong", { text: "Day zone " + p.day_zone }),
            " – " + p.day_provider.name + " (" + wardNames + ")",
          ]),
        ]));
      });
      nightZones.forEach(function (f) {
        var p = f.properties;
        list.appendChild(cz.el("li", { class: "cz-legend__item", "data-night-zone": p.night_zone }, [
          cz.el("span", { class: "cz-swatch cz-swatch--outline", "aria-hidden": "true" }),
          cz.el("span", {}, [
            cz.el("strong", { text: "Night zone " + p.night_zone }),
            " (dashed outline) – day zones " + p.day_zones.join(" and ") + ", night car from " + p.night_provider.name,
          ]),
        ]));
      });
      target.appendChild(list);
    };
    return handle;
  }

  window.czZoneMap = { create: create, zoneColour: zoneColour };
})();
