// One referral: what it is, what has happened to it, and the brokers' three actions
// (record the start, change the hours, end the support), as far as its status allows.
// Each action posts an event; the answer is the referral with its history, drawn again.
(function () {
  "use strict";
  var root = document.getElementById("record");
  var referralId = root.dataset.referralId;
  var statusLine = document.getElementById("record-status");
  var summaryBox = document.getElementById("summary");
  var historyBox = document.getElementById("history");
  var actions = document.getElementById("actions");
  var done = document.getElementById("done");
  var full = document.getElementById("hours-full");
  var referral = null;
  var wardNames = {};
  var sending = false;

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var STATUSES = {
    accepted: { text: "Accepted, not started", tag: "govuk-tag--blue" },
    started: { text: "Started", tag: "govuk-tag--green" },
    ended: { text: "Ended", tag: "govuk-tag--grey" },
  };
  var SOURCES = {
    hospital_discharge: "Hospital discharge",
    community: "Community",
    urgent_community_response: "Urgent Community Response",
  };
  var OUTCOMES = {
    no_ongoing_support: "No ongoing support needed",
    reduced_need: "Reduced need",
    ongoing_support: "Ongoing support needed",
    readmitted: "Readmitted to hospital",
    died: "Died",
  };
  var EVENTS = { accepted: "Accepted", started: "Started", hours_changed: "Hours changed", ended: "Ended" };
  var WHEN_RANGE = "Enter a date and time from 1 January 2000 to 31 December 2099, or leave it empty for now";
  var NOTE_LENGTH = "Shorten the note to 2,000 characters or fewer";
  var HOURS_RANGE = "Enter hours a week between 0.25 and 112, like 10.5";
  var REASON_LENGTH = "Enter the reason to go over the provider's hours, from 3 to 1,000 characters";
  // Each action: its event kind, its button, and which of its inputs shows each server field.
  var FORMS = {
    start: { kind: "started", button: "start-button", fields: { "body.at": "start-at", "body.note": "start-note" } },
    hours: { kind: "hours_changed", button: "hours-button", fields: {
      "body.at": "hours-at", "body.note": "hours-note", "body.hours_per_week": "hours-value",
      "body.capacity_override_reason": "hours-reason" } },
    end: { kind: "ended", button: "end-button", fields: { "body.at": "end-at", "body.note": "end-note", "body.outcome": "end-outcome" } },
  };
  // The server's limits, said in the page's words (the 422 reasons are pydantic's).
  var WORDS = {
    "body.at": WHEN_RANGE, "body.note": NOTE_LENGTH, "body.hours_per_week": HOURS_RANGE,
    "body.capacity_override_reason": REASON_LENGTH, "body.outcome": "Select how the support ended",
  };
  var INPUTS = ["start-at", "start-note", "hours-value", "hours-at", "hours-note", "hours-reason", "end-outcome", "end-at", "end-note"];

  // --- Words for dates, times and numbers -------------------------------------------

  function dayText(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] : "";
  }
  // The API gives people's times in UK local time with their offset
  // ("2026-07-01T10:00:00+01:00"): the wall clock is in the text, the offset says BST or GMT.
  function whenText(iso) {
    if (!iso) { return ""; }
    var offset = /(Z|[+-]\d\d:\d\d)$/.exec(iso);
    var zone = !offset ? "" : offset[1] === "+01:00" ? " BST" : offset[1] === "Z" || offset[1] === "+00:00" ? " GMT" : " (UTC" + offset[1] + ")";
    return dayText(iso) + ", " + iso.slice(11, 16) + zone;
  }
  function hours(h) { return h === null || h === undefined ? "" : String(Number(Number(h).toFixed(2))); }
  function nhsNumber(n) { return /^\d{10}$/.test(n) ? n.slice(0, 3) + " " + n.slice(3, 6) + " " + n.slice(6) : n; }

  // --- The referral: summary and history ---------------------------------------------

  function summaryRow(key, value) {
    var values = Array.isArray(value) ? value : [value];
    return cz.el("div", { class: "govuk-summary-list__row" }, [
      cz.el("dt", { class: "govuk-summary-list__key", text: key }),
      cz.el("dd", { class: "govuk-summary-list__value" }, values),
    ]);
  }

  function tag(status) {
    var s = STATUSES[status] || { text: status, tag: "govuk-tag--grey" };
    return cz.el("strong", { class: "govuk-tag " + s.tag, text: s.text });
  }

  function nightVisits(r) {
    if (!r.night_support) { return "No"; }
    return cz.el("ul", { class: "govuk-list" }, r.night_visits.map(function (v) {
      return cz.el("li", { text: String(v.time).slice(0, 5) + ", " + v.duration_minutes + " minutes" +
        (v.time_critical ? ", time-critical" : "") + (v.purpose ? ": " + v.purpose : "") });
    }));
  }

  function showSummary(r) {
    var ward = wardNames[r.ward_code] ? wardNames[r.ward_code] + " (" + r.ward_code + ")" : r.ward_code;
    var rows = [
      summaryRow("Name", r.name),
      summaryRow("NHS number", nhsNumber(r.nhs_number)),
      summaryRow("Postcode", r.postcode || "No postcode: a place on the map at " + r.lat + ", " + r.lon),
      summaryRow("Ward", ward),
      summaryRow("Home day zone", r.home_day_zone),
      summaryRow("Placed with zone", r.day_zone),
      summaryRow("Provider", r.provider.name),
      summaryRow("Across zones", r.cross_zone ? "Yes: placed outside the home zone" : "No"),
      summaryRow("Night zone", r.night_zone),
      summaryRow("Source", SOURCES[r.source] || r.source),
      summaryRow("Requested start", whenText(r.requested_start)),
      summaryRow("Planned end (six weeks)", whenText(r.planned_end)),
      summaryRow("Hours a week", hours(r.hours_per_week)),
      summaryRow("Night support", nightVisits(r)),
      summaryRow("Notes", r.notes || "None"),
      summaryRow("Status", tag(r.status)),
    ];
    if (r.status === "ended") {
      rows.push(summaryRow("Outcome", (OUTCOMES[r.outcome] || r.outcome) + (r.ended_at ? ", " + whenText(r.ended_at) : "")));
    }
    if (r.capacity_override_reason) {
      rows.push(summaryRow("Accepted over the provider's hours", r.capacity_override_reason));
    }
    summaryBox.textContent = "";
    summaryBox.appendChild(cz.el("h2", { class: "govuk-heading-m", text: "The referral" }));
    summaryBox.appendChild(cz.el("dl", { class: "govuk-summary-list", "data-testid": "referral-summary" }, rows));
  }

  function cell(children, numeric) {
    return cz.el("td", { class: "govuk-table__cell" + (numeric ? " govuk-table__cell--numeric" : "") }, children);
  }
  function head(text, numeric) {
    return cz.el("th", { scope: "col", class: "govuk-table__header" + (numeric ? " govuk-table__header--numeric" : ""), text: text });
  }

  function showHistory(r) {
    var body = cz.el("tbody", { class: "govuk-table__body" });
    (r.history || []).forEach(function (e) {
      var change = e.kind === "hours_changed" ? hours(e.hours_before) + " to " + hours(e.hours_after)
        : e.kind === "accepted" ? hours(e.hours_after) : "";
      var details = [];
      if (e.outcome) { details.push(cz.el("span", { class: "govuk-!-display-block", text: "Outcome: " + (OUTCOMES[e.outcome] || e.outcome) })); }
      if (e.note) { details.push(cz.el("span", { class: "govuk-!-display-block", text: "Note: " + e.note })); }
      if (e.override_reason) { details.push(cz.el("span", { class: "govuk-!-display-block", text: "Over the provider's hours: " + e.override_reason })); }
      details.push(cz.el("span", { class: "govuk-!-display-block", text: "Recorded by " + e.recorded_by }));
      body.appendChild(cz.el("tr", { class: "govuk-table__row", "data-kind": e.kind }, [
        cz.el("th", { scope: "row", class: "govuk-table__header govuk-!-font-weight-regular", text: whenText(e.at) }),
        cell([EVENTS[e.kind] || e.kind]),
        cell([dayText(e.effective_on)]),
        cell([change], true),
        cell(details),
      ]));
    });
    historyBox.textContent = "";
    historyBox.appendChild(cz.el("h2", { class: "govuk-heading-m", text: "History" }));
    historyBox.appendChild(cz.scrollRegion(cz.el("table", { class: "govuk-table", "data-testid": "history-table" }, [
      cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "History of the referral, oldest first" }),
      cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" }, [
        head("When (UK time)"), head("What happened"), head("Takes effect from"), head("Hours a week", true), head("Details"),
      ])]),
      body,
    ]), "History of the referral"));
  }

  function showActions(r) {
    var ended = r.status === "ended";
    document.getElementById("start-section").hidden = r.status !== "accepted";
    document.getElementById("hours-section").hidden = ended;
    document.getElementById("end-section").hidden = ended;
    document.getElementById("actions-none").hidden = !ended;
    document.getElementById("hours-now").textContent = hours(r.hours_per_week);
    actions.hidden = false;
  }

  function show(r) {
    referral = r;
    document.getElementById("record-caption").textContent = "Referral " + r.id;
    document.getElementById("record-title").textContent = r.name;
    statusLine.textContent = "";
    showSummary(r);
    showHistory(r);
    showActions(r);
  }

  function notFound() {
    referral = null;
    var title = "No referral " + referralId;
    document.getElementById("record-caption").hidden = true;
    document.getElementById("record-title").textContent = title;
    document.title = title + " – " + document.title.split(" – ").slice(1).join(" – ");
    summaryBox.textContent = "";
    historyBox.textContent = "";
    actions.hidden = true;
    statusLine.textContent = "";
    summaryBox.appendChild(cz.el("p", { class: "govuk-body" }, [
        "There is no referral with the number " + referralId + ". Check the number, or ",
        cz.el("a", { class: "govuk-link", href: "/referrals", text: "find the referral in the list" }),
        ".",
    ]));
  }

  // --- Actions ------------------------------------------------------------------------

  function setError(id, message) {
    if (id !== "end-outcome") { cz.setError(id, message); return; }
    // Radios: the error belongs to the fieldset, which the screen reader reads with it.
    var error = document.getElementById("end-outcome-error");
    document.getElementById("end-outcome-group").classList.toggle("govuk-form-group--error", Boolean(message));
    error.hidden = !message;
    error.textContent = "";
    var fieldset = document.getElementById("end-outcome-fieldset");
    if (message) {
      error.appendChild(cz.el("span", { class: "govuk-visually-hidden", text: "Error: " }));
      error.appendChild(document.createTextNode(message));
      fieldset.setAttribute("aria-describedby", "end-outcome-error");
    } else {
      fieldset.removeAttribute("aria-describedby");
    }
  }

  function clearErrors() {
    INPUTS.forEach(function (id) { setError(id, null); });
    cz.showSummary([]);
  }

  // A problem with no field of its own is linked to the action's button.
  function showProblems(name, problems) {
    problems.forEach(function (p) { if (p.id) { setError(p.id, p.message); } });
    cz.showSummary(problems.map(function (p) { return p.id ? p : { id: p.link || FORMS[name].button, message: p.message }; }));
  }

  // "When": empty is now; otherwise a UK wall-clock time, sent without an offset
  // (the API reads an offset-less time as UK local time).
  function readWhen(id, problems) {
    var input = document.getElementById(id);
    if (input.validity && input.validity.badInput) {
      problems.push({ id: id, message: "Enter a full date and time, like 1 July 2026 10:30, or leave it empty for now" });
      return undefined;
    }
    var value = input.value;
    if (!value) { return undefined; }
    var m = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.exec(value);
    if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2099) {
      problems.push({ id: id, message: WHEN_RANGE });
      return undefined;
    }
    return m[2] ? value : value + ":00";
  }

  function readNote(id, problems) {
    var note = document.getElementById(id).value;
    if (note.length > 2000) { problems.push({ id: id, message: NOTE_LENGTH }); }
    return note.trim();
  }

  var READERS = {
    start: function (problems) {
      return { kind: "started", at: readWhen("start-at", problems), note: readNote("start-note", problems) };
    },
    hours: function (problems) {
      var text = document.getElementById("hours-value").value.trim();
      var value = Number(text);
      // Plain decimals only: Number() would also take "0x10" (16) and "1e2" (100).
      if (!/^\d+(\.\d+)?$/.test(text) || value < 0.25 || value > 112) {
        problems.push({ id: "hours-value", message: text ? HOURS_RANGE : "Enter the new hours a week, like 10.5" });
      } else if (Math.round(value * 60) === Math.round(referral.hours_per_week * 60)) {
        problems.push({ id: "hours-value", message: "The hours are already " + hours(referral.hours_per_week) + " a week: enter the new hours" });
      }
      var body = { kind: "hours_changed", hours_per_week: value, at: readWhen("hours-at", problems), note: readNote("hours-note", problems) };
      var reason = document.getElementById("hours-reason").value.trim();
      if (!full.hidden && reason) {
        if (reason.length < 3 || reason.length > 1000) { problems.push({ id: "hours-reason", message: REASON_LENGTH }); }
        body.capacity_override_reason = reason;
      }
      return body;
    },
    end: function (problems) {
      var chosen = document.querySelector('input[name="end-outcome"]:checked');
      if (!chosen) { problems.push({ id: "end-outcome", message: "Select how the support ended" }); }
      return { kind: "ended", outcome: chosen ? chosen.value : null, at: readWhen("end-at", problems), note: readNote("end-note", problems) };
    },
  };

  function doneText(name, r, body) {
    if (name === "start") { return "Start recorded for " + r.name; }
    if (name === "hours") {
      return "Hours changed to " + hours(r.hours_per_week) + " a week for " + r.name +
        (body.capacity_override_reason ? ", over the provider's commissioned hours" : "");
    }
    return "Support ended for " + r.name + ": " + (OUTCOMES[r.outcome] || r.outcome);
  }

  function setSending(on) {
    sending = on;
    Object.keys(FORMS).forEach(function (name) {
      var button = document.getElementById(FORMS[name].button);
      button.disabled = on;
      button.setAttribute("aria-disabled", on ? "true" : "false");
    });
  }

  function resetForms() {
    Object.keys(FORMS).forEach(function (name) { document.getElementById(name + "-form").reset(); });
    full.hidden = true;
  }

  // The first week short, from a 409's figures (error.detail: week_start, hours_left,
  // hours_asked), in words: "in the week of 23 November 2026 it has 19.28 hours left, and
  // this change needs 25.72 hours that week". Empty when the answer has no figures.
  function shortWeek(err, who) {
    var d = err.detail || {};
    if (!d.week_start || typeof d.hours_left !== "number" || typeof d.hours_asked !== "number") { return ""; }
    return "in the week of " + dayText(d.week_start) + " " + who + " " + hours(d.hours_left) +
      " hours left, and this change needs " + hours(d.hours_asked) + " hours that week";
  }

  // The provider would pass its commissioned hours: say so, and offer the reason field.
  function showFull(err, body) {
    var week = shortWeek(err, "it has");
    var text = referral.provider.name + " does not have the hours" +
      (week ? ": " + week : " for " + hours(body.hours_per_week) + " a week") +
      ". To go over its commissioned hours, give the reason and change the hours again. Or enter fewer hours.";
    document.getElementById("hours-full-text").textContent = text;
    full.hidden = false;
    cz.showSummary([{ id: "hours-reason", message: referral.provider.name + " does not have the hours: give the reason to go over them, or enter fewer hours" }]);
  }

  async function refresh() {
    try { show(await cz.get("/v1/referrals/" + encodeURIComponent(referralId))); } catch (e) { /* the message already says what to do */ }
  }

  function refused(name, err, body) {
    if (err.code === "provider_full") { showFull(err, body); return; }
    if (err.code === "ucr_cap_reached") {
      var week = shortWeek(err, "there are");
      showProblems(name, [{ id: "hours-value", message: "Urgent Community Response hours would pass the weekly cap" +
        (week ? ": " + week.replace(" hours left", " hours left under the cap") : "") + ". Enter fewer hours." }]);
      return;
    }
    if (err.status === 404) { notFound(); return; }
    if (err.code === "status_conflict") {
      // Someone else recorded something first (another tab, another broker): show the
      // referral as it is now, and say why this action was not recorded.
      var now = /referral that is (\w+)/.exec(err.message || "");
      showProblems(name, [{ id: null, link: "summary", message: "This was not recorded: the referral is " +
        (now ? (STATUSES[now[1]] || { text: now[1] }).text.toLowerCase() : "not in a state that allows it") +
        " now. The page shows it as it is." }]);
      refresh();
      return;
    }
    var fields = FORMS[name].fields;
    var problems = (err.fields || []).map(function (f) {
      // A time refused for what it says (a start or an end in the future, an end before
      // the start: code event_time) comes in staff words already, naming the start.
      var known = err.status === 422 && err.code !== "event_time" && WORDS[f.field];
      return { id: fields[f.field] || null, message: known || f.reason };
    });
    if (!problems.length) { problems = [{ id: null, message: err.message }]; }
    showProblems(name, problems);
  }

  Object.keys(FORMS).forEach(function (name) {
    document.getElementById(name + "-form").addEventListener("submit", async function (ev) {
      ev.preventDefault();
      if (sending || !referral) { return; } // one request at a time: no double submission
      clearErrors();
      done.hidden = true;
      var problems = [];
      var body = READERS[name](problems);
      if (problems.length) { showProblems(name, problems); return; }
      if (body.at === undefined) { delete body.at; }
      setSending(true);
      try {
        var updated = await cz.post("/v1/referrals/" + encodeURIComponent(referralId) + "/events", body);
        resetForms();
        show(updated);
        document.getElementById("done-text").textContent = doneText(name, updated, body);
        done.hidden = false;
        done.focus();
      } catch (err) {
        refused(name, err, body);
      } finally {
        setSending(false);
      }
    });
  });

  // --- Loading ------------------------------------------------------------------------

  // Back to the list as it was filtered, when that is where the broker came from.
  try {
    var from = new URL(document.referrer);
    if (from.origin === window.location.origin && from.pathname === "/referrals") {
      document.getElementById("back-link").href = from.pathname + from.search;
    }
  } catch (e) { /* no referrer: the plain list */ }

  async function wards() {
    try {
      var collection = await cz.get("/v1/zones");
      collection.features.forEach(function (f) {
        var p = f.properties || {};
        if (p.kind === "ward") { wardNames[p.ward_code] = p.ward_name; }
      });
    } catch (e) { /* the ward's code is shown instead of its name */ }
  }

  async function load() {
    if (!/^\d{1,10}$/.test(referralId) || Number(referralId) < 1 || Number(referralId) > 2147483647) {
      notFound();
      return;
    }
    try {
      var answers = await Promise.all([cz.get("/v1/referrals/" + referralId), wards()]);
      show(answers[0]);
    } catch (err) {
      if (err.status === 404) { notFound(); return; }
      statusLine.textContent = "The referral could not load: " + err.message;
    }
  }

  load().finally(function () { document.body.dataset.referralReady = "true"; });
})();
