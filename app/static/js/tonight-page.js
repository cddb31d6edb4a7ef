// Tonight: plan a night, see each car's route in its colour with numbered stops,
// the run sheets and unassigned visits, and re-plan after a change.
(function () {
  "use strict";
  var status = document.getElementById("plan-status");
  var replanStatus = document.getElementById("replan-status");
  var planButton = document.getElementById("plan-button");
  var replanButton = document.getElementById("replan-button");
  var busy = false;
  var planBox = document.getElementById("plan");
  var dateInput = document.getElementById("night-date");
  var zm = null;
  var routeLayer = null;
  var current = null;
  var CLOCK = /^([01]?\d|2[0-3]):[0-5]\d$/;

  // The night in progress (before 07:00 UK time it began the evening before), or
  // tonight's: the UK date, not the browser's UTC one.
  function nightInProgress() {
    var now = cz.ukNow();
    if (now.hour >= 7) { return now.date; }
    var day = new Date(now.date + "T12:00:00Z");
    day.setUTCDate(day.getUTCDate() - 1);
    return day.toISOString().slice(0, 10);
  }
  dateInput.value = nightInProgress();

  // Every plan made for the night on the date box, newest first, to go back to one.
  var plansBox = document.getElementById("night-plans");
  var listed = 0;
  async function listPlans() {
    var seq = ++listed;
    var night = dateInput.value;
    if (!night) { plansBox.textContent = ""; return; }
    var data;
    try { data = await cz.get("/v1/night-plans?limit=20&date=" + encodeURIComponent(night)); }
    catch (err) { return; }
    if (seq !== listed) { return; }
    plansBox.textContent = "";
    if (!data.items.length) { return; }
    var list = cz.el("ul", { class: "govuk-list" });
    data.items.forEach(function (p) {
      var made = czRunsheet.hhmm(p.created_at);
      var text = "Plan " + p.id + (p.parent_id ? " (re-plan of " + p.parent_id + ")" : "") + ", made at " + made +
        ": " + p.served + " served, " + p.unassigned + " unassigned";
      var item = current && current.id === p.id
        ? cz.el("li", {}, [cz.el("strong", { text: text + " (shown)" })])
        : cz.el("li", {}, [cz.el("a", { class: "govuk-link", href: "/tonight?plan=" + p.id, text: text })]);
      list.appendChild(item);
    });
    plansBox.appendChild(cz.el("h2", { class: "govuk-heading-s", text: "Plans for the night of " + night }));
    plansBox.appendChild(list);
  }
  dateInput.addEventListener("change", listPlans);

  // "1:30" -> "01:30".
  function padClock(text) { return text.length === 4 ? "0" + text : text; }
  // A clock time the clocks skip on the night they go forward.
  function skipped(clock) {
    return "There is no " + clock + " tonight: the clocks go forward from 01:00 GMT to 02:00 BST. " +
      "Enter a time before 01:00, or 02:00 or later";
  }

  // The controls an error can be shown on: each has "<id>-group" and "<id>-error".
  var FIELDS = ["night-date", "now", "now-fold", "done", "cancel", "add-postcode", "add-label", "add-time", "add-minutes"];

  // A control's GOV.UK error message (null clears it), with aria-describedby kept in step.
  function setError(id, message) {
    var group = document.getElementById(id + "-group");
    var error = document.getElementById(id + "-error");
    var control = id === "done" ? group.querySelector("fieldset") : document.getElementById(id);
    group.classList.toggle("govuk-form-group--error", Boolean(message));
    ["govuk-input", "govuk-select"].forEach(function (cls) {
      if (control.classList.contains(cls)) { control.classList.toggle(cls + "--error", Boolean(message)); }
    });
    error.hidden = !message;
    error.textContent = "";
    if (message) {
      error.appendChild(cz.el("span", { class: "govuk-visually-hidden", text: "Error: " }));
      error.appendChild(document.createTextNode(message));
    }
    if (!control.dataset.describedby) { control.dataset.describedby = control.getAttribute("aria-describedby") || " "; }
    var ids = control.dataset.describedby.trim() + (message ? " " + id + "-error" : "");
    if (ids.trim()) { control.setAttribute("aria-describedby", ids.trim()); } else { control.removeAttribute("aria-describedby"); }
  }

  // list: {id: control, message, target: element id the summary links to (default id)}.
  function problems(list) {
    FIELDS.forEach(function (id) { setError(id, null); });
    list.forEach(function (p) { if (FIELDS.indexOf(p.id) >= 0) { setError(p.id, p.message); } });
    cz.showSummary(list.map(function (p) { return { id: p.target || p.id, message: p.message }; }));
  }

  function stopOf(plan, visitId) {
    var found = null;
    (plan ? plan.cars : []).forEach(function (route) {
      route.stops.forEach(function (s) { if (s.visit_id === visitId) { found = s; } });
    });
    return found;
  }
  function nameOf(visitId) {
    var s = stopOf(current, visitId);
    return (s && s.label) || (known[visitId] && known[visitId].label) || visitId;
  }

  // Each visit's label and requested time, from every plan this page has shown (and a
  // re-plan's parent), so a change or an unassigned visit can be named by them.
  var known = {};
  function remember(plan) {
    plan.cars.forEach(function (route) {
      route.stops.forEach(function (s) { known[s.visit_id] = { label: s.label, requested_at: s.requested_at }; });
    });
    plan.unassigned.forEach(function (u) {
      var k = known[u.visit_id] || {};
      known[u.visit_id] = { label: u.label || k.label, requested_at: u.requested_at || k.requested_at };
    });
  }
  function askedFor(visitId) {
    var k = known[visitId];
    return k && k.requested_at ? czRunsheet.hhmm(k.requested_at) : "";
  }
  function describe(visitId) {
    var k = known[visitId] || {};
    return (k.label || "Visit " + visitId) + (askedFor(visitId) ? " (asked for " + askedFor(visitId) + ")" : "");
  }

  // One line of "What changed", in people's names and the cars as the page names them.
  function changeText(c, plan) {
    var who = describe(c.visit_id);
    var from = c.from_car ? czRunsheet.carName(c.from_car) : "";
    var to = c.to_car ? czRunsheet.carName(c.to_car) : "";
    var why = c.reason ? ": " + c.reason : "";
    switch (c.kind) {
      case "cancelled":
        return who + ": cancelled" + (from ? ", was on " + from : "");
      case "added":
        return who + ": added" + (to ? " to " + to : ", but no car can take it") + why;
      case "dropped":
        return who + ": dropped" + (from ? " from " + from : "") + ", no car can take it now" + why;
      case "moved":
        return who + ": " + (from ? "moved from " + from + " to " + to : "now on " + to + " (was not assigned)");
      case "time_shifted":
        var stop = stopOf(plan, c.visit_id);
        var shift = Math.round(Math.abs(c.shift_s) / 60);
        return who + ": new time" + (to || from ? " on " + (to || from) : "") +
          (stop ? ", now starts " + czRunsheet.hhmm(stop.start_at) : "") +
          (shift ? " (" + shift + " min " + (c.shift_s > 0 ? "later" : "earlier") + ")" : "");
      default:
        return who + ": " + c.kind.replace(/_/g, " ") + (from || to ? " (" + (from || "no car") + " to " + (to || "no car") + ")" : "") + why;
    }
  }

  // The control an API error is about: error.fields[].field names it, e.g.
  // body.added.0.location.postcode, body.done.2, body.now. null: none on this page.
  function controlFor(field, body) {
    var m;
    if (field === "body.now") { return { id: "now" }; }
    if ((m = /^body\.added\.\d+\.(\w+)/.exec(field))) {
      var part = { requested_time: "add-time", duration_minutes: "add-minutes", label: "add-label",
        tolerance_minutes: "add-time", strict: "add-time" }[m[1]];
      return { id: part || "add-postcode" };
    }
    if (/^body\.added(\.\d+)?$/.test(field) || field === "body.postcode" || field === "body.lat" || field === "body.lon") {
      return { id: "add-postcode" };
    }
    if ((m = /^body\.done(?:\.(\d+))?$/.exec(field))) {
      var vid = m[1] !== undefined ? body.done[Number(m[1])] : null;
      var box = vid && document.getElementById("done-" + vid);
      var first = document.querySelector('#done-list input[name="done"]');
      return { id: "done", visit: vid, target: box ? box.id : first ? first.id : "done-list" };
    }
    if ((m = /^body\.cancelled(?:\.(\d+))?$/.exec(field))) {
      return { id: "cancel", visit: m[1] !== undefined ? body.cancelled[Number(m[1])] : body.cancelled[0] };
    }
    return null;
  }

  // The API's messages are written for developers ("Expected ..."); staff get plain
  // words where the page knows what went wrong, and the API's words otherwise.
  function plain(control, reason, body) {
    var m;
    var clock = "(\\d\\d:\\d\\d(?: BST| GMT)?)";
    var added = body && body.added && body.added[0];
    switch (control.id) {
      case "now":
        if ((m = new RegExp("at or after " + clock).exec(reason))) {
          return "Enter a time at or after " + m[1] + ", the time of the re-plan you are changing";
        }
        if (/between 22:00 and 07:00|inside the night/.test(reason)) { return "Enter a time between 22:00 and 07:00"; }
        if (/HH:MM|ISO 8601/.test(reason)) { return "Enter the time now, like 01:00"; }
        return reason;
      case "add-time":
        if (/between 22:00 and 07:00/.test(reason)) { return "Enter a requested time between 22:00 and 07:00, like 03:00"; }
        if (/HH:MM|24-hour/.test(reason)) { return "Enter the requested time, like 03:00"; }
        return reason;
      case "add-minutes":
        return "Enter minutes between 1 and 240";
      case "add-label":
        return /200/.test(reason) ? "Enter who it is in 200 characters or fewer" : reason;
      case "add-postcode":
        var postcode = added && added.location && added.location.postcode;
        if ((m = /inside (.+?), got one (\d+) m outside/.exec(reason))) {
          return (postcode || "That place") + " is outside " + m[1] + " (" + (Number(m[2]) / 1000).toFixed(1) +
            " km from its nearest ward): the night cars only visit inside it";
        }
        if (/not in the offline table|do not hold|not found/i.test(reason)) {
          return "We do not hold the postcode " + (postcode || "") + ": check it and try again";
        }
        if (/Expected a UK postcode/.test(reason)) { return "Enter a real postcode, like CV1 5FB"; }
        return reason;
      case "done":
        if ((m = new RegExp("planned to start at " + clock).exec(reason))) {
          var at = new RegExp("done by now \\(([^)]+)\\)").exec(reason);
          return nameOf(control.visit) + " is planned to start at " + m[1] + ", after the time now" +
            (at ? " (" + at[1] + ")" : "") + ": tick it done once it has happened, or cancel it";
        }
        if (/Expected a visit id of this plan/.test(reason)) {
          return nameOf(control.visit) + " is not in this plan: reload the page and try again";
        }
        return reason;
      case "cancel":
        if (/recorded it as done/.test(reason)) {
          return nameOf(control.visit) + " was recorded as done in an earlier re-plan, so it cannot be cancelled";
        }
        if (/not both/.test(reason)) { return "A visit cannot be both done and cancelled"; }
        if (/Expected a visit id of this plan/.test(reason)) {
          return nameOf(control.visit) + " is not in this plan: reload the page and try again";
        }
        return reason;
      default:
        return reason;
    }
  }

  // An error from a plan (body null) or re-plan (the body sent) as GOV.UK problems.
  function errorProblems(err, body) {
    if (!(err instanceof cz.ApiError) || err.status === 0) { // 0: the request itself failed
      return [{ id: null, target: body ? "replan-button" : "plan-button",
        message: "The service could not be reached. Check the connection and try again." }];
    }
    var fields = err.fields && err.fields.length ? err.fields : [{ field: "", reason: err.message }];
    return fields.map(function (f) {
      if (!body) {
        if (err.status === 404) {  // a plan number that does not exist (from the address)
          return { id: null, target: "plan-button", message: "There is no such plan. Choose a date and plan the night, or pick one of the night's plans." };
        }
        if (f.field === "body.date") { return { id: "night-date", message: "Enter a date between 1 January 2000 and 31 December 2100" }; }
        return { id: f.field === "body.overrides" || !f.field ? null : "night-date", target: "plan-button", message: f.reason };
      }
      var control = controlFor(f.field || "", body);
      if (!control) { return { id: null, target: "replan-button", message: "The re-plan was refused: " + f.reason }; }
      return { id: control.id, target: control.target, message: plain(control, f.reason, body) };
    });
  }

  async function ensureMap() {
    if (zm) { return zm; }
    planBox.hidden = false;
    zm = await czZoneMap.create("map", { neutral: true });
    return zm;
  }

  function drawRoutes(plan) {
    if (routeLayer) { zm.map.removeLayer(routeLayer); }
    routeLayer = L.layerGroup().addTo(zm.map);
    var bounds = [];
    plan.cars.forEach(function (route, i) {
      var colour = czRunsheet.colours[i % czRunsheet.colours.length];
      var base = [route.base.lat, route.base.lon];
      var points = [base].concat(route.stops.map(function (s) { return [s.lat, s.lon]; }), [base]);
      bounds = bounds.concat(points);
      L.polyline(points, { color: colour, weight: 4, opacity: 0.9, className: "car-route car-route-" + route.car_id, interactive: false }).addTo(routeLayer);
      L.circleMarker(base, { radius: 7, color: "#0b0c0c", weight: 2, fillColor: colour, fillOpacity: 1, className: "car-base", interactive: false }).addTo(routeLayer);
      route.stops.forEach(function (s) {
        L.marker([s.lat, s.lon], {
          interactive: false, keyboard: false,
          icon: L.divIcon({ className: "", html: '<span class="cz-stop-icon" style="background:' + colour + '">' + s.order + "</span>", iconSize: [24, 24], iconAnchor: [12, 12] }),
        }).addTo(routeLayer);
      });
    });
    if (bounds.length) { zm.map.fitBounds(bounds, { padding: [20, 20] }); }
  }

  function showPlan(plan) {
    current = plan;
    remember(plan);
    dateInput.value = plan.date;
    listPlans();
    var t = plan.totals;
    var summary = document.getElementById("plan-summary");
    summary.textContent = "";
    summary.appendChild(cz.el("h2", { class: "govuk-heading-m", id: "plan-heading", tabindex: "-1",
      text: "Plan " + plan.id + " for the night of " + plan.date }));
    summary.appendChild(cz.el("p", { class: "govuk-body", text: t.served + " of " + t.visits + " visits served by " + plan.cars.length +
      " cars; " + czRunsheet.minutes(t.travel_s) + " driving in all (" + czRunsheet.km(t.distance_m) + ")." }));
    summary.appendChild(cz.el("p", { class: "govuk-body-s", text: "Travel times: " + plan.travel_note + "." }));
    if (czRunsheet.nightNote(plan)) {
      summary.appendChild(cz.el("div", { class: "govuk-inset-text", text: czRunsheet.nightNote(plan) }));
    }
    var key = cz.el("ul", { class: "govuk-list" });
    plan.cars.forEach(function (route, i) {
      key.appendChild(cz.el("li", {}, [
        cz.el("span", { class: "cz-route-key", style: "background:" + czRunsheet.colours[i % czRunsheet.colours.length], "aria-hidden": "true" }),
        czRunsheet.carName(route.car_id) + " (night zone " + route.zone + "): " + route.stops.length + " stops",
      ]));
    });
    summary.appendChild(key);

    var unassigned = document.getElementById("unassigned");
    unassigned.textContent = "";
    if (plan.unassigned.length) {
      unassigned.appendChild(cz.el("h2", { class: "govuk-heading-m", text: "Unassigned visits (" + plan.unassigned.length + ")" }));
      var list = cz.el("ul", { class: "govuk-list govuk-list--bullet" });
      plan.unassigned.forEach(function (u) {
        var asked = askedFor(u.visit_id);
        list.appendChild(cz.el("li", { text: (u.label || u.visit_id) + (asked ? ", asked for " + asked : "") +
          (u.strict ? " (time-critical)" : "") + ": " + u.reason }));
      });
      unassigned.appendChild(list);
    }
    var changes = document.getElementById("changes");
    changes.textContent = "";
    if (plan.changes && plan.changes.length) {
      changes.appendChild(cz.el("h2", { class: "govuk-heading-m", id: "changes-heading", tabindex: "-1",
        text: "What changed (re-plan of plan " + plan.parent_id + ")" }));
      var cl = cz.el("ul", { class: "govuk-list govuk-list--bullet" });
      plan.changes.forEach(function (c) {
        cl.appendChild(cz.el("li", { text: changeText(c, plan) }));
      });
      changes.appendChild(cl);
    }
    czRunsheet.render(document.getElementById("runsheets"), plan, {});
    document.getElementById("print-link").href = "/tonight/print?plan=" + plan.id;
    document.getElementById("csv-link").href = "/v1/night-plans/" + plan.id + ".csv";
    var doneList = document.getElementById("done-list");
    doneList.textContent = "";
    plan.cars.forEach(function (route) {
      route.stops.forEach(function (s) {
        if (s.fixed) { return; }
        var id = "done-" + s.visit_id;
        doneList.appendChild(cz.el("div", { class: "govuk-checkboxes__item" }, [
          cz.el("input", { class: "govuk-checkboxes__input", id: id, name: "done", type: "checkbox", value: s.visit_id }),
          cz.el("label", { class: "govuk-label govuk-checkboxes__label", for: id,
            text: czRunsheet.hhmm(s.start_at) + " " + (s.label || s.visit_id) + " (" + czRunsheet.carName(route.car_id) + ")" }),
        ]));
      });
    });
    var cancel = document.getElementById("cancel");
    cancel.textContent = "";
    cancel.appendChild(cz.el("option", { value: "", text: "No cancellation" }));
    plan.cars.forEach(function (route) {
      route.stops.forEach(function (s) {
        if (!s.fixed) {
          cancel.appendChild(cz.el("option", { value: s.visit_id,
            text: czRunsheet.hhmm(s.start_at) + " " + (s.label || s.visit_id) + " (" + czRunsheet.carName(route.car_id) + ")" }));
        }
      });
    });
    // Which 01:00-01:59 the time now is: asked only on the night the clocks go back.
    document.getElementById("now-fold-group").hidden = czRunsheet.clockChange(plan) !== "back";
    drawRoutes(plan);
    history.replaceState(null, "", "/tonight?plan=" + plan.id);
    document.body.dataset.planReady = String(plan.id);
  }

  // A plan or re-plan takes 5-30 s: both buttons wait for it, so a second press cannot
  // ask again, and the progress shows next to the button that was pressed.
  function setBusy(on) {
    busy = on;
    [planButton, replanButton].forEach(function (b) {
      b.disabled = on;
      if (on) { b.setAttribute("aria-disabled", "true"); } else { b.removeAttribute("aria-disabled"); }
    });
  }

  function progress(line, text) {
    line.textContent = text;
    if (text) { line.scrollIntoView({ block: "nearest" }); }
  }

  // After a re-plan the form starts again: nothing added, ticked or cancelled twice.
  function clearReplanForm() {
    ["add-postcode", "add-label", "add-time"].forEach(function (id) { document.getElementById(id).value = ""; });
    document.getElementById("add-minutes").value = "20";
    document.getElementById("add-strict").checked = false;
    Array.prototype.forEach.call(document.querySelectorAll('input[name="now-fold"]'), function (r) { r.checked = false; });
  }

  // request: a function that starts the call; replan: the re-plan's body (null otherwise).
  async function run(request, busyText, replan) {
    var line = replan ? replanStatus : status;
    setBusy(true);
    status.textContent = "";
    replanStatus.textContent = "";
    progress(line, busyText);
    try {
      var plan = await request();
      await ensureMap();
      showPlan(plan);
      if (replan) {
        clearReplanForm();
        replanStatus.textContent = "Re-planned: plan " + plan.id + " is ready. What changed is shown above.";
        var heading = document.getElementById("changes-heading") || document.getElementById("plan-heading");
        heading.focus();
        heading.scrollIntoView({ block: "start" });
      } else {
        status.textContent = "Plan " + plan.id + " ready.";
      }
    } catch (err) {
      line.textContent = "";
      problems(errorProblems(err, replan));
    } finally {
      setBusy(false);
    }
  }

  document.getElementById("plan-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (busy) { return; }
    if (!dateInput.value) { problems([{ id: "night-date", message: "Enter the date the night starts" }]); return; }
    problems([]);
    var night = dateInput.value;
    run(function () { return cz.post("/v1/night-plans", { date: night }); },
      "Planning the night… This can take up to 30 seconds.", false);
  });

  document.getElementById("replan-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!current || busy) { return; }
    var now = document.getElementById("now").value.trim();
    var cancel = document.getElementById("cancel").value;
    var postcode = document.getElementById("add-postcode").value.trim();
    var time = document.getElementById("add-time").value.trim();
    var list = [];
    var nowSent = now;
    if (!CLOCK.test(now)) {
      list.push({ id: "now", message: "Enter the time now, like 01:00" });
    } else {
      now = padClock(now);
      nowSent = now;
      var instants = czRunsheet.instantsOf(current, now);
      if (instants && instants.length === 0) {
        list.push({ id: "now", message: skipped(now) });
      } else if (instants && instants.length > 1) {
        var fold = document.querySelector('input[name="now-fold"]:checked');
        if (!fold) {
          list.push({ id: "now-fold", message: "Choose whether " + now + " is the first time (BST) or the second time (GMT)" });
        } else {
          nowSent = instants[fold.value === "second" ? 1 : 0];
        }
      }
    }
    if (postcode && !CLOCK.test(time)) {
      list.push({ id: "add-time", message: "Enter the requested time, like 03:00" });
    } else if (postcode) {
      time = padClock(time);
      var asked = czRunsheet.instantsOf(current, time);
      if (asked && asked.length === 0) { list.push({ id: "add-time", message: skipped(time) }); }
    }
    if (!postcode && time) { list.push({ id: "add-postcode", message: "Enter the postcode of the added visit" }); }
    var minutes = document.getElementById("add-minutes").value.trim();
    if (postcode && !(/^\d{1,3}$/.test(minutes) && Number(minutes) >= 1 && Number(minutes) <= 240)) {
      list.push({ id: "add-minutes", message: "Enter minutes between 1 and 240" });
    }
    var anyDone = document.querySelector('input[name="done"]:checked');
    if (!cancel && !postcode && !anyDone) { list.push({ id: "cancel", message: "Tick a visit done, choose one to cancel, or add one" }); }
    if (list.length) { problems(list); return; }
    problems([]);
    var done = Array.prototype.map.call(document.querySelectorAll('input[name="done"]:checked'), function (i) { return i.value; });
    if (cancel && done.indexOf(cancel) >= 0) { problems([{ id: "cancel", message: "A visit cannot be both done and cancelled" }]); return; }
    var body = { now: nowSent, done: done, cancelled: cancel ? [cancel] : [], added: [] };
    if (postcode) {
      body.added.push({
        location: { postcode: postcode },
        label: document.getElementById("add-label").value.trim(),
        requested_time: time,
        duration_minutes: Number(minutes),
        strict: document.getElementById("add-strict").checked,
      });
    }
    var from = current.id;
    run(function () { return cz.post("/v1/night-plans/" + from + "/replan", body); },
      "Re-planning the rest of the night… This can take up to 30 seconds.", body);
  });

  var id = new URLSearchParams(window.location.search).get("plan");
  // A re-plan opened from its address: its parent gives the names of what changed
  // (a cancelled visit is only in the parent).
  async function load(planId) {
    var plan = await cz.get("/v1/night-plans/" + planId);
    if (plan.parent_id && plan.changes && plan.changes.length) {
      try { remember(await cz.get("/v1/night-plans/" + plan.parent_id)); } catch (e) { /* names fall back to ids */ }
    }
    return plan;
  }

  if (id && /^\d+$/.test(id)) { run(function () { return load(id); }, "Loading plan " + id + "…", false); }
  else { listPlans(); }
})();
