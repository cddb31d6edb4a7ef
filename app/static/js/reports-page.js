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

  var current = quarters()[0].value;
  quarters().forEach(addOption);
  function addOption(o) {
    select.appendChild(cz.el("option", { value: o.value, text: o.label + " (" + o.value + ")" }));
  }
  function listed(value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  // The quarter an address asks for (?quarter=2025-Q1), checked here: a quarter outside
  // the list is added to it; one that does not exist, or has no reports (the API's
  // 2000 to 2100), is refused on the field in staff words, and the current quarter shown.
  function askedFor(search) {
    var asked = new URLSearchParams(search).get("quarter");
    if (asked === null || asked === "") { return { quarter: current, problem: null }; }
    var said = asked.length > 12 ? asked.slice(0, 12) + "…" : asked;
    var m = /^(\d{4})-Q([1-4])$/.exec(asked);
    if (!m) { return { quarter: current, problem: "There is no quarter " + said + ": choose one from the list" }; }
    if (Number(m[1]) < 2000 || Number(m[1]) > 2100) {
      return { quarter: current, problem: "There are no reports for " + said +
        " (they run from 2000 to 2100): choose a quarter from the list" };
    }
    if (!listed(asked)) { addOption({ value: asked, label: MONTHS[Number(m[2]) - 1] + " " + m[1] }); }
    return { quarter: asked, problem: null };
  }

  // Shares as percentages to one decimal, rounded down, so a share under its target is
  // never shown at or over it (69.5% for 16 of 23, not 70%); "70%", not "70.0%".
  function percent(share) {
    if (share === null || share === undefined) { return "–"; }
    var tenths = Math.floor(Math.round(share * 1e6) / 1000); // tenths of a per cent
    return (tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)) + "%";
  }
  var MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  // "2026-10-01", "2026-12-31" -> "1 October to 31 December 2026".
  function period(first, last) {
    function day(iso, withYear) {
      return Number(iso.slice(8, 10)) + " " + MONTH_NAMES[Number(iso.slice(5, 7)) - 1] + (withYear ? " " + iso.slice(0, 4) : "");
    }
    var sameYear = first.slice(0, 4) === last.slice(0, 4);
    return day(first, !sameYear) + " to " + day(last, true);
  }
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
    var when = period(report.first_day, report.last_day);
    box.appendChild(cz.el("h2", { class: "govuk-heading-m", text: "Outcomes, " + when }));
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
      cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "Outcomes per provider, " + when }),
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

  // Each quarter chosen is a new entry in the browser's history, so Back shows the one
  // before; the first one shown replaces the page's own entry.
  var loads = 0;
  async function load(how, problem) {
    var seq = ++loads; // only the latest answer may draw
    var quarter = select.value;
    cz.setError("quarter", problem || null);
    cz.showSummary(problem ? [{ id: "quarter", message: problem }] : []);
    status.textContent = "Loading…";
    try {
      var report = await cz.get("/v1/reports/kpi?quarter=" + encodeURIComponent(quarter));
      if (seq !== loads) { return; }
      show(report);
      status.textContent = "";
      var address = "?quarter=" + encodeURIComponent(quarter);
      if (how === "push" && window.location.search !== address) {
        history.pushState({ quarter: quarter }, "", address);
      } else if (how === "replace") {
        history.replaceState({ quarter: quarter }, "", address);
      }
      document.body.dataset.kpiReady = quarter;
    } catch (err) {
      if (seq !== loads) { return; }
      status.textContent = "";
      cz.setError("quarter", err.message);
      cz.showSummary([{ id: "quarter", message: err.message }]);
    }
  }

  function fromAddress(how) {
    var asked = askedFor(window.location.search);
    select.value = asked.quarter;
    load(how, asked.problem);
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    load("push");
  });
  // Back and Forward: the quarter in the address, drawn again.
  window.addEventListener("popstate", function () { fromAddress("none"); });
  fromAddress("replace");
})();
