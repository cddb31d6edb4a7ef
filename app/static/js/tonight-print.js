// Print view: the run sheets only, one page per crew, no map.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var id = params.get("plan");
  var status = document.getElementById("plan-status");
  document.getElementById("print-button").addEventListener("click", function () { window.print(); });
  if (!id || !/^\d+$/.test(id)) { status.textContent = "No plan chosen: plan the night first."; return; }
  document.getElementById("back-link").href = "/tonight?plan=" + id;
  cz.get("/v1/night-plans/" + id).then(function (plan) {
    czRunsheet.render(document.getElementById("runsheets"), plan, { print: true });
    document.body.dataset.planReady = "true";
  }).catch(function (err) { status.textContent = "The plan could not load: " + err.message; });
})();
