// Night service users: the people the night cars visit, listed, added and removed.
(function () {
  "use strict";
  var box = document.getElementById("users");
  var status = document.getElementById("users-status");
  var FIELDS = { "body.label": "label", "body.location": "postcode", "body.location.postcode": "postcode",
    "body.visits.0.requested_time": "time", "body.visits.0.duration_minutes": "minutes" };
  var IDS = ["label", "postcode", "time", "minutes"];

  function setError(id, message) {
    var group = document.getElementById(id + "-group");
    var input = document.getElementById(id);
    var error = document.getElementById(id + "-error");
    group.classList.toggle("govuk-form-group--error", Boolean(message));
    input.classList.toggle("govuk-input--error", Boolean(message));
    error.hidden = !message;
    error.textContent = "";
    if (message) {
      error.appendChild(cz.el("span", { class: "govuk-visually-hidden", text: "Error: " }));
      error.appendChild(document.createTextNode(message));
    }
  }

  function problems(list) {
    IDS.forEach(function (id) { setError(id, null); });
    list.forEach(function (p) { setError(p.id, p.message); });
    cz.showSummary(list);
  }

  function cell(content) { return cz.el("td", { class: "govuk-table__cell" }, [content]); }

  async function load() {
    var data = await cz.get("/v1/night-users");
    box.textContent = "";
    status.textContent = data.items.length + " people have night visits.";
    if (!data.items.length) { return; }
    var body = cz.el("tbody", { class: "govuk-table__body" });
    data.items.forEach(function (u) {
      var visits = u.visits.map(function (v) {
        return v.requested_time + " (" + v.duration_minutes + " min" + (v.strict ? ", time-critical" : "") +
          (v.days.length < 7 ? ", nights starting " + v.days.join(", ") : "") + ")";
      }).join("; ");
      var remove = cz.el("button", { type: "button", class: "cz-link-button", text: "Remove" }, [
        cz.el("span", { class: "govuk-visually-hidden", text: " " + u.label }),
      ]);
      remove.addEventListener("click", async function () {
        await cz.del("/v1/night-users/" + u.id);
        status.textContent = u.label + " removed.";
        load();
      });
      body.appendChild(cz.el("tr", { class: "govuk-table__row", "data-user": String(u.id) }, [
        cz.el("th", { scope: "row", class: "govuk-table__header", text: u.label }),
        cell(u.postcode || u.lat + ", " + u.lon), cell(u.night_zone), cell(visits), cell(remove),
      ]));
    });
    box.appendChild(cz.el("table", { class: "govuk-table", "data-testid": "users-table" }, [
      cz.el("caption", { class: "govuk-table__caption govuk-table__caption--m", text: "People and their visits" }),
      cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" },
        ["Person", "Place", "Night zone", "Visits", "Action"].map(function (h) {
          return cz.el("th", { scope: "col", class: "govuk-table__header", text: h });
        }))]),
      body,
    ]));
  }

  document.getElementById("user-form").addEventListener("submit", async function (ev) {
    ev.preventDefault();
    var label = document.getElementById("label").value.trim();
    var postcode = document.getElementById("postcode").value.trim();
    var time = document.getElementById("time").value.trim();
    var minutes = Number(document.getElementById("minutes").value);
    var list = [];
    if (!label) { list.push({ id: "label", message: "Enter who the crew will visit" }); }
    if (!postcode) { list.push({ id: "postcode", message: "Enter a postcode" }); }
    if (!/^([01]?\d|2[0-3]):[0-5]\d$/.test(time)) { list.push({ id: "time", message: "Enter the requested time, like 02:00" }); }
    if (!(minutes >= 1 && minutes <= 240)) { list.push({ id: "minutes", message: "Enter minutes between 1 and 240" }); }
    if (list.length) { problems(list); return; }
    try {
      await cz.post("/v1/night-users", {
        label: label,
        location: { postcode: postcode },
        visits: [{ requested_time: time, duration_minutes: minutes, strict: document.getElementById("strict").checked }],
      });
      problems([]);
      ev.target.reset();
      status.textContent = label + " added.";
      load();
    } catch (err) {
      var found = (err.fields || []).map(function (f) {
        return { id: FIELDS[f.field] || (f.field.indexOf("visits") >= 0 ? "time" : "postcode"), message: f.reason };
      });
      problems(found.length ? found : [{ id: "postcode", message: err.message }]);
    }
  });

  load().catch(function (err) { status.textContent = "The list could not load: " + err.message; });
})();
