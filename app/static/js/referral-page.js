// New referral: check the allocation and the provider's hours, then confirm;
// when the provider is full, offer the ranked alternatives or an override with a reason.
(function () {
  "use strict";
  var form = document.getElementById("referral-form");
  var checkResult = document.getElementById("check-result");
  var confirmButton = document.getElementById("confirm");
  var full = document.getElementById("full");
  var done = document.getElementById("done");
  var mapPoint = document.getElementById("map-point");
  var zm = null;
  var point = null; // {lat, lon} from a map click, used when no postcode is given
  // What was checked: {body, allocation, key}. The Idempotency-Key belongs to this one intent:
  // every Confirm of it reuses the key, so a repeated click or a retry cannot refer twice.
  var checked = null;
  var checks = 0; // bumped by each check and each change, so a stale check's answer is dropped
  var confirming = false;
  // Server field paths -> the input that shows the error.
  var FIELD_INPUTS = {
    "body.nhs_number": "nhs_number", "body.name": "name", "body.address": "postcode",
    "body.address.postcode": "postcode", "body.requested_start": "start",
    "body.hours_per_week": "hours", "body.night_visits": "night", "body": "night",
    "body.notes": "notes",
  };
  var INPUT_IDS = ["nhs_number", "name", "postcode", "start", "hours", "night", "visit-time", "visit-minutes", "notes"];

  function inputFor(field) {
    if (/^body\.night_visits\.\d+\.time$/.test(field)) { return "visit-time"; }
    if (/^body\.night_visits\.\d+\.duration_minutes$/.test(field)) { return "visit-minutes"; }
    return FIELD_INPUTS[field] || null; // null: the summary only, not a wrong field
  }

  // NHS numbers end in a modulus-11 check digit (weights 10 to 2 on the first nine);
  // ten repeated digits pass it but are never issued.
  function nhsProblem(digits) {
    if (!/^\d{10}$/.test(digits)) { return "Enter a 10-digit NHS number"; }
    var total = 0;
    for (var i = 0; i < 9; i++) { total += Number(digits[i]) * (10 - i); }
    var check = (11 - (total % 11)) % 11;
    if (check === 10 || check !== Number(digits[9]) || /^(\d)\1{9}$/.test(digits)) {
      return "Enter a valid NHS number: check it against the referral (its last digit is a check digit)";
    }
    return null;
  }

  // A night visit's time: "HH:MM" at night, 22:00 to 07:00 (07:00 itself is day).
  function nightTimeProblem(value) {
    if (!/^\d{2}:\d{2}(:\d{2})?$/.test(value)) { return "Enter the time of the night visit, like 23:30"; }
    var hour = Number(value.slice(0, 2));
    if (hour >= 7 && hour < 22) { return "Enter a night visit time between 22:00 and 07:00, like 23:30"; }
    return null;
  }

  function newKey() {
    return window.crypto && crypto.randomUUID ? crypto.randomUUID()
      : String(Date.now()) + Math.random().toString(16).slice(2);
  }

  // Any change after a check makes it stale: Confirm would send what was checked, not what is shown.
  function invalidate() {
    checks++;
    if (!checked) { return; }
    checked = null;
    confirmButton.hidden = true;
    full.hidden = true;
    checkResult.textContent = "";
    checkResult.appendChild(cz.el("p", { class: "govuk-body", text: "You changed the referral: check the allocation again." }));
  }
  form.addEventListener("input", invalidate);
  form.addEventListener("change", invalidate);

  document.getElementById("postcode").addEventListener("input", function (ev) {
    if (ev.target.value.trim() && point) {
      point = null;
      mapPoint.textContent = "Using the postcode instead of the place selected on the map.";
    }
  });
  document.getElementById("start").value = cz.ukToday();
  document.getElementById("night").addEventListener("change", function (ev) {
    document.getElementById("night-visits").hidden = !ev.target.checked;
  });

  czZoneMap.create("map", {
    onClick: function (latlng) {
      point = { lat: Math.round(latlng.lat * 1e6) / 1e6, lon: Math.round(latlng.lng * 1e6) / 1e6 };
      document.getElementById("postcode").value = "";
      mapPoint.textContent = "Using the place selected on the map: " + point.lat + ", " + point.lon;
      invalidate();
      zm.placeMarker(point.lat, point.lon, "Referral");
    },
  }).then(function (handle) { zm = handle; document.body.dataset.mapReady = "true"; });

  function clearErrors() {
    INPUT_IDS.forEach(function (id) { cz.setError(id, null); });
    cz.showSummary([]);
  }

  // A problem with no field of its own (id null) is listed in the summary, linked to
  // the Check button, and shown on no field.
  function showProblems(problems) {
    problems.forEach(function (p) { if (p.id) { cz.setError(p.id, p.message); } });
    cz.showSummary(problems.map(function (p) { return p.id ? p : { id: "check", message: p.message }; }));
  }

  function readForm() {
    var problems = [];
    var nhs = document.getElementById("nhs_number").value.replace(/\s+/g, "");
    var name = document.getElementById("name").value.trim();
    var postcode = document.getElementById("postcode").value.trim();
    var start = document.getElementById("start").value;
    var hours = Number(document.getElementById("hours").value);
    var night = document.getElementById("night").checked;
    var nhsText = nhsProblem(nhs);
    if (nhsText) { problems.push({ id: "nhs_number", message: nhsText }); }
    if (!name) { problems.push({ id: "name", message: "Enter the person's full name" }); }
    if (!postcode && !point) { problems.push({ id: "postcode", message: "Enter a postcode, or select the place on the map" }); }
    if (!start) { problems.push({ id: "start", message: "Enter the start date" }); }
    if (!(hours >= 0.25 && hours <= 112)) { problems.push({ id: "hours", message: "Enter hours a week between 0.25 and 112" }); }
    if (document.getElementById("notes").value.length > 4000) {
      problems.push({ id: "notes", message: "Shorten the notes to 4,000 characters or fewer" });
    }
    var visitTime = document.getElementById("visit-time").value;
    var visitMinutes = document.getElementById("visit-minutes").value.trim();
    if (night) {
      var timeProblem = nightTimeProblem(visitTime);
      if (timeProblem) { problems.push({ id: "visit-time", message: timeProblem }); }
      if (!/^\d+$/.test(visitMinutes) || Number(visitMinutes) < 5 || Number(visitMinutes) > 240) {
        problems.push({ id: "visit-minutes", message: "Enter the minutes of the night visit, a whole number between 5 and 240" });
      }
    }
    var body = {
      nhs_number: nhs,
      name: name,
      address: postcode ? { postcode: postcode } : point,
      source: form.querySelector('input[name="source"]:checked').value,
      requested_start: start + "T09:00:00",
      hours_per_week: hours,
      night_support: night,
      night_visits: night ? [{
        time: visitTime,
        duration_minutes: Number(visitMinutes),
        time_critical: document.getElementById("visit-critical").checked,
      }] : [],
      notes: document.getElementById("notes").value,
    };
    return { body: body, problems: problems };
  }

  function row(k, v) {
    return cz.el("div", { class: "govuk-summary-list__row" }, [
      cz.el("dt", { class: "govuk-summary-list__key", text: k }),
      cz.el("dd", { class: "govuk-summary-list__value", text: v }),
    ]);
  }

  // The provider's ledger row for the tightest of the six weeks the episode spans.
  async function spareHours(providerId, startDate) {
    var start = new Date(startDate + "T12:00:00Z");
    var weeks = [0, 1, 2, 3, 4, 5].map(function (i) {
      return new Date(start.getTime() + i * 7 * 86400000).toISOString().slice(0, 10);
    });
    try {
      var ledgers = await Promise.all(weeks.map(function (w) {
        return cz.get("/v1/ledger?week=" + encodeURIComponent(w));
      }));
      var rows = ledgers.map(function (l) {
        return l.providers.find(function (p) { return p.provider_id === providerId; });
      }).filter(Boolean);
      if (!rows.length) { return null; }
      return rows.reduce(function (a, b) { return b.spare_hours < a.spare_hours ? b : a; });
    } catch (err) {
      return null;
    }
  }

  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    clearErrors();
    done.textContent = "";
    full.hidden = true;
    confirmButton.hidden = true;
    checks++;
    checked = null;
    var seq = checks;
    var read = readForm();
    if (read.problems.length) { showProblems(read.problems); return; }
    var allocation;
    try {
      allocation = await cz.post("/v1/allocations", read.body.address);
    } catch (err) {
      if (seq !== checks) { return; }
      var msg = err.status === 404 ? "We do not hold that postcode; check it, or select the place on the map"
        : "Enter a full postcode, like CV1 5FB";
      showProblems([{ id: "postcode", message: msg }]);
      return;
    }
    if (seq !== checks) { return; }
    if (zm) {
      zm.placeMarker(allocation.lat, allocation.lon, allocation.postcode || "Referral");
      if (allocation.in_area) { zm.select(allocation.ward.code); }
    }
    // The council cannot place a referral outside its wards: say so now, on the place's field.
    if (!allocation.in_area) {
      var where = allocation.distance_m > 0 ? ": " + cz.metres(allocation.distance_m) + " from the nearest ward, " + allocation.ward.name : "";
      showProblems([{ id: "postcode", message: read.body.address.postcode
        ? (allocation.postcode || read.body.address.postcode) + " is outside the council's area" + where + ". Check the postcode"
        : "The place selected on the map is outside the council's area" + where + ". Select a place inside the wards" }]);
      return;
    }
    var ledger = await spareHours(allocation.day_zone.provider.id, read.body.requested_start.slice(0, 10));
    if (seq !== checks) { return; }
    checkResult.textContent = "";
    var heading = cz.el("h2", { class: "govuk-heading-m", tabindex: "-1", text: "Allocation" });
    checkResult.appendChild(heading);
    var rows = [
      row("Place", allocation.ward.name + " ward"),
      row("Day zone", allocation.day_zone.code),
      row("Provider", allocation.day_zone.provider.name),
      row("Night zone", allocation.night_zone.code + " – " + allocation.night_zone.provider.name),
    ];
    if (ledger) {
      rows.push(row("Hours left", ledger.spare_hours.toFixed(2) + " of " + ledger.commissioned_hours +
        " commissioned, in the week of " + ledger.week_start + " (the tightest of the six)"));
    } else {
      rows.push(row("Hours left", "Not available: the hours ledger did not answer"));
    }
    checkResult.appendChild(cz.el("dl", { class: "govuk-summary-list", "data-testid": "allocation-summary" }, rows));
    if (ledger && ledger.spare_hours < read.body.hours_per_week) {
      checkResult.appendChild(cz.el("p", { class: "govuk-body", text: "This provider does not have " + read.body.hours_per_week + " hours left: you will be asked where to place the referral." }));
    }
    checked = { body: read.body, allocation: allocation, key: newKey() };
    confirmButton.hidden = false;
    // Keyboard users land on the answer; the next Tab is Confirm, not the map's wards.
    heading.focus();
  });

  function showFull(err, intent) {
    var choices = document.getElementById("choices");
    choices.textContent = "";
    document.getElementById("full-message").textContent = intent.allocation.day_zone.provider.name +
      " does not have " + intent.body.hours_per_week + " hours a week left in every week of these six." +
      " Choose another zone's provider below, or keep it with this one over its commissioned hours and give the reason.";
    var alternatives = (err.detail && err.detail.alternatives) || [];
    alternatives.forEach(function (a, i) {
      var id = "choice-" + i;
      choices.appendChild(cz.el("div", { class: "govuk-radios__item" }, [
        cz.el("input", { class: "govuk-radios__input", id: id, name: "choice", type: "radio", value: a.provider.id }),
        cz.el("label", { class: "govuk-label govuk-radios__label", for: id,
          text: (i + 1) + ". Zone " + a.day_zone + ", " + a.provider.name + ": " + a.spare_hours_per_week +
            " hours spare, " + cz.metres(a.distance_m) + " away" }),
      ]));
    });
    choices.appendChild(cz.el("div", { class: "govuk-radios__item" }, [
      cz.el("input", { class: "govuk-radios__input", id: "choice-override", name: "choice", type: "radio", value: "" }),
      cz.el("label", { class: "govuk-label govuk-radios__label", for: "choice-override",
        text: "Keep it with " + intent.allocation.day_zone.provider.name + ", over its commissioned hours" }),
    ]));
    full.hidden = false;
    full.scrollIntoView({ block: "nearest" });
  }

  function setConfirming(on) {
    confirming = on;
    confirmButton.disabled = on;
    confirmButton.setAttribute("aria-disabled", on ? "true" : "false");
  }

  // After a referral is placed the form starts empty, so placing another is a deliberate act.
  function clearForm() {
    form.reset();
    document.getElementById("start").value = cz.ukToday();
    document.getElementById("night-visits").hidden = true;
    point = null;
    mapPoint.textContent = "";
    if (zm && zm.marker) { zm.marker.remove(); zm.marker = null; }
    checked = null;
    checks++;
    checkResult.textContent = "";
    document.getElementById("choices").textContent = "";
    document.getElementById("reason").value = "";
  }

  confirmButton.addEventListener("click", async function () {
    if (!checked || confirming) { return; }
    var intent = checked;
    var body = Object.assign({}, intent.body);
    if (!full.hidden) {
      var chosen = document.querySelector('input[name="choice"]:checked');
      var reason = document.getElementById("reason").value.trim();
      var problems = [];
      if (!chosen) { problems.push({ id: "choices", message: "Select where the referral should go" }); }
      if (reason.length < 3) { problems.push({ id: "reason", message: "Enter the reason for the override" }); }
      document.getElementById("choice-group").classList.remove("govuk-form-group--error");
      document.getElementById("choice-error").hidden = true;
      cz.setError("reason", null);
      if (problems.length) {
        problems.forEach(function (p) {
          if (p.id === "reason") { cz.setError("reason", p.message); }
          else { document.getElementById("choice-group").classList.add("govuk-form-group--error");
                 var e = document.getElementById("choice-error"); e.hidden = false; e.textContent = p.message; }
        });
        cz.showSummary(problems);
        return;
      }
      if (chosen.value) { body.provider_id = chosen.value; body.cross_zone_reason = reason; }
      else { body.capacity_override_reason = reason; }
    }
    setConfirming(true);
    try {
      // The same key for every Confirm of this check: the server places one referral per key
      // (a retry of the same body gets that referral back).
      var referral = await cz.post("/v1/referrals", body, { "Idempotency-Key": intent.key });
      full.hidden = true;
      confirmButton.hidden = true;
      clearForm();
      cz.showSummary([]);
      done.textContent = "";
      var panel = cz.el("div", { class: "govuk-panel govuk-panel--confirmation", tabindex: "-1" }, [
        cz.el("h2", { class: "govuk-panel__title", text: "Referral " + referral.id + " placed" }),
        cz.el("div", { class: "govuk-panel__body", text: "For " + referral.name + ", with " + referral.provider.name +
          " (zone " + referral.day_zone + (referral.cross_zone ? ", across zones" : "") + ") until " + referral.planned_end_date }),
      ]);
      done.appendChild(panel);
      done.appendChild(cz.el("p", { class: "govuk-body", text: "The form is now empty, ready for the next referral." }));
      done.appendChild(cz.el("p", { class: "govuk-body" }, [
        cz.el("a", { class: "govuk-link", href: "/referrals/new", text: "Refer someone else" }),
      ]));
      panel.focus();
    } catch (err) {
      if (err.code === "provider_full") {
        if (checked === intent) { showFull(err, intent); } // not if the form changed meanwhile
        return;
      }
      var problems = (err.fields || []).map(function (f) {
        return { id: inputFor(f.field), message: f.reason };
      });
      if (!problems.length) { problems = [{ id: null, message: err.message }]; }
      showProblems(problems);
    } finally {
      setConfirming(false);
    }
  });
})();
