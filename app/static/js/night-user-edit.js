// Change a night service user: who, postcode, and their visits (add, change, remove).
// Saved with one PUT; what the form does not show (tolerance, nights, priority, the
// referral, the gap between visits) is sent back as it was.
(function () {
  "use strict";
  var MAX_VISITS = 12; // the API's limit
  var TIME = /^([01]?\d|2[0-3]):[0-5]\d$/;

  // A GOV.UK form group with the "<id>-group", "<id>-error" elements cz.setError needs.
  function field(id, label, input, hint) {
    var parts = [cz.el("label", { class: "govuk-label", for: id, text: label })];
    if (hint) {
      parts.push(cz.el("div", { id: id + "-hint", class: "govuk-hint", text: hint }));
      input.setAttribute("aria-describedby", id + "-hint");
    }
    parts.push(cz.el("p", { id: id + "-error", class: "govuk-error-message", hidden: "" }), input);
    return cz.el("div", { class: "govuk-form-group", id: id + "-group" }, parts);
  }

  function textInput(id, width, value, attrs) {
    return cz.el("input", Object.assign({ class: "govuk-input " + width, id: id, type: "text", value: value }, attrs || {}));
  }

  // holder: where the form goes; done(note): called after a save or a cancel.
  function open(user, holder, done) {
    var visits = user.visits.map(function (v) { return Object.assign({}, v); });
    var ids = [];
    var heading = cz.el("h2", { class: "govuk-heading-m", id: "edit-heading", tabindex: "-1", text: "Change " + user.label });
    var label = textInput("edit-label", "govuk-input--width-20", user.label, { autocomplete: "off" });
    var postcode = textInput("edit-postcode", "govuk-input--width-10", user.postcode || "", { spellcheck: "false" });
    var place = user.postcode ? "The night zone comes from the postcode" :
      "Now at " + user.lat + ", " + user.lon + ". Leave empty to keep that place";
    var list = cz.el("div", { id: "edit-visits" });
    var more = cz.el("button", { type: "button", class: "govuk-button govuk-button--secondary", text: "Add another visit" });
    var save = cz.el("button", { type: "submit", class: "govuk-button", text: "Save changes" });
    var cancel = cz.el("button", { type: "button", class: "cz-link-button", text: "Cancel" });
    var form = cz.el("form", { id: "edit-form", novalidate: "" }, [
      field("edit-label", "Who (as the crew know them)", label),
      field("edit-postcode", "Postcode", postcode, place),
      list, more,
      cz.el("div", { class: "govuk-button-group" }, [save, cancel]),
    ]);

    // Copy what is typed into `visits`, so adding or removing a visit keeps it.
    function read() {
      visits.forEach(function (v, i) {
        v.requested_time = document.getElementById("edit-time-" + i).value.trim();
        v.duration_minutes = document.getElementById("edit-minutes-" + i).value.trim();
        v.strict = document.getElementById("edit-strict-" + i).checked;
        v.notes = document.getElementById("edit-notes-" + i).value;
      });
    }

    function draw() {
      list.textContent = "";
      visits.forEach(function (v, i) {
        var n = i + 1;
        var strict = cz.el("input", { class: "govuk-checkboxes__input", id: "edit-strict-" + i, type: "checkbox" });
        strict.checked = Boolean(v.strict);
        var nights = v.days && v.days.length < 7 ? "Nights starting " + v.days.join(", ") + "; " : "Every night; ";
        var parts = [
          cz.el("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--s", text: "Visit " + n }),
          cz.el("p", { class: "govuk-hint", text: nights + "±" + v.tolerance_minutes + " minutes allowed" }),
          field("edit-time-" + i, "Requested time", textInput("edit-time-" + i, "govuk-input--width-5", v.requested_time, { inputmode: "numeric" }),
            "24-hour clock, between 22:00 and 07:00"),
          field("edit-minutes-" + i, "Minutes", textInput("edit-minutes-" + i, "govuk-input--width-3", String(v.duration_minutes), { inputmode: "numeric" })),
          cz.el("div", { class: "govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-4" }, [
            cz.el("div", { class: "govuk-checkboxes__item" }, [
              strict, cz.el("label", { class: "govuk-label govuk-checkboxes__label", for: "edit-strict-" + i, text: "Time-critical (medication)" }),
            ]),
          ]),
          field("edit-notes-" + i, "Notes for the crew", cz.el("textarea", { class: "govuk-textarea", id: "edit-notes-" + i, rows: "2" }, [v.notes || ""])),
        ];
        if (visits.length > 1) {
          var drop = cz.el("button", { type: "button", class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-0", text: "Remove visit " + n });
          drop.addEventListener("click", function () {
            read();
            visits.splice(i, 1);
            draw();
            (document.getElementById("edit-time-" + Math.min(i, visits.length - 1)) || more).focus();
          });
          parts.push(drop);
        }
        list.appendChild(cz.el("fieldset", { class: "govuk-fieldset cz-visit", "data-visit": String(i) }, parts));
      });
      more.hidden = visits.length >= MAX_VISITS;
      ids = ["edit-label", "edit-postcode"];
      visits.forEach(function (_, i) { ids.push("edit-time-" + i, "edit-minutes-" + i, "edit-notes-" + i); });
    }

    function problems(found) {
      ids.forEach(function (id) { cz.setError(id, null); });
      found.forEach(function (p) { cz.setError(p.id, p.message); });
      cz.showSummary(found);
    }

    // An API field such as "body.visits.1.duration_minutes" -> the input that holds it.
    function inputFor(name) {
      var m = /^body\.visits\.(\d+)\.(\w+)/.exec(name);
      if (m && Number(m[1]) < visits.length) {
        var kind = { duration_minutes: "minutes", notes: "notes" }[m[2]] || "time";
        return "edit-" + kind + "-" + m[1];
      }
      if (name.indexOf("body.visits") === 0) { return "edit-time-0"; }
      return name.indexOf("body.location") === 0 ? "edit-postcode" : "edit-label";
    }

    function check() {
      var found = [];
      if (!label.value.trim()) { found.push({ id: "edit-label", message: "Enter who the crew will visit" }); }
      if (user.postcode && !postcode.value.trim()) { found.push({ id: "edit-postcode", message: "Enter a postcode" }); }
      visits.forEach(function (v, i) {
        var minutes = Number(v.duration_minutes);
        if (!TIME.test(v.requested_time)) {
          found.push({ id: "edit-time-" + i, message: "Enter visit " + (i + 1) + "'s requested time, like 02:00" });
        }
        if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= 240)) {
          found.push({ id: "edit-minutes-" + i, message: "Enter visit " + (i + 1) + "'s minutes, between 1 and 240" });
        }
      });
      return found;
    }

    function body() {
      var where = postcode.value.trim() ? { postcode: postcode.value.trim() } : { lat: user.lat, lon: user.lon };
      return {
        label: label.value.trim(),
        referral_id: user.referral_id,
        location: where,
        min_gap_minutes: user.min_gap_minutes,
        visits: visits.map(function (v) {
          return {
            requested_time: v.requested_time, duration_minutes: Number(v.duration_minutes), strict: v.strict,
            tolerance_minutes: v.tolerance_minutes, days: v.days, priority: v.priority, notes: v.notes,
          };
        }),
      };
    }

    function close(note) {
      problems([]);
      holder.textContent = "";
      delete holder.dataset.user;
      done(note);
    }

    more.addEventListener("click", function () {
      read();
      visits.push({ requested_time: "", duration_minutes: 20, strict: false, tolerance_minutes: 30,
        days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], priority: 1, notes: "" });
      draw();
      document.getElementById("edit-time-" + (visits.length - 1)).focus();
    });
    cancel.addEventListener("click", function () { close(null); });
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      read();
      var found = check();
      if (found.length) { problems(found); return; }
      save.disabled = true;
      try {
        var saved = await cz.put("/v1/night-users/" + user.id, body());
        close(saved.label + " changed.");
      } catch (err) {
        save.disabled = false;
        var named = (err.fields || []).map(function (f) { return { id: inputFor(f.field), message: f.reason }; });
        problems(named.length ? named : [{ id: "edit-label", message: err.message }]);
      }
    });

    draw();
    holder.dataset.user = String(user.id);
    holder.replaceChildren(cz.el("section", { class: "cz-edit", "aria-labelledby": "edit-heading" }, [heading, form]));
    heading.focus();
  }

  window.czEditNightUser = open;
})();
