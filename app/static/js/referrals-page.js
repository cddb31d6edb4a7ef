// Referrals: find them by status, day zone, provider and the end of their six weeks.
// The filters live in the page's address (?status=started&zone=...&offset=50), so a
// link, a bookmark or the Back button shows the same list; the form only builds it.
// "Find a person" is different: an NHS number or a name is personal, so it is sent in
// the body of POST /v1/referrals/search and kept in this page's memory only, never in
// its address, its history state or the console.
(function () {
  "use strict";
  var form = document.getElementById("filter-form");
  var status = document.getElementById("referrals-status");
  var box = document.getElementById("referrals");
  var searchForm = document.getElementById("search-form");
  var searchBox = document.getElementById("search");
  var findButton = document.getElementById("search-button");
  var results = document.getElementById("search-results");
  var resultsHeading = document.getElementById("search-heading");
  var clearLink = document.getElementById("search-clear");
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
    FIELDS.concat(["search"]).forEach(function (id) { cz.setError(id, null); });
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

  // A page of a search: a button, since the search is not in the address.
  function pageButton(term, kind, offset, label) {
    var title = kind === "prev" ? "Previous" : "Next";
    var button = cz.el("button", { type: "button", class: "cz-link-button govuk-pagination__link" }, [
      cz.el("span", { class: "govuk-pagination__link-title" }, [title, cz.el("span", { class: "govuk-visually-hidden", text: " page" })]),
      cz.el("span", { class: "govuk-visually-hidden", text: ":" }),
      cz.el("span", { class: "govuk-pagination__link-label", text: label }),
    ]);
    button.addEventListener("click", function () { runSearch(term, offset); });
    return cz.el("div", { class: "govuk-pagination__" + kind }, [button]);
  }

  function range(first, count, total) {
    return "Referrals " + (first + 1) + " to " + Math.min(first + count, total);
  }

  function table(items) {
    var today = cz.ukToday();
    var body = cz.el("tbody", { class: "govuk-table__body" }, items.map(function (r) { return row(r, today); }));
    return cz.scrollRegion(cz.el("table", { class: "govuk-table", "data-testid": "referrals-table" }, [
      cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "Referrals, oldest first" }),
      cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" }, [
        head("Name"), head("NHS number"), head("Postcode"), head("Day zone"), head("Provider"), head("Status"),
        head("Start"), head("Six weeks end"), head("Hours a week", true),
      ])]),
      body,
    ]), "Referrals, oldest first");
  }

  // "Showing 1 to 50 of 120 referrals", the table, and Previous / Next made by link(kind, offset, label).
  function drawPage(data, link, pagesLabel, extraClass) {
    var first = data.offset + 1;
    var last = data.offset + data.items.length;
    status.textContent = "Showing " + first + " to " + last + " of " + data.total + (data.total === 1 ? " referral" : " referrals");
    box.appendChild(table(data.items));
    var links = [];
    if (data.offset > 0) {
      var before = Math.max(0, data.offset - data.limit);
      links.push(link("prev", before, range(before, data.limit, data.total)));
    }
    if (last < data.total) {
      links.push(link("next", last, range(last, data.limit, data.total)));
    }
    if (links.length) {
      box.appendChild(cz.el("nav", { class: "govuk-pagination govuk-pagination--block" + (extraClass || ""), "aria-label": pagesLabel }, links));
    }
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
    drawPage(data, function (kind, offset, label) {
      return pageLink(kind, address(filters, offset), label);
    }, "Pages of referrals");
    // Every referral the filters match, not only this page, for a spreadsheet.
    var csv = new URLSearchParams({ format: "csv" });
    FIELDS.forEach(function (name) { if (filters[name]) { csv.set(name, filters[name]); } });
    box.appendChild(cz.el("p", { class: "govuk-body" }, [cz.el("a", { class: "govuk-link", "data-testid": "referrals-csv",
      href: "/v1/referrals?" + csv.toString(),
      text: "Download " + (data.total === 1 ? "this referral" : (filtered ? "these " : "all ") + data.total + " referrals") + " as CSV" })]));
  }

  // Each answer drawn into the table belongs to the latest request (the list or a
  // search): an older one that arrives later is dropped, so a later search wins.
  var generation = 0;
  var filters = fromAddress();
  var known = null;
  var listProblems = [];
  var current = null; // the search shown or being made, if any: { body, says }; in memory only
  var listWaiting = false; // the list was not drawn because a search was under way

  async function showList() {
    var mine = ++generation;
    if (listProblems.length) {
      box.textContent = "";
      status.textContent = "Correct the filters to see the referrals.";
      return;
    }
    var q = new URLSearchParams();
    FIELDS.forEach(function (name) { if (filters[name]) { q.set(name, filters[name]); } });
    q.set("limit", String(filters.limit));
    q.set("offset", String(filters.offset));
    status.textContent = "Loading…";
    try {
      var data = await cz.get("/v1/referrals?" + q.toString());
      if (mine === generation) { show(data, filters); }
    } catch (err) {
      if (mine !== generation) { return; }
      box.textContent = "";
      status.textContent = "The referrals could not load: " + err.message;
    }
  }

  async function load() {
    try {
      known = await zonesAndProviders();
    } catch (err) {
      status.textContent = "The list of zones could not load: " + err.message;
    }
    fillForm(filters, known);
    listProblems = problemsWith(filters, known);
    if (current) { listWaiting = true; return; } // a search was made meanwhile: it holds the table
    if (listProblems.length) { showProblems(listProblems); }
    await showList();
  }

  // ---- Find a person ----

  var NO_TERM = "Enter an NHS number or at least 2 letters of a name";

  function spacedNhs(digits) { return digits.slice(0, 3) + " " + digits.slice(3, 6) + " " + digits.slice(6); }

  // What was typed: 10 digits (spaces and hyphens aside) is an NHS number, anything else a name.
  function termOf(typed) {
    var text = typed.trim();
    var digits = text.replace(/[\s-]/g, "");
    if (/^\d{10}$/.test(digits)) {
      return { body: { nhs_number: digits }, says: "NHS number " + spacedNhs(digits) };
    }
    if (text.length < 2) { return { problem: NO_TERM }; }
    if (/^[\d\s-]+$/.test(text)) {
      // Only digits, but not 10 of them: a mistyped NHS number, not a name.
      return { problem: "Enter an NHS number with 10 digits, for example 943 476 5919, or at least 2 letters of a name" };
    }
    if (text.length > 200) { return { problem: "Enter no more than 200 characters of the name" }; }
    return { body: { name: text }, says: "names containing '" + text + "'" };
  }

  // The API's refusal (422, error.fields[].field and reason) in staff words, on the box.
  function refusal(err) {
    var field = (err.fields[0] || {}).field || "";
    var reason = (err.fields[0] || {}).reason || "";
    if (field === "body.nhs_number") {
      if (/check digit/.test(reason)) {
        return "Enter a valid NHS number: check it against the referral (its last digit is a check digit)";
      }
      if (/repeated/.test(reason)) { return "Enter a valid NHS number: ten repeated digits is not an NHS number"; }
      return "Enter an NHS number with 10 digits, for example 943 476 5919";
    }
    if (field === "body.name") {
      return /at most/.test(reason) ? "Enter no more than 200 characters of the name" : "Enter at least 2 letters of the name";
    }
    if (field === "body") { return NO_TERM; }
    return "The search could not be made: " + err.message;
  }

  function busy(on) {
    findButton.disabled = on;
    findButton.setAttribute("aria-disabled", on ? "true" : "false");
  }

  function countOf(total) {
    if (total === 0) { return "No referrals for "; }
    return total + (total === 1 ? " referral for " : " referrals for ");
  }

  function showSearch(data, term) {
    box.textContent = "";
    results.hidden = false;
    resultsHeading.textContent = countOf(data.total) + term.says;
    if (data.total === 0) {
      status.textContent = "";
    } else if (!data.items.length) {
      status.textContent = "This page is past the last referral found.";
      var first = cz.el("button", { type: "button", class: "cz-link-button govuk-body", text: "Go to the first page" });
      first.addEventListener("click", function () { runSearch(term, 0); });
      box.appendChild(cz.el("p", { class: "govuk-body" }, [first]));
    } else {
      drawPage(data, function (kind, offset, label) {
        return pageButton(term, kind, offset, label);
      }, "Pages of the search results", " cz-search-pages");
    }
    resultsHeading.focus();
  }

  async function runSearch(term, offset) {
    var mine = ++generation;
    var before = status.textContent;
    var previous = current;
    current = term;
    busy(true);
    status.textContent = "Searching…";
    try {
      var body = Object.assign({ limit: filters.limit, offset: offset }, term.body);
      var data = await cz.post("/v1/referrals/search", body);
      if (mine !== generation) { return; }
      showProblems([]);
      showSearch(data, term);
    } catch (err) {
      if (mine !== generation) { return; }
      current = previous; // what the table shows still
      status.textContent = before;
      var message = err instanceof cz.ApiError && err.status === 422 ? refusal(err) : "The search could not be made: " + err.message;
      showProblems([{ id: "search", message: message }]);
      if (!current && listWaiting) { listWaiting = false; showList(); }
    } finally {
      if (mine === generation) { busy(false); }
    }
  }

  searchForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (findButton.disabled) { return; }
    var term = termOf(searchBox.value);
    if (term.problem) {
      showProblems([{ id: "search", message: term.problem }]);
      return;
    }
    runSearch(term, 0);
  });

  // Back to the filtered list, in place: the address has not changed.
  clearLink.addEventListener("click", function (ev) {
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) { return; }
    ev.preventDefault();
    current = null;
    listWaiting = false;
    results.hidden = true;
    resultsHeading.textContent = "";
    searchBox.value = "";
    busy(false);
    box.textContent = "";
    showProblems(listProblems);
    showList();
    if (!listProblems.length) { searchBox.focus(); }
  });

  clearLink.href = address(filters, filters.offset);
  load().finally(function () { document.body.dataset.referralsReady = "true"; });
})();
