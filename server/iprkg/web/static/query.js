// The query page (templates/sparql/query.html). The server renders the answer: "Run"
// sends the form by GET, so the address holds the link to the query (a page to share);
// a query too long for a link is POSTed with format=html instead. This script adds the
// CodeMirror editor (where make node-deps installed it) with completion of prefixes,
// classes and properties (/sparql/completions.json), the example menu, Ctrl+Enter, the
// "copy link" button and the mark at an error's position. Data are only ever set as text.
(function () {
  "use strict";

  var form = document.getElementById("query-form");
  if (!form) return;
  var editor = document.getElementById("query");
  var menu = document.getElementById("example");
  var description = document.getElementById("example-description");
  var status = document.getElementById("query-status");
  var copyButton = document.getElementById("copy-link");
  var examples = JSON.parse(document.getElementById("query-examples").textContent);
  var text = form.dataset;
  var english = text.lang === "en";
  var maxLink = parseInt(text.maxLink, 10) || 8000;

  // With JavaScript the answer is the page's table; the format menu is for no-script use.
  var noScriptFormat = form.querySelector(".no-script-format");
  if (noScriptFormat) {
    noScriptFormat.hidden = true;
    form.querySelector("#format").disabled = true;
  }

  var codeMirror = null;
  if (window.CodeMirror) {
    codeMirror = window.CodeMirror.fromTextArea(editor, {
      mode: "application/sparql-query",
      lineNumbers: true,
      lineWrapping: true,
      indentUnit: 2,
      inputStyle: "contenteditable",
      extraKeys: {
        "Ctrl-Enter": function () { run(); },
        "Cmd-Enter": function () { run(); },
        "Ctrl-Space": function (cm) { complete(cm); },
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
    codeMirror.on("inputRead", function (cm, change) {
      if (/[\w:]/.test(change.text.join(""))) complete(cm);
    });
  }

  function queryText() {
    return codeMirror ? codeMirror.getValue() : editor.value;
  }

  function setQueryText(value) {
    if (codeMirror) codeMirror.setValue(value);
    else editor.value = value;
  }

  // Completion: prefixes (with their PREFIX line), then classes and properties by
  // prefixed name, labelled in the page's language; fetched once, when first needed.
  var completions = null;
  function loadCompletions() {
    if (completions) return Promise.resolve(completions);
    return fetch(text.completions, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (list) { completions = list; return list; });
  }

  function complete(cm) {
    if (!cm.showHint) return;
    loadCompletions().then(function (list) {
      cm.showHint({ hint: function () { return hints(cm, list); }, completeSingle: false });
    }).catch(function () {});
  }

  function hints(cm, list) {
    var cursor = cm.getCursor();
    var line = cm.getLine(cursor.line);
    var start = cursor.ch;
    while (start > 0 && /[\w:.-]/.test(line.charAt(start - 1))) start--;
    var word = line.slice(start, cursor.ch);
    if (!word) return null;
    var lower = word.toLowerCase();
    var found = [];
    if (/^PREFIX\s+$/i.test(line.slice(0, start))) {
      list.prefixes.forEach(function (p) {
        if (p.prefix.indexOf(lower) === 0) {
          found.push({ text: p.prefix + ": <" + p.namespace + ">", displayText: p.prefix + ": " + p.namespace });
        }
      });
    } else {
      list.terms.forEach(function (term) {
        if (term.name.toLowerCase().indexOf(lower) === 0) {
          var label = term.label[english ? "en" : "nb"];
          found.push({ text: term.name, displayText: term.name + (label ? " — " + label : "") });
        }
      });
      if (word.indexOf(":") < 0) {
        list.prefixes.forEach(function (p) {
          if (p.prefix.indexOf(lower) === 0) found.push({ text: p.prefix + ":", displayText: p.prefix + ": " + p.namespace });
        });
      }
    }
    return {
      list: found.slice(0, 50),
      from: window.CodeMirror.Pos(cursor.line, start),
      to: window.CodeMirror.Pos(cursor.line, cursor.ch),
    };
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
      if (description) {
        description.textContent = english ? example.description_en : example.description_nb;
      }
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

  // The link to this query: the endpoint with the query (and the page's language).
  function linkTo(query) {
    var parameters = { query: query };
    if (english) parameters.lang = "en";
    return form.action + "?" + new URLSearchParams(parameters);
  }

  function linkFits(link) {
    var url = new URL(link);
    return new TextEncoder().encode(url.pathname + url.search).length <= maxLink;
  }

  function run() {
    if (codeMirror) codeMirror.save();
    var query = queryText();
    var link = linkTo(query);
    if (linkFits(link)) {
      window.location.assign(link);
      return;
    }
    // Too long for a link: the same page, POSTed.
    var post = document.createElement("form");
    post.method = "post";
    post.action = form.action + (english ? "?lang=en" : "");
    post.hidden = true;
    [["query", query], ["format", "html"]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      post.appendChild(input);
    });
    document.body.appendChild(post);
    post.submit();
  }

  if (copyButton) {
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      var link = linkTo(queryText());
      if (!linkFits(link)) {
        status.textContent = text.textTooLong;
        return;
      }
      var copied = navigator.clipboard ? navigator.clipboard.writeText(link) : Promise.reject();
      copied.then(function () {
        copyButton.dataset.link = link;
        status.textContent = text.textCopied;
      }, function () {
        window.history.replaceState(null, "", link);
        status.textContent = text.textCopyFailed;
      });
    });
  }

  // An error's position (line and column, from 1): marked in the editor, the cursor there.
  var line = parseInt(text.errorLine, 10);
  var column = parseInt(text.errorColumn, 10);
  if (line > 0 && column > 0) {
    if (codeMirror) {
      var at = window.CodeMirror.Pos(line - 1, column - 1);
      codeMirror.addLineClass(line - 1, "background", "query-error-line");
      codeMirror.markText(window.CodeMirror.Pos(line - 1, Math.max(column - 2, 0)), at,
        { className: "query-error-mark" });
      codeMirror.setCursor(at);
      codeMirror.focus();
    } else {
      var lines = editor.value.split("\n");
      var offset = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
      offset += column - 1;
      editor.focus();
      editor.setSelectionRange(Math.max(offset - 1, 0), offset);
    }
  }
})();
