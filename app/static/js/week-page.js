// This week: each provider's commissioned, block, allocated and delivered hours as bars,
// the payable hours (commissioners), the people at or past five weeks, and CSV downloads.
(function () {
  "use strict";
  var form = document.getElementById("week-form");
  var weekInput = document.getElementById("week");
  var status = document.getElementById("week-status");
  var canReport = form.dataset.report === "true";
  var canLedger = form.dataset.ledger === "true";
  var providerNames = {};
  var saved = document.getElementById("delivered-saved");
  var recordIds = []; // the delivered-hours inputs in the table now shown
  var DELIVERED_RANGE = "Enter delivered hours between 0 and 10,000";

  weekInput.value = cz.ukToday();

  function hours(h) { return h === null || h === undefined ? "Not recorded" : Number(h).toFixed(2).replace(/\.00$/, ""); }
  function cell(text, attrs) { return cz.el("td", Object.assign({ class: "govuk-table__cell" }, attrs || {}), [text]); }
  function head(text, numeric) {
    return cz.el("th", { scope: "col", class: "govuk-table__header" + (numeric ? " govuk-table__header--numeric" : ""), text: text });
  }
  function num(text) { return cz.el("td", { class: "govuk-table__cell govuk-table__cell--numeric", text: text }); }

  // The chart is decoration over the numbers in the same row, so screen readers skip it.
  function bars(row, scale) {
    function bar(value, cls, label) {
      var track = cz.el("div", { class: "cz-bar__track", title: label });
      if (value !== null && value !== undefined) {
        track.appendChild(cz.el("div", { class: "cz-bar__fill " + cls, style: "width:" + Math.min(100, 100 * value / scale).toFixed(1) + "%" }));
      }
      track.appendChild(cz.el("div", { class: "cz-bar__mark", style: "left:" + (100 * row.block_hours / scale).toFixed(1) + "%" }));
      track.appendChild(cz.el("div", { class: "cz-bar__mark cz-bar__mark--commissioned", style: "left:" + (100 * row.commissioned_hours / scale).toFixed(1) + "%" }));
      return track;
    }
    var over = row.allocated_hours > row.commissioned_hours;
    return cz.el("div", { class: "cz-bar", "aria-hidden": "true" }, [
      bar(row.allocated_hours, over ? "cz-bar__fill--over" : "", "Allocated"),
      bar(row.delivered_hours, "cz-bar__fill--delivered", "Delivered"),
    ]);
  }

  function clearErrors() {
    recordIds.forEach(function (id) { cz.setError(id, null); });
    cz.setError("week", null);
    cz.showSummary([]);
  }

  function showProblem(id, message) {
    cz.setError(id, message);
    cz.showSummary([{ id: id, message: message }]);
  }

  // One small form per provider, so Enter in the field saves as the Save button does.
  function recordForm(row, week) {
    var id = "delivered-" + row.provider_id;
    recordIds.push(id);
    var input = cz.el("input", { class: "govuk-input govuk-input--width-4", id: id, name: "delivered_hours", type: "text",
      inputmode: "decimal", "aria-describedby": id + "-error",
      value: row.delivered_hours === null ? "" : String(row.delivered_hours) });
    var button = cz.el("button", { type: "submit", class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-0", text: "Save" });
    var error = cz.el("p", { class: "govuk-error-message", id: id + "-error" });
    error.hidden = true;
    var rowForm = cz.el("form", { novalidate: "", "data-provider": row.provider_id }, [
      cz.el("div", { class: "govuk-form-group govuk-!-margin-bottom-0", id: id + "-group" }, [
        cz.el("label", { class: "govuk-label govuk-visually-hidden", for: id, text: "Delivered hours for " + row.provider_name }),
        error,
        cz.el("div", { class: "cz-record" }, [input, button]),
      ]),
    ]);
    rowForm.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      if (button.disabled) { return; }
      clearErrors();
      saved.hidden = true;
      var text = input.value.trim();
      var value = Number(text);
      // Plain decimals only: Number() would also take "0x10" (16) and "1e3" (1000).
      if (!/^\d+(\.\d+)?$/.test(text) || value > 10000) { showProblem(id, DELIVERED_RANGE); return; }
      button.disabled = true;
      try {
        var answer = await cz.put("/v1/ledger/" + encodeURIComponent(row.provider_id) + "/" + encodeURIComponent(week), { delivered_hours: value });
        await load();
        document.getElementById("delivered-saved-text").textContent = String(Number(Number(answer.delivered_hours).toFixed(2))) +
          " delivered hours saved for " + row.provider_name + ", week " + answer.iso_week + " (from " + answer.week_start + ")";
        saved.hidden = false;
        saved.focus();
      } catch (err) {
        // The server's limits, in the page's words rather than the field path and pydantic's.
        showProblem(id, err.status === 422 ? DELIVERED_RANGE : err.message);
      } finally {
        button.disabled = false;
      }
    });
    return rowForm;
  }

  function showHours(data, isReport, week) {
    var box = document.getElementById("hours");
    box.textContent = "";
    box.appendChild(cz.el("h2", { class: "govuk-heading-m", text: "Providers' hours, week " + data.iso_week + " (from " + data.week_start + ")" }));
    box.appendChild(cz.el("p", { class: "govuk-body-s" }, [
      "Bars: allocated hours (blue, red when over the commissioned hours) and delivered hours (green). ",
      "The two black lines mark the block and the commissioned hours.",
    ]));
    var rows = data.providers;
    recordIds = [];
    rows.forEach(function (r) { providerNames[r.provider_id] = r.provider_name; });
    var scale = Math.max.apply(null, rows.map(function (r) {
      return Math.max(r.commissioned_hours, r.allocated_hours, r.delivered_hours || 0);
    })) * 1.05 || 1;
    var heads = [head("Provider"), head("Commissioned", true), head("Block", true), head("Allocated", true), head("Delivered", true)];
    if (isReport) { heads.push(head("Payable", true)); }
    if (canLedger) { heads.push(head("Record delivered")); }
    heads.push(head("Chart"));
    var table = cz.el("table", { class: "govuk-table", "data-testid": "hours-table" }, [
      cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "Hours per provider" }),
      cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" }, heads)]),
    ]);
    var body = cz.el("tbody", { class: "govuk-table__body" });
    rows.forEach(function (r) {
      var cells = [
        cz.el("th", { scope: "row", class: "govuk-table__header", text: r.provider_name }),
        num(hours(r.commissioned_hours)), num(hours(r.block_hours)), num(hours(r.allocated_hours)), num(hours(r.delivered_hours)),
      ];
      if (isReport) { cells.push(num(hours(r.payable_hours))); }
      if (canLedger) { cells.push(cell(recordForm(r, week))); }
      cells.push(cell(bars(r, scale)));
      body.appendChild(cz.el("tr", { class: "govuk-table__row", "data-provider": r.provider_id }, cells));
    });
    table.appendChild(body);
    box.appendChild(cz.scrollRegion(table, "Hours per provider"));
    if (isReport) {
      box.appendChild(cz.el("p", { class: "govuk-body-s", text: "Payable: the block is guaranteed; above it, delivered hours averaged over " +
        (data.payable_averaging_weeks === 1 ? "the week" : "the last " + data.payable_averaging_weeks + " weeks") + " are paid." }));
      box.appendChild(cz.el("p", { class: "govuk-body" }, [cz.el("a", { class: "govuk-link", href: "/v1/reports/weekly?format=csv&week=" + encodeURIComponent(week), text: "Download the payable hours as CSV" })]));
    } else {
      box.appendChild(cz.el("p", { class: "govuk-body-s", text: "Payable hours are on the commissioners' view of this page." }));
    }
  }

  function showFiveWeeks(report, day) {
    var box = document.getElementById("five-weeks");
    box.textContent = "";
    box.appendChild(cz.el("h2", { class: "govuk-heading-m", text: "People at or past five weeks (" + report.people.length + ")" }));
    if (!report.people.length) {
      box.appendChild(cz.el("p", { class: "govuk-body", text: "No one has been supported for five weeks or more on " + report.on + "." }));
    } else {
      var body = cz.el("tbody", { class: "govuk-table__body" });
      report.people.forEach(function (p) {
        var left = p.days_to_planned_end;
        var tag = left < 0 ? cz.el("strong", { class: "govuk-tag govuk-tag--red", text: "Past six weeks" })
          : cz.el("strong", { class: "govuk-tag govuk-tag--yellow", text: left + " days left" });
        // Brokers open the referral to end it or change its hours; commissioners see the number.
        var who = canLedger ? cz.el("a", { class: "govuk-link", href: "/referrals/" + encodeURIComponent(p.referral_id) }, [
          cz.el("span", { class: "govuk-visually-hidden", text: "Referral " }), String(p.referral_id),
        ]) : String(p.referral_id);
        body.appendChild(cz.el("tr", { class: "govuk-table__row" }, [
          cell(who), cell(p.day_zone), cell(providerNames[p.provider_id] || p.provider_id), cell(p.start_date), cell(p.planned_end_date), cell(tag),
        ]));
      });
      box.appendChild(cz.scrollRegion(cz.el("table", { class: "govuk-table" }, [
        cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "People at or past five weeks" }),
        cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" },
          [head("Referral"), head("Zone"), head("Provider"), head("Started"), head("Six weeks end"), head("Status")])]),
        body,
      ]), "People at or past five weeks"));
    }
    box.appendChild(cz.el("p", { class: "govuk-body" }, [cz.el("a", { class: "govuk-link", href: "/v1/reports/five-weeks?format=csv&on=" + encodeURIComponent(day), text: "Download this list as CSV" })]));
  }

  var loads = 0;
  async function load() {
    var seq = ++loads; // only the latest load may draw, whatever order the answers come in
    var week = weekInput.value;
    if (!week) { showProblem("week", "Enter a date in the week"); return; }
    status.textContent = "Loading…";
    try {
      var answers = await Promise.all([
        cz.get(canReport ? "/v1/reports/weekly?week=" + encodeURIComponent(week)
          : "/v1/ledger?week=" + encodeURIComponent(week)),
        cz.get("/v1/reports/five-weeks?on=" + encodeURIComponent(week)),
      ]);
      if (seq !== loads) { return; }
      showHours(answers[0], canReport, week);
      showFiveWeeks(answers[1], week);
      status.textContent = "";
      document.body.dataset.weekReady = week;
    } catch (err) {
      status.textContent = "";
      showProblem("week", err.message);
    }
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearErrors();
    saved.hidden = true;
    load();
  });
  load();
})();
