// The query page (templates/sparql/query.html): runs the query in the page with fetch,
// shows the answer as a table whose IRIs link to their pages, offers every download
// format. Data are only ever set as text (textContent), never parsed as HTML.
(function () {
  "use strict";

  var form = document.getElementById("query-form");
  if (!form) return;
  var editor = document.getElementById("query");
  var menu = document.getElementById("example");
  var description = document.getElementById("example-description");
  var status = document.getElementById("query-status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var examples = JSON.parse(document.getElementById("query-examples").textContent);
  var formats = JSON.parse(document.getElementById("query-formats").textContent);
  var endpoint = form.getAttribute("action");
  var base = form.dataset.base;
  var root = form.dataset.root;
  var text = form.dataset;

  // With JavaScript the answer is shown in the page; the format menu is for no-script use.
  var noScriptFormat = form.querySelector(".no-script-format");
  if (noScriptFormat) noScriptFormat.hidden = true;

  // CodeMirror 5 (served from node_modules where make node-deps installed it) over the
  // textarea; without it the textarea is the editor. Either way, read and set the query
  // through these two functions.
  var codeMirror = null;
  if (window.CodeMirror) {
    codeMirror = window.CodeMirror.fromTextArea(editor, {
      mode: "application/sparql-query",
      lineNumbers: true,
      lineWrapping: false,
      indentUnit: 2,
      inputStyle: "contenteditable",
      extraKeys: {
        "Ctrl-Enter": function () { run(); },
        "Cmd-Enter": function () { run(); },
        // Tab moves the focus on, as in a textarea, so that keyboard users are not trapped.
        Tab: false,
        "Shift-Tab": false,
      },
    });
    codeMirror.getInputField().setAttribute(
      "aria-label", document.querySelector('label[for="query"]').textContent);
    document.querySelector('label[for="query"]').addEventListener("click", function () {
      codeMirror.focus();
    });
  }

  function queryText() {
    return codeMirror ? codeMirror.getValue() : editor.value;
  }

  function setQueryText(text) {
    if (codeMirror) codeMirror.setValue(text);
    else editor.value = text;
  }

  function exampleNamed(name) {
    for (var i = 0; i < examples.length; i++) {
      if (examples[i].name === name) return examples[i];
    }
    return null;
  }

  if (menu) {
    menu.addEventListener("change", function () {
      var example = exampleNamed(menu.value);
      if (!example) return;
      setQueryText(example.text);
      if (description) description.textContent = example.description;
    });
  }

  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });

  // The server-local page of an IRI under the base; other IRIs as they are if a browser
  // may follow them (http, https, ftp, mailto); null for any other (javascript:, data:,
  // vbscript: …), which is shown as text, never as a link.
  var LINKABLE = /^(https?|ftp|mailto):/i;
  function pageOf(iri) {
    if (base && iri.indexOf(base) === 0) return root + iri.slice(base.length);
    return LINKABLE.test(iri) ? iri : null;
  }

  function element(name, content, className) {
    var node = document.createElement(name);
    if (content !== undefined && content !== null) node.textContent = content;
    if (className) node.className = className;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) {
      td.className = "unbound";
      return td;
    }
    if (term.type === "uri") {
      var href = pageOf(term.value);
      if (href === null) {
        td.appendChild(element("code", term.value, "iri"));
      } else {
        var link = element("a", term.value);
        link.href = href;
        td.appendChild(link);
      }
    } else if (term.type === "bnode") {
      td.appendChild(element("code", "_:" + term.value));
    } else {
      td.appendChild(document.createTextNode(term.value));
      if (term["xml:lang"]) {
        td.appendChild(element("span", "@" + term["xml:lang"], "lang-tag"));
      } else if (term.datatype) {
        var short = term.datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:");
        td.appendChild(element("span", "^^" + short, "datatype"));
      }
    }
    return td;
  }

  function showSolutions(answer) {
    var variables = answer.head.vars || [];
    var rows = answer.results.bindings;
    var table = element("table", null, "results");
    var head = table.createTHead().insertRow();
    variables.forEach(function (name) {
      var th = element("th", name);
      th.scope = "col";
      head.appendChild(th);
    });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      variables.forEach(function (name) {
        tr.appendChild(cell(row[name]));
      });
    });
    results.appendChild(table);
    status.textContent = rows.length + " " + (rows.length === 1 ? text.textRow : text.textRows);
  }

  function showDownloads(query, kind) {
    clear(downloads);
    downloads.appendChild(document.createTextNode(text.textDownload + " "));
    formats[kind].forEach(function (format) {
      var link = element("a", format[1]);
      link.href = endpoint + "?" + new URLSearchParams({ query: query, format: format[0] });
      link.setAttribute("download", "");
      link.dataset.format = format[0];
      downloads.appendChild(link);
      downloads.appendChild(document.createTextNode(" "));
    });
    downloads.hidden = false;
  }

  function run() {
    var query = queryText();
    clear(results);
    downloads.hidden = true;
    status.className = "";
    status.textContent = text.textRunning;
    fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query: query }),
    })
      .then(function (response) {
        var type = (response.headers.get("Content-Type") || "").split(";")[0];
        return response.text().then(function (body) {
          return { ok: response.ok, type: type, body: body };
        });
      })
      .then(function (answer) {
        if (!answer.ok) {
          status.className = "error";
          status.textContent = text.textFailed + ": " + answer.body;
          return;
        }
        if (answer.type === "application/sparql-results+json") {
          var parsed = JSON.parse(answer.body);
          if (typeof parsed.boolean === "boolean") {
            status.textContent = parsed.boolean ? text.textTrue : text.textFalse;
          } else {
            showSolutions(parsed);
          }
          showDownloads(query, "results");
        } else {
          results.appendChild(element("pre", answer.body, "graph"));
          status.textContent = "";
          showDownloads(query, "graph");
        }
      })
      .catch(function (error) {
        status.className = "error";
        status.textContent = text.textFailed + ": " + error;
      });
  }
})();
