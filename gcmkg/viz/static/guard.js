/* Runs first on every gcmkg page: records (and blocks) any dialog or script error, so a test can prove that no
   text taken from a document ever ran as code. window.gcmkgStatus is published into #gcmkg-status as JSON. */
(function () {
  "use strict";
  var status = { stabilized: false, nodesDrawn: 0, nodesInData: 0, edgesInData: 0, alerts: 0, errors: 0, messages: [] };
  window.gcmkgStatus = status;
  function record(kind, what) {
    status[kind] += 1;
    status.messages.push(kind + ": " + String(what).slice(0, 200));
    window.gcmkgPublish && window.gcmkgPublish();
  }
  window.alert = function (m) { record("alerts", m); };
  window.confirm = function (m) { record("alerts", m); return false; };
  window.prompt = function (m) { record("alerts", m); return null; };
  window.addEventListener("error", function (e) { record("errors", e.message || (e.target && e.target.tagName) || "error"); }, true);
  window.gcmkgPublish = function () {
    var el = document.getElementById("gcmkg-status");
    if (el) { el.textContent = JSON.stringify(status); }
  };
  document.addEventListener("DOMContentLoaded", window.gcmkgPublish);
})();
