// Upload with a dry run first: show what would change and the check result, then commit on request.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) {
    return;
  }
  var commitButton = document.getElementById("upload-commit");
  var output = document.getElementById("upload-result");

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) {
      node.className = className;
    }
    return node;
  }

  function send(dryRun) {
    var data = new FormData();
    var file = document.getElementById("upload-file").files[0];
    if (!file) {
      return Promise.resolve();
    }
    data.append("file", file);
    var name = document.getElementById("upload-name").value.trim();
    if (name) {
      data.append("name", name);
    }
    data.append("internal", document.getElementById("upload-internal").checked ? "true" : "false");
    data.append("dry_run", dryRun ? "true" : "false");
    var token = document.getElementById("upload-token").value;
    output.replaceChildren(text("p", dryRun ? "Prüfe …" : "Übernehme …"));
    return fetch("/api/sources", {
      method: "POST",
      body: data,
      headers: { Authorization: "Bearer " + token, Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      output.replaceChildren();
      if (!answer.ok) {
        output.appendChild(text("p", answer.body.detail || "Fehler", "error"));
        commitButton.disabled = true;
        return;
      }
      show(answer.body);
      commitButton.disabled = answer.body.committed;
    });
  }

  function show(plan) {
    output.appendChild(text("h3", plan.committed ? "Übernommen" : "Ergebnis der Prüfung (noch nichts gespeichert)"));
    var list = document.createElement("ul");
    plan.graphs.forEach(function (graph) {
      list.appendChild(text("li", graph.name + ": " + graph.status + " (" + graph.triples_before + " → " +
        graph.triples_after + " Tripel, +" + graph.added + " / −" + graph.removed + ")"));
    });
    if (!plan.graphs.length) {
      list.appendChild(text("li", "Keine Änderung."));
    }
    output.appendChild(list);
    output.appendChild(text("p", "Einträge neu: " + plan.entities_added.length + ", geändert: " +
      plan.entities_changed.length + ", entfernt: " + plan.entities_removed.length));
    var check = plan.validation;
    output.appendChild(text("p", "Prüfung danach: " + check.violations + " Fehler, " + check.warnings + " Hinweise.",
      check.conforms ? "" : "error"));
    var issues = document.createElement("ul");
    check.results_about_changed_entities.forEach(function (result) {
      issues.appendChild(text("li", (result.identifier || result.focus) + ": " + result.message));
    });
    output.appendChild(issues);
    plan.warnings.forEach(function (warning) { output.appendChild(text("p", "Hinweis: " + warning, "note")); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(true);
  });
  commitButton.addEventListener("click", function () {
    send(false);
  });
})();
