// The upload page: each chosen file is sent on its own (XMLHttpRequest, so its progress shows), then its
// job is polled until it is checked. Every text shown comes from the page (the catalogs) or the server's
// JSON and is set as text, never as markup. Without this script the form posts to /upload.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var input = document.getElementById("upload-files");
  var list = document.getElementById("upload-list");
  if (!form || !input || !list || !window.XMLHttpRequest || !window.FormData) { return; }
  var d = form.dataset;
  var POLL_MS = 1000;
  var RESULTS = { "new": d.tNew, "version": d.tVersion, "unchanged": d.tUnchanged };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function row(file) {
    var li = el("li", "upload-item");
    li.appendChild(el("span", "name", file.name));
    var bar = el("progress");
    bar.max = 100; bar.value = 0;
    li.appendChild(bar);
    var state = el("span", "state", d.tUploading);
    li.appendChild(state);
    list.appendChild(li);
    return { li: li, bar: bar, state: state };
  }

  function fail(item, message) {
    item.state.className = "state failed";
    item.state.textContent = message;
    item.li.setAttribute("data-status", "failed");
  }

  function message(xhr) {
    try { return JSON.parse(xhr.responseText).message || d.tFailed; } catch (e) { return d.tFailed; }
  }

  function poll(item, id) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/api/jobs/" + encodeURIComponent(id));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onload = function () {
      if (xhr.status !== 200) { fail(item, message(xhr)); return; }
      var job = JSON.parse(xhr.responseText);
      if (job.status === "failed") { fail(item, job.error || d.tJobFailed); return; }
      if (job.status === "done") {
        item.state.className = "state done";
        var result = RESULTS[job.result];
        item.state.textContent = d.tDone + (result ? "（" + result + "）" : "") + " ";
        item.li.setAttribute("data-status", "done");
        if (job.document_id) {
          var link = el("a", "open", d.tOpen);
          link.href = "/documents/" + encodeURIComponent(job.document_id);
          item.state.appendChild(link);
        }
        return;
      }
      item.state.textContent = job.status === "running" ? d.tChecking : d.tUploaded;
      window.setTimeout(function () { poll(item, id); }, POLL_MS);
    };
    xhr.onerror = function () { window.setTimeout(function () { poll(item, id); }, POLL_MS * 3); };
    xhr.send();
  }

  function send(file, item, next) {
    var body = new FormData();
    body.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/uploads");
    xhr.setRequestHeader("X-CSRF-Token", d.csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { item.bar.value = Math.round((e.loaded / e.total) * 100); }
    };
    xhr.onload = function () {
      if (xhr.status === 202) {
        item.bar.value = 100;
        item.state.textContent = d.tUploaded;
        var jobs = JSON.parse(xhr.responseText).jobs;
        if (jobs.length) { item.li.setAttribute("data-job", jobs[0].id); poll(item, jobs[0].id); }
      } else {
        fail(item, message(xhr));
      }
      next();
    };
    xhr.onerror = function () { fail(item, d.tNetwork); next(); };
    xhr.send(body);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { return; }
    if (files.length > Number(d.maxFiles)) {
      var item = row({ name: "" });
      fail(item, d.tTooMany);
      return;
    }
    var items = files.map(row);
    var i = 0;
    (function next() {
      if (i >= files.length) { input.value = ""; return; }
      var k = i++;
      send(files[k], items[k], next);
    })();
  });
})();
