// Night service users: the people the night cars visit, listed, added and changed
// (the form is night-user-form.js), added from a referral, and removed (removal asks
// once more first).
(function () {
  "use strict";
  var box = document.getElementById("users");
  var status = document.getElementById("users-status");
  var editor = document.getElementById("edit");

  function problems(list) {
    cz.setError("referral-id", null);
    list.forEach(function (p) { cz.setError(p.id, p.message); });
    cz.showSummary(list);
  }

  function cell(content) { return cz.el("td", { class: "govuk-table__cell" }, [content]); }

  // note: what just changed, said before the count (the count replaces the status).
  async function load(note) {
    var data = await cz.get("/v1/night-users");
    box.textContent = "";
    var count = data.items.length === 1 ? "1 person has" : data.items.length + " people have";
    status.textContent = (note ? note + " " : "") + count + " night visits.";
    if (!data.items.length) { return; }
    var body = cz.el("tbody", { class: "govuk-table__body" });
    data.items.forEach(function (u) {
      var visits = u.visits.map(function (v) {
        return v.requested_time + " (" + v.duration_minutes + " min" + (v.strict ? ", time-critical" : "") +
          (v.days.length < 7 ? ", nights starting " + v.days.join(", ") : "") + ")";
      }).join("; ");
      var removal = cz.el("div");
      var change = cz.el("button", { type: "button", class: "cz-link-button govuk-!-margin-bottom-2", "data-change": String(u.id), text: "Change" }, [
        cz.el("span", { class: "govuk-visually-hidden", text: " " + u.label }),
      ]);
      change.addEventListener("click", function () {
        cz.nightUserForm({ prefix: "edit", user: u, holder: editor, done: function (note) {
          var after = note ? load(note) : Promise.resolve();
          after.then(function () {
            var again = box.querySelector('[data-change="' + u.id + '"]');
            if (again) { again.focus(); }
          });
        } }).focus();
      });
      var action = cz.el("td", { class: "govuk-table__cell" }, [change, removal]);
      // Two steps, so one slip of the mouse does not take a person off tonight's round.
      function ask() {
        var remove = cz.el("button", { type: "button", class: "cz-link-button", text: "Remove" }, [
          cz.el("span", { class: "govuk-visually-hidden", text: " " + u.label }),
        ]);
        remove.addEventListener("click", confirm);
        removal.replaceChildren(remove);
        return remove;
      }
      function confirm() {
        var yes = cz.el("button", { type: "button", class: "govuk-button govuk-button--warning govuk-!-margin-bottom-1", text: "Yes, remove" }, [
          cz.el("span", { class: "govuk-visually-hidden", text: " " + u.label }),
        ]);
        var no = cz.el("button", { type: "button", class: "cz-link-button govuk-!-margin-left-3", text: "Keep" }, [
          cz.el("span", { class: "govuk-visually-hidden", text: " " + u.label }),
        ]);
        yes.addEventListener("click", async function () {
          yes.disabled = true;
          try {
            await cz.del("/v1/night-users/" + u.id);
            if (editor.dataset.user === String(u.id)) { editor.textContent = ""; delete editor.dataset.user; }
            await load(u.label + " removed.");
            // The row and its buttons are gone: keep the keyboard on the news, not the page top.
            status.setAttribute("tabindex", "-1");
            status.focus();
          } catch (err) {
            yes.disabled = false;
            status.textContent = u.label + " was not removed: " + err.message;
          }
        });
        no.addEventListener("click", function () { ask().focus(); });
        removal.replaceChildren(
          cz.el("p", { class: "govuk-body-s govuk-!-margin-bottom-1", text: "Remove " + u.label + " and all their visits?" }),
          yes, no);
        yes.focus();
      }
      ask();
      var who = cz.el("th", { scope: "row", class: "govuk-table__header", text: u.label });
      if (u.referral_id) {
        who.appendChild(cz.el("div", { class: "govuk-hint govuk-!-margin-0 govuk-!-font-weight-regular", text: "Referral " + u.referral_id }));
      }
      body.appendChild(cz.el("tr", { class: "govuk-table__row", "data-user": String(u.id) }, [
        who,
        cell(u.postcode || u.lat + ", " + u.lon), cell(u.night_zone), cell(visits), action,
      ]));
    });
    box.appendChild(cz.scrollRegion(cz.el("table", { class: "govuk-table", "data-testid": "users-table" }, [
      cz.el("caption", { class: "govuk-table__caption govuk-table__caption--m", text: "People and their visits" }),
      cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" },
        ["Person", "Place", "Night zone", "Visits", "Action"].map(function (h) {
          return cz.el("th", { scope: "col", class: "govuk-table__header", text: h });
        }))]),
      body,
    ]), "People and their visits"));
  }

  cz.nightUserForm({ prefix: "add", user: null, holder: document.getElementById("add"), done: load });

  document.getElementById("referral-form").addEventListener("submit", async function (ev) {
    ev.preventDefault();
    var text = document.getElementById("referral-id").value.trim();
    if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
      problems([{ id: "referral-id", message: "Enter the referral number, like 1234" }]);
      return;
    }
    // One request at a time: a double-click would add, then report "already added".
    var button = ev.target.querySelector('button[type="submit"]');
    if (button.disabled) { return; }
    button.disabled = true;
    try {
      var made = await cz.post("/v1/night-users/from-referral", { referral_id: Number(text) });
      problems([]);
      ev.target.reset();
      load(made.label + " added from referral " + text + ".");
    } catch (err) {
      var reason = (err.fields || []).map(function (f) { return f.reason; })[0] || err.message;
      var taken = /already night user (\d+)/.exec(reason);
      if (taken) { reason = "Referral " + text + " already has a night user (number " + taken[1] + ")"; }
      else if (/with night support/.test(reason)) {
        reason = "Referral " + text + " has no night support: add the person with the form above instead";
      } else if (err.status === 404) { reason = "There is no referral " + text + "; check the number"; }
      problems([{ id: "referral-id", message: reason }]);
    } finally {
      button.disabled = false;
    }
  });

  load().catch(function (err) { status.textContent = "The list could not load: " + err.message; });
})();
