// Referrals: find them by status, day zone, provider and the end of their six weeks.
// The filters live in the page's address (?status=started&zone=...&offset=50), so a
// link, a bookmark or the Back button shows the same list; the form only builds it.
(function () {
  "use strict";
  var form = document.getElementById("filter-form");
  var status = document.getElementById("referrals-status");
  var box = document.getElementById("referrals");
  var LIMIT = 50;
  var FIELDS = ["status", "zone", "provider", "ends_within_days"];
  var STATUSES = {
    accepted: { text: "Accepted", tag: "govuk-tag--blue" },
    started: { text: "Started", tag: "govuk-tag--green" },
    ended: { text: "Ended", tag: "govuk-tag--grey" },
  };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // "2026-07-01" -> "1 Jul 2026": the calendar date as given, whatever the browser's zone.
  function day(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] : "";
  }
  function nhsNumber(n) { return /^\d{10}$/.test(n) ? n.slice(0, 3) + " " + n.slice(3, 6) + " " + n.slice(6) : n; }
  function hours(h) { return String(Number(Number(h).toFixed(2))); }
  function whole(text, low, high) {
    var n = Number(text);
    return /^\d{1,7}$/.test(text) && n >= low && n <= high ? n : null;
  }

  // The filters in the page's address; limit and offset are kept in range quietly.
  function fromAddress() {
    var q = new URLSearchParams(window.location.search);
    var filters = {};
    FIELDS.forEach(function (name) { filters[name] = (q.get(name) || "").trim(); });
    var limit = whole(q.get("limit") || "", 1, 200);
    filters.limit = limit === null ? LIMIT : limit;
    var offset = whole(q.get("offset") || "", 0, 1000000);
    filters.offset = offset === null ? 0 : offset;
    return filters;
  }

  function address(filters, offset) {
    var q = new URLSearchParams();
    FIELDS.forEach(function (name) { if (filters[name]) { q.set(name, filters[name]); } });
    if (filters.limit !== LIMIT) { q.set("limit", String(filters.limit)); }
    if (offset > 0) { q.set("offset", String(offset)); }
    var text = q.toString();
    return "/referrals" + (text ? "?" + text : "");
  }

  // Day zones and their providers come from the council's own zones (GET /v1/zones).
  async function zonesAndProviders() {
    var collection = await cz.get("/v1/zones");
    var zones = [];
    var providers = [];
    var seen = {};
    collection.features.forEach(function (f) {
      var p = f.properties || {};
      if (p.kind !== "day_zone") { return; }
      zones.push(p.day_zone);
      if (p.day_provider && !seen[p.day_provider.id]) {
        seen[p.day_provider.id] = true;
        providers.push(p.day_provider);
      }
    });
    zones.sort();
    providers.sort(function (a, b) { return a.name.localeCompare(b.name); });
    return { zones: zones, providers: providers };
  }

  function addOption(select, value, text) {
    select.appendChild(cz.el("option", { value: value, text: text }));
  }

  function fillForm(filters, known) {
    var zone = document.getElementById("zone");
    var provider = document.getElementById("provider");
    (known ? known.zones : []).forEach(function (z) { addOption(zone, z, z); });
    (known ? known.providers : []).forEach(function (p) { addOption(provider, p.id, p.name); });
    if (!known) {
      // The list did not load: still show what the address asks for.
      if (filters.zone) { addOption(zone, filters.zone, filters.zone); }
      if (filters.provider) { addOption(provider, filters.provider, filters.provider); }
    }
    FIELDS.forEach(function (name) {
      var control = document.getElementById(name);
      control.value = filters[name];
      if (control.value !== filters[name]) { control.value = ""; } // not one of the options
    });
  }

  function problemsWith(filters, known) {
    var problems = [];
    if (filters.status && !STATUSES[filters.status]) {
      problems.push({ id: "status", message: "Select a status from the list" });
    }
    if (known && filters.zone && known.zones.indexOf(filters.zone) < 0) {
      problems.push({ id: "zone", message: "Select a day zone from the list: there is no zone " + filters.zone });
    }
    if (known && filters.provider && !known.providers.some(function (p) { return p.id === filters.provider; })) {
      problems.push({ id: "provider", message: "Select a provider from the list" });
    }
    if (filters.ends_within_days && whole(filters.ends_within_days, 0, 3650) === null) {
      problems.push({ id: "ends_within_days", message: "Enter the number of days as a whole number from 0 to 3650, like 7" });
    }
    return problems;
  }

  function showProblems(problems) {
    FIELDS.forEach(function (id) { cz.setError(id, null); });
    problems.forEach(function (p) { cz.setError(p.id, p.message); });
    cz.showSummary(problems);
  }

  function readForm() {
    var filters = fromAddress();
    FIELDS.forEach(function (name) { filters[name] = document.getElementById(name).value.trim(); });
    return filters;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var filters = readForm();
    var problems = problemsWith(filters, null);
    if (problems.length) { showProblems(problems); return; }
    window.location.assign(address(filters, 0)); // a new list starts at its first page
  });

  function head(text, numeric) {
    return cz.el("th", { scope: "col", class: "govuk-table__header" + (numeric ? " govuk-table__header--numeric" : ""), text: text });
  }
  function cell(children, numeric) {
    return cz.el("td", { class: "govuk-table__cell" + (numeric ? " govuk-table__cell--numeric" : "") }, children);
  }

  function row(r, today) {
    var state = STATUSES[r.status] || { text: r.status, tag: "govuk-tag--grey" };
    var end = [day(r.planned_end_date)];
    if (r.status !== "ended" && r.planned_end_date < today) {
      end.push(cz.el("br"), cz.el("strong", { class: "govuk-tag govuk-tag--red", text: "Past six weeks" }));
    }
    var zone = [r.day_zone];
    if (r.cross_zone) {
      zone.push(cz.el("span", { class: "govuk-body-s govuk-!-display-block govuk-!-margin-0", text: "home zone " + r.home_day_zone }));
    }
    return cz.el("tr", { class: "govuk-table__row", "data-referral": String(r.id) }, [
      cz.el("th", { scope: "row", class: "govuk-table__header" }, [
        cz.el("a", { class: "govuk-link", href: "/referrals/" + r.id, text: r.name }),
        cz.el("span", { class: "govuk-body-s govuk-!-display-block govuk-!-margin-0 govuk-!-font-weight-regular", text: "Referral " + r.id }),
      ]),
      cell([nhsNumber(r.nhs_number)]),
      cell([r.postcode || "Place on the map"]),
      cell(zone),
      cell([r.provider.name]),
      cell([cz.el("strong", { class: "govuk-tag " + state.tag, text: state.text })]),
      cell([day(r.start_date)]),
      cell(end),
      cell([hours(r.hours_per_week)], true),
    ]);
  }

  function pageLink(kind, href, label) {
    var title = kind === "prev" ? "Previous" : "Next";
    return cz.el("div", { class: "govuk-pagination__" + kind }, [
      cz.el("a", { class: "govuk-link govuk-pagination__link", href: href, rel: kind }, [
        cz.el("span", { class: "govuk-pagination__link-title" }, [title, cz.el("span", { class: "govuk-visually-hidden", text: " page" })]),
        cz.el("span", { class: "govuk-visually-hidden", text: ":" }),
        cz.el("span", { class: "govuk-pagination__link-label", text: label }),
      ]),
    ]);
  }

  function range(first, count, total) {
    return "Referrals " + (first + 1) + " to " + Math.min(first + count, total);
  }

  function show(data, filters) {
    box.textContent = "";
    var filtered = FIELDS.some(function (name) { return filters[name]; });
    if (data.total === 0) {
      status.textContent = filtered ? "No referrals match these filters." : "There are no referrals yet.";
      return;
    }
    if (!data.items.length) {
      status.textContent = "This page is past the last referral: " + data.total + (data.total === 1 ? " referral matches." : " referrals match.");
      box.appendChild(cz.el("p", { class: "govuk-body" }, [
        cz.el("a", { class: "govuk-link", href: address(filters, 0), text: "Go to the first page" }),
      ]));
      return;
    }
    var first = data.offset + 1;
    var last = data.offset + data.items.length;
    status.textContent = "Showing " + first + " to " + last + " of " + data.total + (data.total === 1 ? " referral" : " referrals");
    var today = cz.ukToday();
    var body = cz.el("tbody", { class: "govuk-table__body" }, data.items.map(function (r) { return row(r, today); }));
    box.appendChild(cz.scrollRegion(cz.el("table", { class: "govuk-table", "data-testid": "referrals-table" }, [
      cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "Referrals, oldest first" }),
      cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" }, [
        head("Name"), head("NHS number"), head("Postcode"), head("Day zone"), head("Provider"), head("Status"),
        head("Start"), head("Six weeks end"), head("Hours a week", true),
      ])]),
      body,
    ]), "Referrals, oldest first"));
    var links = [];
    if (data.offset > 0) {
      var before = Math.max(0, data.offset - data.limit);
      links.push(pageLink("prev", address(filters, before), range(before, data.limit, data.total)));
    }
    if (last < data.total) {
      links.push(pageLink("next", address(filters, last), range(last, data.limit, data.total)));
    }
    if (links.length) {
      box.appendChild(cz.el("nav", { class: "govuk-pagination govuk-pagination--block", "aria-label": "Pages of referrals" }, links));
    }
  }

  async function load() {
    var filters = fromAddress();
    var known = null;
    try {
      known = await zonesAndProviders();
    } catch (err) {
      status.textContent = "The list of zones could not load: " + err.message;
    }
    fillForm(filters, known);
    var problems = problemsWith(filters, known);
    if (problems.length) {
      showProblems(problems);
      status.textContent = "Correct the filters to see the referrals.";
      return;
    }
    var q = new URLSearchParams();
    FIELDS.forEach(function (name) { if (filters[name]) { q.set(name, filters[name]); } });
    q.set("limit", String(filters.limit));
    q.set("offset", String(filters.offset));
    status.textContent = "Loading…";
    try {
      show(await cz.get("/v1/referrals?" + q.toString()), filters);
    } catch (err) {
      box.textContent = "";
      status.textContent = "The referrals could not load: " + err.message;
    }
  }

  load().finally(function () { document.body.dataset.referralsReady = "true"; });
})();
