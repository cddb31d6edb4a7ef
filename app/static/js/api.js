// Same-origin calls to the service's JSON API, signed in by the session cookie.
// Writes carry the session's CSRF token, which the server checks for cookie callers.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var UNREACHABLE = "The service could not be reached. Check your connection and try again.";

  function ApiError(status, body) {
    var err = (body && body.error) || {};
    this.status = status;
    this.code = err.code || "error";
    this.message = err.message || "The service answered " + status + ".";
    this.fields = err.fields || [];
    this.detail = err.detail;
    this.body = body;
  }

  async function call(method, path, body, extraHeaders) {
    var headers = Object.assign({ Accept: "application/json" }, extraHeaders || {});
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (method !== "GET") {
      headers["X-CSRF-Token"] = csrf;
    }
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var response, text;
    try {
      response = await fetch(path, init);
      text = await response.text();
    } catch (e) {
      // fetch itself failed (offline, the server down): no answer to show, so say what
      // to do rather than the browser's "Failed to fetch".
      throw new ApiError(0, { error: { code: "unreachable", message: UNREACHABLE } });
    }
    var data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
    if (response.status === 401) {
      window.location.assign("/sign-in?next=" + encodeURIComponent(window.location.pathname + window.location.search));
    }
    if (!response.ok) {
      var failure = new ApiError(response.status, data);
      if (failure.code === "csrf_failed") {
        // The session changed under this page (signed in again in another tab).
        failure.message = "Your session has changed since this page was opened (signed in again in another tab?). Reload the page, then try again.";
      }
      throw failure;
    }
    return data;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "class") { node.className = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function showFieldError(groupId, inputId, message) {
    var group = document.getElementById(groupId);
    var input = document.getElementById(inputId);
    var error = document.getElementById(inputId + "-error");
    var hint = inputId + "-hint";
    if (message) {
      group.classList.add("govuk-form-group--error");
      input.classList.add("govuk-input--error");
      error.hidden = false;
      error.textContent = "";
      error.appendChild(el("span", { class: "govuk-visually-hidden", text: "Error: " }));
      error.appendChild(document.createTextNode(message));
      input.setAttribute("aria-describedby", hint + " " + inputId + "-error");
    } else {
      group.classList.remove("govuk-form-group--error");
      input.classList.remove("govuk-input--error");
      error.hidden = true;
      input.setAttribute("aria-describedby", hint);
    }
  }

  // A form field's error: its "<id>-group" and "<id>-error" elements; null clears it.
  function setError(id, message) {
    var group = document.getElementById(id + "-group");
    var input = document.getElementById(id);
    var error = document.getElementById(id + "-error");
    group.classList.toggle("govuk-form-group--error", Boolean(message));
    if (input.classList.contains("govuk-input")) { input.classList.toggle("govuk-input--error", Boolean(message)); }
    if (input.classList.contains("govuk-textarea")) { input.classList.toggle("govuk-textarea--error", Boolean(message)); }
    if (input.classList.contains("govuk-select")) { input.classList.toggle("govuk-select--error", Boolean(message)); }
    error.hidden = !message;
    error.textContent = "";
    if (message) {
      error.appendChild(el("span", { class: "govuk-visually-hidden", text: "Error: " }));
      error.appendChild(document.createTextNode(message));
    }
    // Screen readers read the error with the field (GOV.UK: hint id, then error id).
    var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (d) {
      return d && d !== id + "-error";
    });
    if (message) { described.push(id + "-error"); }
    if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); }
    else { input.removeAttribute("aria-describedby"); }
  }

  // The GOV.UK error summary: one link per problem, focused so screen readers hear it.
  function showSummary(problems) {
    var summary = document.getElementById("error-summary");
    var list = summary.querySelector("ul");
    list.textContent = "";
    problems.forEach(function (p) {
      list.appendChild(el("li", {}, [el("a", { href: "#" + p.id, text: p.message })]));
    });
    summary.hidden = problems.length === 0;
    if (problems.length) { summary.focus(); }
  }

  // A wide table in its own region that scrolls sideways, so a phone-width page does
  // not (GOV.UK: focusable, with a name, for keyboard and screen-reader users).
  function scrollRegion(table, label) {
    return el("div", { class: "cz-table-scroll", tabindex: "0", role: "region", "aria-label": label }, [table]);
  }

  // The UK date ("YYYY-MM-DD") and hour now, whatever the browser's time zone; the
  // browser's UTC date is yesterday's from midnight to 01:00 in summer.
  function ukNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    return { date: parts.year + "-" + parts.month + "-" + parts.day, hour: Number(parts.hour) };
  }
  function ukToday() { return ukNow().date; }

  function metres(m) {
    return m >= 1000 ? (m / 1000).toFixed(1) + " km" : Math.round(m) + " m";
  }

  window.cz = {
    get: function (path) { return call("GET", path); },
    post: function (path, body, headers) { return call("POST", path, body, headers); },
    put: function (path, body) { return call("PUT", path, body); },
    patch: function (path, body) { return call("PATCH", path, body); },
    del: function (path) { return call("DELETE", path); },
    el: el,
    showFieldError: showFieldError,
    setError: setError,
    showSummary: showSummary,
    metres: metres,
    scrollRegion: scrollRegion,
    ukNow: ukNow,
    ukToday: ukToday,
    ApiError: ApiError,
  };
})();
