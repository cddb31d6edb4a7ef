// Run sheets for a night plan: one section per car (crew), the same on screen and in print.
(function () {
  "use strict";
  // White text passes 4.5:1 on each; the hues differ in lightness too.
  var CAR_COLOURS = ["#1d70b8", "#912b88", "#00703c", "#b3261e", "#505a5f", "#0b0c0c"];

  // "car-1" reads as "Car 1"; any other id as "Car <id>".
  function carName(id) { return "Car " + String(id).replace(/^car[-_ ]?/i, ""); }
  // Local clock times. The API gives each time as ISO 8601 with its UK offset
  // ("2026-10-25T01:59:00+01:00"); on the night the clocks go back 01:00-01:59
  // happens twice, so a time in that hour gets "BST" (the first) or "GMT" (the
  // second), as the server's run sheet and CSV do (app/night/exports.py clock()).
  var london = null;
  function londonWall(ms) {
    if (!london) {
      london = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hourCycle: "h23",
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    }
    var p = {};
    london.formatToParts(new Date(ms)).forEach(function (part) { p[part.type] = part.value; });
    return p.year + "-" + p.month + "-" + p.day + "T" + p.hour + ":" + p.minute;
  }
  // The UK offsets (minutes east of UTC) at which the wall time "YYYY-MM-DDTHH:MM"
  // happens in London: one normally, two in the repeated hour, none in the skipped one.
  // null when the browser has no time zone data (then nothing is marked).
  function offsetsAt(wall) {
    try {
      return [60, 0].filter(function (offset) {
        return londonWall(Date.parse(wall + ":00Z") - offset * 60000) === wall;
      });
    } catch (e) { return null; }
  }
  function offsetOf(iso) {
    var m = /([+-])(\d\d):(\d\d)$/.exec(iso);
    if (!m) { return /Z$/.test(iso) ? 0 : null; }
    return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }
  function zoneName(offset) { return offset === 60 ? "BST" : offset === 0 ? "GMT" : ""; }
  function hhmm(iso) {
    if (!iso) { return ""; }
    var text = iso.slice(11, 16);
    var offsets = offsetsAt(iso.slice(0, 16));
    if (offsets && offsets.length > 1 && zoneName(offsetOf(iso))) { text += " " + zoneName(offsetOf(iso)); }
    return text;
  }
  // The calendar date ("YYYY-MM-DD") a night clock time falls on: 22:00-23:59 on the
  // night's date, 00:00-07:00 on the next.
  function dayOf(plan, clock) {
    if (Number(clock.slice(0, 2)) >= 12) { return plan.date; }
    var d = new Date(plan.date + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }
  // A clock time typed for the plan's night ("01:30"): the ISO instants it can mean
  // (with the offset, first occurrence first), none when the clocks skip it.
  function instantsOf(plan, clock) {
    var wall = dayOf(plan, clock) + "T" + (clock.length === 4 ? "0" + clock : clock);
    var offsets = offsetsAt(wall);
    if (!offsets) { return null; }
    return offsets.map(function (offset) {
      return wall + ":00+0" + offset / 60 + ":00";
    });
  }
  // "back" (a 10-hour night), "forward" (8 hours) or "" (9).
  function clockChange(plan) {
    var hours = plan.night_duration_s / 3600;
    return hours > 9 ? "back" : hours < 9 ? "forward" : "";
  }
  function nightNote(plan) {
    var change = clockChange(plan);
    if (change === "back") {
      return "The clocks go back tonight: the night is " + plan.night_duration_s / 3600 + " hours long. " +
        "At 02:00 BST the clocks go back to 01:00 GMT, so times from 01:00 to 01:59 happen twice: " +
        "BST marks the first, GMT the second.";
    }
    if (change === "forward") {
      return "The clocks go forward tonight: the night is " + plan.night_duration_s / 3600 + " hours long. " +
        "At 01:00 GMT the clocks go forward to 02:00 BST, so times from 01:00 to 01:59 do not happen.";
    }
    return "";
  }
  function minutes(s) { return Math.round(s / 60) + " min"; }
  function km(m) { return (m / 1000).toFixed(1) + " km"; }

  // A table cell; "kind" names its column for the layout (cz-no, cz-person, cz-time,
  // cz-num, cz-notes in pages.css).
  function cell(text, header, kind) {
    var cls = (header ? "govuk-table__header" : "govuk-table__cell") + (kind ? " cz-" + kind : "");
    return cz.el(header ? "th" : "td", header ? { scope: "col", class: cls, text: text } : { class: cls, text: text });
  }
  // The table's head: the sheet's name in a first row for print only (hidden on screen,
  // where the heading above says it), which the printer repeats with the column headings
  // on every page a long sheet runs on to; then the columns. The columns' printed widths
  // are set on <col> elements (cz-col-KIND in print.css), since the first row is one cell.
  function sheetHead(table, name, columns) {
    table.appendChild(cz.el("colgroup", {}, columns.map(function (c) { return cz.el("col", { class: "cz-col-" + c[1] }); })));
    table.appendChild(cz.el("thead", { class: "govuk-table__head" }, [
      cz.el("tr", { class: "govuk-table__row cz-print-only" }, [
        cz.el("th", { scope: "colgroup", colspan: String(columns.length), class: "govuk-table__header cz-sheet-name", text: name }),
      ]),
      cz.el("tr", { class: "govuk-table__row" }, columns.map(function (c) { return cell(c[0], true, c[1]); })),
    ]));
  }
  var COLUMNS = [["No.", "no"], ["Person", "person"], ["Asked for", "time"], ["Arrive", "time"], ["Start", "time"],
    ["Finish", "time"], ["Drive", "num"], ["Late", "num"], ["Notes", "notes"]];

  // A wide table in its own region that scrolls sideways (and by keyboard: it is in
  // the tab order), so a narrow screen does not scroll the whole page.
  function scroller(table, label) {
    return cz.el("div", { class: "cz-table-scroll", tabindex: "0", role: "region", "aria-label": label }, [table]);
  }

  function crew(route, index, plan, opts) {
    var colour = CAR_COLOURS[index % CAR_COLOURS.length];
    var section = cz.el("section", { class: "cz-crew", "data-car": route.car_id,
      "aria-labelledby": "crew-" + index });
    var title = carName(route.car_id) + " – night zone " + route.zone + (route.provider ? " – " + route.provider : "");
    section.appendChild(cz.el("h2", { class: "govuk-heading-m", id: "crew-" + index }, [
      cz.el("span", { class: "cz-route-key", style: "background:" + colour, "aria-hidden": "true" }),
      title,
    ]));
    if (opts.print) {
      section.appendChild(cz.el("p", { class: "govuk-body", text: "Night of " + plan.date + ", " +
        hhmm(plan.night_start_at) + " to " + hhmm(plan.night_end_at) + " (" + plan.night_duration_s / 3600 + " hours). Plan " +
        plan.id + (plan.parent_id ? ", re-planned from plan " + plan.parent_id : "") + ". Travel times: " + plan.travel_note + "." }));
      if (nightNote(plan)) { section.appendChild(cz.el("p", { class: "govuk-body", text: nightNote(plan) })); }
    }
    var facts = "Leave " + (route.base_label || "base") + " at " + hhmm(route.depart_base_at) +
      ", back at " + hhmm(route.return_at) + ". " + route.stops.length + " visits, " +
      minutes(route.travel_s) + " driving (" + km(route.distance_m) + ")" +
      (route.crew_break ? ", break " + hhmm(route.crew_break.start_at) + "–" + hhmm(route.crew_break.end_at) : "") + ".";
    section.appendChild(cz.el("p", { class: "govuk-body", text: facts }));
    var table = cz.el("table", { class: "govuk-table cz-runsheet" });
    table.appendChild(cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "Run sheet for " + carName(route.car_id) }));
    sheetHead(table, carName(route.car_id) + " – night zone " + route.zone, COLUMNS);
    var body = cz.el("tbody", { class: "govuk-table__body" });
    route.stops.forEach(function (s) {
      var notes = [];
      if (s.strict) { notes.push("Time-critical"); }
      if (s.beyond_tolerance_s > 0) { notes.push(minutes(s.beyond_tolerance_s) + " beyond the window"); }
      if (s.out_of_zone) { notes.push("Outside own zone (" + s.zone + ")"); }
      if (offsetOf(s.start_at) !== offsetOf(s.finish_at)) {
        notes.push("The clocks go " + (offsetOf(s.finish_at) < offsetOf(s.start_at) ? "back" : "forward") + " during this visit");
      }
      if (s.fixed) { notes.push("Done"); }
      if (s.notes) { notes.push(s.notes); }
      body.appendChild(cz.el("tr", { class: "govuk-table__row" }, [
        cell(String(s.order), false, "no"), cell(s.label || s.visit_id, false, "person"), cell(hhmm(s.requested_at), false, "time"),
        cell(hhmm(s.arrival_at), false, "time"), cell(hhmm(s.start_at), false, "time"), cell(hhmm(s.finish_at), false, "time"),
        cell(minutes(s.leg_travel_s), false, "num"), cell(s.lateness_s > 0 ? minutes(s.lateness_s) : "–", false, "num"),
        cell(notes.join("; "), false, "notes"),
      ]));
      if (route.crew_break && route.crew_break.after_order === s.order) {
        body.appendChild(cz.el("tr", { class: "govuk-table__row" }, [
          cz.el("td", { class: "govuk-table__cell", colspan: "9",
            text: "Crew break " + hhmm(route.crew_break.start_at) + "–" + hhmm(route.crew_break.end_at) }),
        ]));
      }
    });
    table.appendChild(body);
    section.appendChild(scroller(table, "Run sheet for " + carName(route.car_id)));
    return section;
  }

  // The visits no car takes, with their reasons: printed last, on a page of their own.
  function unassigned(plan) {
    var section = cz.el("section", { class: "cz-unassigned", "aria-labelledby": "crew-unassigned" });
    section.appendChild(cz.el("h2", { class: "govuk-heading-m", id: "crew-unassigned",
      text: "Not assigned to any car (" + plan.unassigned.length + ")" }));
    section.appendChild(cz.el("p", { class: "govuk-body", text: "Night of " + plan.date + ". Plan " + plan.id +
      ". The coordinator decides what happens to these visits." }));
    var table = cz.el("table", { class: "govuk-table cz-runsheet" });
    table.appendChild(cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "Visits not assigned to any car" }));
    // The API's unassigned entries have no requested time yet; shown once they do.
    var asked = plan.unassigned.some(function (u) { return u.requested_at; });
    sheetHead(table, "Not assigned to any car", [["Person", "person"], ["Visit", "visit-id"]].concat(
      asked ? [["Asked for", "time"]] : [], [["Time-critical", "flag"], ["Reason", "notes"]]));
    var body = cz.el("tbody", { class: "govuk-table__body" });
    plan.unassigned.forEach(function (u) {
      body.appendChild(cz.el("tr", { class: "govuk-table__row" }, [
        cell(u.label || u.visit_id, false, "person"), cell(u.visit_id, false, "visit-id")].concat(
        asked ? [cell(hhmm(u.requested_at), false, "time")] : [],
        [cell(u.strict ? "Time-critical" : "–", false, "flag"), cell(u.reason, false, "notes")])));
    });
    table.appendChild(body);
    section.appendChild(scroller(table, "Visits not assigned to any car"));
    return section;
  }

  function render(target, plan, opts) {
    opts = opts || {};
    target.textContent = "";
    plan.cars.forEach(function (route, i) { target.appendChild(crew(route, i, plan, opts)); });
    if (opts.print && plan.unassigned && plan.unassigned.length) { target.appendChild(unassigned(plan)); }
  }

  window.czRunsheet = { render: render, carName: carName, colours: CAR_COLOURS, hhmm: hhmm, clock: hhmm,
    instantsOf: instantsOf, clockChange: clockChange, nightNote: nightNote, minutes: minutes, km: km };
})();
