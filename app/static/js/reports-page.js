// Reports: each provider's episode outcomes in a calendar quarter against the contract's
// KPI targets (from the council's data file, via the API), with a CSV download.
(function () {
  "use strict";
  var form = document.getElementById("kpi-form");
  var select = document.getElementById("quarter");
  var status = document.getElementById("kpi-status");
  var box = document.getElementById("kpi");
  var MONTHS = ["January to March", "April to June", "July to September", "October to December"];
  var QUARTERS_SHOWN = 12;

  // The current quarter (UK date) and the eleven before it; a link may ask for another.
  function quarters() {
    var today = cz.ukToday();
    var year = Number(today.slice(0, 4));
    var q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
    var list = [];
    for (var i = 0; i < QUARTERS_SHOWN; i++) {
      list.push({ value: year + "-Q" + q, label: MONTHS[q - 1] + " " + year });
      q -= 1;
      if (q === 0) { q = 4; year -= 1; }
    }
    return list;
  }

  var asked = new URLSearchParams(window.location.search).get("quarter");
  var options = quarters();
  if (asked && /^\d{4}-Q[1-4]$/.test(asked) && !options.some(function (o) { return o.value === asked; })) {
    options.push({ value: asked, label: MONTHS[Number(asked.slice(6)) - 1] + " " + asked.slice(0, 4) });
  }
  options.forEach(function (o) {
    select.appendChild(cz.el("option", { value: o.value, text: o.label + " (" + o.value + ")" }));
  });
  if (asked && options.some(function (o) { return o.value === asked; })) { select.value = asked; }

  function percent(share) { return share === null ? "–" : (100 * share).toFixed(0) + "%"; }
  function num(text) { return cz.el("td", { class: "govuk-table__cell govuk-table__cell--numeric", text: text }); }
  function head(text, numeric) {
    return cz.el("th", { scope: "col", class: "govuk-table__header" + (numeric ? " govuk-table__header--numeric" : ""), text: text });
  }
  function verdict(met) {
    if (met === null) { return cz.el("strong", { class: "govuk-tag govuk-tag--grey", text: "No data" }); }
    return met ? cz.el("strong", { class: "govuk-tag govuk-tag--green", text: "Met" })
      : cz.el("strong", { class: "govuk-tag govuk-tag--red", text: "Not met" });
  }

  function show(report) {
    box.textContent = "";
    var first = report.providers[0];
    box.appendChild(cz.el("h2", { class: "govuk-heading-m", text: "Outcomes, " + report.first_day + " to " + report.last_day }));
    if (first) {
      box.appendChild(cz.el("p", { class: "govuk-body", text: "Targets: at least " + percent(first.no_ongoing_support_target) +
        " of ended episodes with no ongoing support, and at least " + percent(first.reduced_need_target) + " with a reduced need." }));
    }
    var body = cz.el("tbody", { class: "govuk-table__body" });
    var total = 0;
    report.providers.forEach(function (r) {
      total += r.ended;
      body.appendChild(cz.el("tr", { class: "govuk-table__row", "data-provider": r.provider_id }, [
        cz.el("th", { scope: "row", class: "govuk-table__header", text: r.provider_name }),
        num(String(r.ended)),
        num(r.no_ongoing_support + " (" + percent(r.no_ongoing_support_share) + ")"),
        cz.el("td", { class: "govuk-table__cell" }, [verdict(r.no_ongoing_support_met)]),
        num(r.reduced_need + " (" + percent(r.reduced_need_share) + ")"),
        cz.el("td", { class: "govuk-table__cell" }, [verdict(r.reduced_need_met)]),
      ]));
    });
    var table = cz.el("table", { class: "govuk-table", "data-testid": "kpi-table" }, [
      cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "Outcomes per provider, " + report.quarter }),
      cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" }, [
        head("Provider"), head("Episodes ended", true), head("No ongoing support", true), head("No ongoing support target"),
        head("Reduced need", true), head("Reduced need target"),
      ])]),
      body,
    ]);
    box.appendChild(cz.scrollRegion(table, "Outcomes per provider"));
    if (!total) {
      box.appendChild(cz.el("p", { class: "govuk-body", text: "No episode ended in this quarter, so no target can be judged yet." }));
    }
    box.appendChild(cz.el("p", { class: "govuk-body" }, [cz.el("a", { class: "govuk-link",
      href: "/v1/reports/kpi?format=csv&quarter=" + encodeURIComponent(report.quarter), text: "Download this quarter as CSV" })]));
  }

  var loads = 0;
  async function load() {
    var seq = ++loads; // only the latest answer may draw
    var quarter = select.value;
    cz.setError("quarter", null);
    cz.showSummary([]);
    status.textContent = "Loading…";
    try {
      var report = await cz.get("/v1/reports/kpi?quarter=" + encodeURIComponent(quarter));
      if (seq !== loads) { return; }
      show(report);
      status.textContent = "";
      history.replaceState(null, "", "?quarter=" + encodeURIComponent(quarter));
      document.body.dataset.kpiReady = quarter;
    } catch (err) {
      if (seq !== loads) { return; }
      status.textContent = "";
      cz.setError("quarter", err.message);
      cz.showSummary([{ id: "quarter", message: err.message }]);
    }
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    load();
  });
  load();
})();
