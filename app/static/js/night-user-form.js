// One form for a night service user, to add a person or to change one: who, postcode,
// and their visits (time, minutes, time-critical, nights, notes; add another, remove).
// A change is one PUT; what the form does not show (tolerance, priority, the referral,
// the gap between visits) is sent back as it was.
(function () {
  "use strict";
  var MAX_VISITS = 12; // the API's limit
  var TIME = /^([01]?\d|2[0-3]):[0-5]\d$/;
  var EVERY_NIGHT = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var DAY_NAMES = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday",
    sat: "Saturday", sun: "Sunday" };

  function blankVisit() {
    return { requested_time: "", duration_minutes: 20, strict: false, tolerance_minutes: 30,
      days: EVERY_NIGHT.slice(), priority: 1, notes: "" };
  }

  // A GOV.UK form group with the "<id>-group", "<id>-error" elements cz.setError needs.
  function field(id, label, input, hint, labelClass) {
    var parts = [cz.el("label", { class: "govuk-label " + (labelClass || ""), for: id, text: label })];
    if (hint) {
      parts.push(cz.el("div", { id: id + "-hint", class: "govuk-hint", text: hint }));
      input.setAttribute("aria-describedby", id + "-hint");
    }
    parts.push(cz.el("p", { id: id + "-error", class: "govuk-error-message", hidden: "" }), input);
    return cz.el("div", { class: "govuk-form-group", id: id + "-group" }, parts);
  }

  // The nights a visit happens, by the evening each starts. The first box carries the
  // group's id, so the error summary's link lands on it.
  function nightsGroup(id, days) {
    var boxes = EVERY_NIGHT.map(function (d, k) {
      var boxId = k === 0 ? id : id + "-" + d;
      var box = cz.el("input", { class: "govuk-checkboxes__input", id: boxId, type: "checkbox", value: d, "data-day": d });
      box.checked = days.indexOf(d) >= 0;
      return cz.el("div", { class: "govuk-checkboxes__item" }, [
        box, cz.el("label", { class: "govuk-label govuk-checkboxes__label", for: boxId, text: DAY_NAMES[d] }),
      ]);
    });
    return cz.el("div", { class: "govuk-form-group", id: id + "-group" }, [
      cz.el("fieldset", { class: "govuk-fieldset", "aria-describedby": id + "-hint" }, [
        cz.el("legend", { class: "govuk-fieldset__legend", text: "Nights" }),
        cz.el("div", { id: id + "-hint", class: "govuk-hint", text: "By the evening the night starts: Monday is Monday night into Tuesday" }),
        cz.el("p", { id: id + "-error", class: "govuk-error-message", hidden: "" }),
        cz.el("div", { class: "govuk-checkboxes govuk-checkboxes--small cz-nights" }, boxes),
      ]),
    ]);
  }

  function textInput(id, width, value, attrs) {
    return cz.el("input", Object.assign({ class: "govuk-input " + width, id: id, type: "text", value: value }, attrs || {}));
  }

  // options: holder (where the form goes), prefix (of every id: "add" or "edit"),
  // user (null to add a person), done(note) after a save or a cancel.
  function render(options) {
    var p = options.prefix;
    var user = options.user;
    var holder = options.holder;
    var visits = user ? user.visits.map(function (v) { return Object.assign({}, v); }) : [blankVisit()];
    var ids = [];
    var heading = cz.el("h2", { class: "govuk-heading-m", id: p + "-heading", tabindex: "-1",
      text: user ? "Change " + user.label : "Add a person" });
    var label = textInput(p + "-label", "govuk-input--width-20", user ? user.label : "", { autocomplete: "off" });
    var postcode = textInput(p + "-postcode", "govuk-input--width-10", user ? user.postcode || "" : "", { spellcheck: "false" });
    var place = !user || user.postcode ? "The night zone comes from the postcode" :
      "Now at " + user.lat + ", " + user.lon + ". Leave empty to keep that place";
    var list = cz.el("div");
    var more = cz.el("button", { type: "button", class: "govuk-button govuk-button--secondary", text: "Add another visit" });
    var save = cz.el("button", { type: "submit", class: "govuk-button", text: user ? "Save changes" : "Add the person" });
    var buttons = cz.el("div", { class: "govuk-button-group" }, [save]);
    var form = cz.el("form", { id: p + "-form", novalidate: "" }, [
      field(p + "-label", "Who (as the crew know them)", label, null, "govuk-label--s"),
      field(p + "-postcode", "Postcode", postcode, place, "govuk-label--s"),
      list, more, buttons,
    ]);

    // Copy what is typed into `visits`, so adding or removing a visit keeps it.
    function read() {
      visits.forEach(function (v, i) {
        v.requested_time = document.getElementById(p + "-time-" + i).value.trim();
        v.duration_minutes = document.getElementById(p + "-minutes-" + i).value.trim();
        v.strict = document.getElementById(p + "-strict-" + i).checked;
        v.notes = document.getElementById(p + "-notes-" + i).value;
        v.days = EVERY_NIGHT.filter(function (d) {
          return document.querySelector("#" + p + "-days-" + i + "-group [data-day=" + d + "]").checked;
        });
      });
    }

    function draw() {
      list.textContent = "";
      visits.forEach(function (v, i) {
        var n = i + 1;
        var id = function (name) { return p + "-" + name + "-" + i; };
        var strict = cz.el("input", { class: "govuk-checkboxes__input", id: id("strict"), type: "checkbox" });
        strict.checked = Boolean(v.strict);
        var parts = [
          cz.el("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--s", text: "Visit " + n }),
          cz.el("p", { class: "govuk-hint", text: "±" + v.tolerance_minutes + " minutes either side of the requested time" }),
          field(id("time"), "Requested time", textInput(id("time"), "govuk-input--width-5", v.requested_time, { inputmode: "numeric" }),
            "24-hour clock, between 22:00 and 07:00, for example 02:00"),
          field(id("minutes"), "Minutes", textInput(id("minutes"), "govuk-input--width-3", String(v.duration_minutes), { inputmode: "numeric" })),
          cz.el("div", { class: "govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-4" }, [
            cz.el("div", { class: "govuk-checkboxes__item" }, [
              strict, cz.el("label", { class: "govuk-label govuk-checkboxes__label", for: id("strict"), text: "Time-critical (medication)" }),
            ]),
          ]),
          nightsGroup(id("days"), v.days),
          field(id("notes"), "Notes for the crew", cz.el("textarea", { class: "govuk-textarea", id: id("notes"), rows: "2" }, [v.notes || ""])),
        ];
        if (visits.length > 1) {
          var drop = cz.el("button", { type: "button", class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-0", text: "Remove visit " + n });
          drop.addEventListener("click", function () {
            read();
            visits.splice(i, 1);
            draw();
            (document.getElementById(p + "-time-" + Math.min(i, visits.length - 1)) || more).focus();
          });
          parts.push(drop);
        }
        list.appendChild(cz.el("fieldset", { class: "govuk-fieldset cz-visit" }, parts));
      });
      more.hidden = visits.length >= MAX_VISITS;
      ids = [p + "-label", p + "-postcode"];
      visits.forEach(function (_, i) { ids.push(p + "-time-" + i, p + "-minutes-" + i, p + "-days-" + i, p + "-notes-" + i); });
    }

    function problems(found) {
      ids.forEach(function (id) { cz.setError(id, null); });
      found.forEach(function (f) { cz.setError(f.id, f.message); });
      cz.showSummary(found);
    }

    // An API field such as "body.visits.1.duration_minutes" -> the input that holds it.
    function inputFor(name) {
      var m = /^body\.visits\.(\d+)\.(\w+)/.exec(name);
      if (m && Number(m[1]) < visits.length) {
        var kind = { duration_minutes: "minutes", notes: "notes", days: "days" }[m[2]] || "time";
        return p + "-" + kind + "-" + m[1];
      }
      if (name.indexOf("body.visits") === 0) { return p + "-time-0"; }
      return name.indexOf("body.location") === 0 ? p + "-postcode" : p + "-label";
    }

    // The API's reason, in the words the rest of this form uses where the case is known.
    function plain(id, reason, status) {
      if (id === p + "-postcode") {
        if (status === 404) { return "We do not hold that postcode; check it"; }
        var outside = /got one (\d+) m outside/.exec(reason);
        if (outside) {
          return "This place is outside the council's area (" + cz.metres(Number(outside[1])) + " from its nearest ward); check the postcode";
        }
        if (/Expected a UK postcode/.test(reason)) { return "Enter a full postcode, like CV1 5FB"; }
      }
      if (/-time-\d+$/.test(id) && /between 22:00 and 07:00/.test(reason)) { return "Enter a time between 22:00 and 07:00, like 02:00"; }
      if (/-notes-\d+$/.test(id) && /at most/.test(reason)) { return "Shorten the notes to 2,000 characters or fewer"; }
      return reason;
    }

    function check() {
      var found = [];
      if (!label.value.trim()) { found.push({ id: p + "-label", message: "Enter who the crew will visit" }); }
      if ((!user || user.postcode) && !postcode.value.trim()) { found.push({ id: p + "-postcode", message: "Enter a postcode" }); }
      var many = visits.length > 1;
      visits.forEach(function (v, i) {
        var which = many ? "visit " + (i + 1) + "'s " : "the ";
        var minutes = Number(v.duration_minutes);
        if (!TIME.test(v.requested_time)) {
          found.push({ id: p + "-time-" + i, message: "Enter " + which + "requested time, like 02:00" });
        } else {
          var hour = Number(v.requested_time.split(":")[0]);
          if (hour >= 7 && hour < 22 && v.requested_time !== "07:00") {
            found.push({ id: p + "-time-" + i, message: "Enter " + which + "requested time between 22:00 and 07:00, like 02:00" });
          }
        }
        if ((v.notes || "").length > 2000) {
          found.push({ id: p + "-notes-" + i, message: "Shorten the notes to 2,000 characters or fewer" });
        }
        if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= 240)) {
          found.push({ id: p + "-minutes-" + i, message: "Enter " + which + "minutes, between 1 and 240" });
        }
        if (!v.days.length) {
          found.push({ id: p + "-days-" + i, message: "Choose at least one night for " + (many ? "visit " + (i + 1) : "the visit") });
        }
      });
      return found;
    }

    function body() {
      var where = postcode.value.trim() ? { postcode: postcode.value.trim() } : { lat: user.lat, lon: user.lon };
      var out = {
        label: label.value.trim(),
        location: where,
        visits: visits.map(function (v) {
          return {
            requested_time: v.requested_time, duration_minutes: Number(v.duration_minutes), strict: v.strict,
            tolerance_minutes: v.tolerance_minutes, days: v.days, priority: v.priority, notes: v.notes,
          };
        }),
      };
      if (user) {
        out.referral_id = user.referral_id;
        out.min_gap_minutes = user.min_gap_minutes;
      }
      return out;
    }

    function finish(note) {
      problems([]);
      delete holder.dataset.user;
      if (user) { holder.textContent = ""; } else { render(options); }
      options.done(note);
    }

    more.addEventListener("click", function () {
      read();
      visits.push(blankVisit());
      draw();
      document.getElementById(p + "-time-" + (visits.length - 1)).focus();
    });
    if (user) {
      var cancel = cz.el("button", { type: "button", class: "cz-link-button", text: "Cancel" });
      cancel.addEventListener("click", function () { finish(null); });
      buttons.appendChild(cancel);
    }
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      read();
      var found = check();
      if (found.length) { problems(found); return; }
      save.disabled = true;
      try {
        var saved = user ? await cz.put("/v1/night-users/" + user.id, body()) : await cz.post("/v1/night-users", body());
        finish(saved.label + (user ? " changed." : " added."));
      } catch (err) {
        save.disabled = false;
        var named = (err.fields || []).map(function (f) {
          var id = inputFor(f.field);
          return { id: id, message: plain(id, f.reason, err.status) };
        });
        problems(named.length ? named : [{ id: p + "-postcode", message: err.message }]);
      }
    });

    draw();
    if (user) { holder.dataset.user = String(user.id); }
    holder.replaceChildren(cz.el("section", { "aria-labelledby": p + "-heading" }, [heading, form]));
    return heading;
  }

  cz.nightUserForm = render;
})();
