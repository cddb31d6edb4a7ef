// Print view: the run sheets only, one page per crew, no map.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var id = params.get("plan");
  var status = document.getElementById("plan-status");
  var sheets = document.getElementById("runsheets");
  // The printed page: A4 landscape less the 8 mm margins the template's @page sets.
  var PAGE_WIDTH_MM = 297 - 16;
  var PAGE_HEIGHT_MM = 210 - 16 - 4; // 4 mm spare for rounding in the print layout
  var MIN_FIT = 0.75; // about 7 pt type: the smallest still readable by torchlight

  // Shrink each sheet that would not fit its page, measured under print.css at the
  // printed width. The print rules are switched on for the measurement only, and
  // back off before the browser paints. The fit is kept in --cz-fit, which only
  // print.css reads.
  function fitToPages() {
    var printCss = document.getElementById("print-css");
    var sections = Array.prototype.slice.call(sheets.querySelectorAll("section.cz-crew, section.cz-unassigned"));
    var pageHeight = PAGE_HEIGHT_MM * 96 / 25.4;
    printCss.media = "all";
    sheets.style.width = PAGE_WIDTH_MM + "mm";
    function fits(section, fit) {
      section.style.setProperty("--cz-fit", String(fit));
      return section.getBoundingClientRect().height <= pageHeight;
    }
    sections.forEach(function (section) {
      // The largest type that fits: smaller type also wraps less, so it is measured, not
      // assumed (a halving search between the floor, if even that does not fit, and 1).
      var fit = 1;
      if (!fits(section, 1)) {
        var low = MIN_FIT, high = 1;
        if (fits(section, low)) {
          for (var i = 0; i < 6; i++) {
            var mid = (low + high) / 2;
            if (fits(section, mid)) { low = mid; } else { high = mid; }
          }
        }
        fit = Math.floor(low * 1000) / 1000;
      }
      section.style.setProperty("--cz-fit", fit.toFixed(3));
      section.dataset.fit = fit.toFixed(3);
    });
    sheets.style.width = "";
    printCss.media = "print";
  }

  // print.css is a print stylesheet, which the browser loads without waiting for it: the
  // measurement waits for it (and for the fonts), or it would measure the screen's layout.
  function printRulesReady() {
    var printCss = document.getElementById("print-css");
    var loaded = printCss.sheet ? Promise.resolve() : new Promise(function (resolve) {
      printCss.addEventListener("load", resolve);
      printCss.addEventListener("error", resolve);
    });
    return Promise.all([loaded, document.fonts ? document.fonts.ready : null]);
  }

  document.getElementById("print-button").addEventListener("click", function () { window.print(); });
  if (!id || !/^\d+$/.test(id)) { status.textContent = "No plan chosen: plan the night first."; return; }
  document.getElementById("back-link").href = "/tonight?plan=" + id;
  Promise.all([cz.get("/v1/night-plans/" + id), printRulesReady()]).then(function (answers) {
    czRunsheet.render(sheets, answers[0], { print: true });
    fitToPages();
    window.addEventListener("beforeprint", fitToPages);
    document.body.dataset.planReady = "true";
  }).catch(function (err) { status.textContent = "The plan could not load: " + err.message; });
})();
