// Run sheets for a night plan: one section per car (crew), the same on screen and in print.
(function () {
  "use strict";
  // White text passes 4.5:1 on each; the hues differ in lightness too.
  var CAR_COLOURS = ["#1d70b8", "#912b88", "#00703c", "#b3261e", "#505a5f", "#0b0c0c"];

  // "car-1" reads as "Car 1"; any other id as "Car <id>".
  function carName(id) { return "Car " + String(id).replace(/^car[-_ ]?/i, ""); }
  function hhmm(iso) { return iso ? iso.slice(11, 16) : ""; }
  function minutes(s) { return Math.round(s / 60) + " min"; }
  function km(m) { return (m / 1000).toFixed(1) + " km"; }

  function cell(text, header) {
    return cz.el(header ? "th" : "td", header
      ? { scope: "col", class: "govuk-table__header", text: text }
      : { class: "govuk-table__cell", text: text });
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
      section.appendChild(cz.el("p", { class: "govuk-body", text: "Night of " + plan.date + ", 22:00 to 07:00. Plan " + plan.id + "." }));
    }
    var facts = "Leave " + (route.base_label || "base") + " at " + hhmm(route.depart_base_at) +
      ", back at " + hhmm(route.return_at) + ". " + route.stops.length + " visits, " +
      minutes(route.travel_s) + " driving (" + km(route.distance_m) + ")" +
      (route.crew_break ? ", break " + hhmm(route.crew_break.start_at) + "–" + hhmm(route.crew_break.end_at) : "") + ".";
    section.appendChild(cz.el("p", { class: "govuk-body", text: facts }));
    var table = cz.el("table", { class: "govuk-table cz-runsheet" });
    table.appendChild(cz.el("caption", { class: "govuk-table__caption govuk-visually-hidden", text: "Run sheet for " + carName(route.car_id) }));
    table.appendChild(cz.el("thead", { class: "govuk-table__head" }, [cz.el("tr", { class: "govuk-table__row" },
      ["No.", "Person", "Asked for", "Arrive", "Start", "Finish", "Drive", "After time asked", "Notes"].map(function (h) { return cell(h, true); }))]));
    var body = cz.el("tbody", { class: "govuk-table__body" });
    route.stops.forEach(function (s) {
      var notes = [];
      if (s.strict) { notes.push("Time-critical"); }
      if (s.beyond_tolerance_s > 0) { notes.push(minutes(s.beyond_tolerance_s) + " beyond the window"); }
      if (s.out_of_zone) { notes.push("Outside own zone (" + s.zone + ")"); }
      if (s.fixed) { notes.push("Done"); }
      if (s.notes) { notes.push(s.notes); }
      body.appendChild(cz.el("tr", { class: "govuk-table__row" }, [
        cell(String(s.order)), cell(s.label || s.visit_id), cell(hhmm(s.requested_at)), cell(hhmm(s.arrival_at)),
        cell(hhmm(s.start_at)), cell(hhmm(s.finish_at)), cell(minutes(s.leg_travel_s)),
        cell(s.lateness_s > 0 ? minutes(s.lateness_s) : "–"), cell(notes.join("; ")),
      ]));
      if (route.crew_break && route.crew_break.after_order === s.order) {
        body.appendChild(cz.el("tr", { class: "govuk-table__row" }, [
          cz.el("td", { class: "govuk-table__cell", colspan: "9",
            text: "Crew break " + hhmm(route.crew_break.start_at) + "–" + hhmm(route.crew_break.end_at) }),
        ]));
      }
    });
    table.appendChild(body);
    section.appendChild(table);
    return section;
  }

  function render(target, plan, opts) {
    opts = opts || {};
    target.textContent = "";
    plan.cars.forEach(function (route, i) { target.appendChild(crew(route, i, plan, opts)); });
  }

  window.czRunsheet = { render: render, carName: carName, colours: CAR_COLOURS, hhmm: hhmm, minutes: minutes, km: km };
})();
