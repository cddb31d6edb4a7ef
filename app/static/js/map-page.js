// The zone map page: wards, legend, ward details and the postcode box.
(function () {
  "use strict";
  var status = document.getElementById("map-status");
  var info = document.getElementById("ward-info");
  var zm = null;

  function allocationText(a) {
    if (a.in_area) {
      return [
        cz.el("h3", { class: "govuk-heading-s", text: (a.postcode || "The place") + " is in area" }),
        cz.el("dl", { class: "govuk-summary-list govuk-summary-list--no-border" }, [
          row("Ward", a.ward.name),
          row("Day zone", a.day_zone.code + " – " + a.day_zone.provider.name),
          row("Night zone", a.night_zone.code + " – " + a.night_zone.provider.name),
        ]),
      ];
    }
    return [
      cz.el("h3", { class: "govuk-heading-s", text: (a.postcode || "The place") + " is out of area" }),
      cz.el("p", { class: "govuk-body", "data-testid": "out-of-area",
        text: "Out of area: " + cz.metres(a.distance_m) + " from the nearest ward, " + a.ward.name +
              ": day zone " + a.day_zone.code + ", " + a.day_zone.provider.name + "." }),
    ];
  }

  function row(k, v) {
    return cz.el("div", { class: "govuk-summary-list__row" }, [
      cz.el("dt", { class: "govuk-summary-list__key", text: k }),
      cz.el("dd", { class: "govuk-summary-list__value", text: v }),
    ]);
  }

  czZoneMap.create("map", {
    onWard: function (p) { zm && zm.wardInfo(info, p); },
  }).then(function (handle) {
    zm = handle;
    status.textContent = handle.wards.length + " wards in " + handle.dayZones.length + " day zones and " +
      handle.nightZones.length + " night zones.";
    handle.legend(document.getElementById("legend"));
    var tbody = document.querySelector("#ward-table tbody");
    handle.wards.slice().sort(function (a, b) {
      return a.properties.day_zone.localeCompare(b.properties.day_zone) ||
        a.properties.ward_name.localeCompare(b.properties.ward_name);
    }).forEach(function (f) {
      var p = f.properties;
      var button = cz.el("button", { type: "button", class: "cz-link-button", text: p.ward_name });
      button.addEventListener("click", function () {
        handle.select(p.ward_code);
        info.scrollIntoView({ block: "nearest" });
      });
      tbody.appendChild(cz.el("tr", { class: "govuk-table__row" }, [
        cz.el("td", { class: "govuk-table__cell" }, [button]),
        cz.el("td", { class: "govuk-table__cell", text: p.day_zone }),
        cz.el("td", { class: "govuk-table__cell", text: p.day_provider.name }),
        cz.el("td", { class: "govuk-table__cell", text: p.night_zone }),
        cz.el("td", { class: "govuk-table__cell", text: p.night_provider.name }),
      ]));
    });
    document.body.dataset.mapReady = "true";
  }).catch(function (err) {
    status.textContent = "The map could not load: " + (err.message || err);
  });

  var form = document.getElementById("allocate-form");
  if (!form) { return; }
  var result = document.getElementById("allocation-result");
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    var postcode = document.getElementById("postcode").value.trim();
    result.textContent = "";
    if (!postcode) {
      cz.showFieldError("postcode-group", "postcode", "Enter a postcode");
      return;
    }
    try {
      var a = await cz.post("/v1/allocations", { postcode: postcode });
      cz.showFieldError("postcode-group", "postcode", null);
      allocationText(a).forEach(function (n) { result.appendChild(n); });
      result.dataset.inArea = String(a.in_area);
      if (zm) {
        zm.placeMarker(a.lat, a.lon, a.postcode || postcode);
        if (a.in_area) {
          zm.select(a.ward.code);
        } else {
          zm.clearSelection();
          info.textContent = "";
          info.appendChild(cz.el("p", { class: "govuk-body", text: "No ward: the place is outside the council's area." }));
        }
      }
    } catch (err) {
      var message = err.status === 404 ? "We do not hold the postcode " + postcode.toUpperCase() + "; check it, or enter one nearby"
        : err.status === 422 ? "Enter a full postcode, like CV1 5FB" : err.message;
      cz.showFieldError("postcode-group", "postcode", message);
    }
  });
})();
