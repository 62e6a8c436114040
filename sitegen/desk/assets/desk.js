/* sitegen's newsroom desk: formatting buttons, checks and preview as you type, uploads.
   Plain script, no library: the form works without it (saving, publishing, translating). */
(function () {
  "use strict";
  var form = document.getElementById("release");
  if (!form) { return; }
  var body = document.getElementById("body");
  var csrf = form.querySelector("input[name=csrf]").value;
  var publish = document.getElementById("publish");
  var preview = document.getElementById("preview");

  /* --- the formatting toolbar --------------------------------------------------------- */
  function surround(before, after, placeholder) {
    var start = body.selectionStart, end = body.selectionEnd;
    var chosen = body.value.slice(start, end) || placeholder;
    body.setRangeText(before + chosen + after, start, end, "end");
    body.setSelectionRange(start + before.length, start + before.length + chosen.length);
  }
  function prefixLines(mark) {
    var start = body.value.lastIndexOf("\n", body.selectionStart - 1) + 1;
    var end = body.selectionEnd;
    var lines = body.value.slice(start, end).split("\n").map(function (line) { return mark + line; });
    body.setRangeText(lines.join("\n"), start, end, "end");
  }
  var samples = document.querySelector(".toolbar").dataset;
  var actions = {
    bold: function () { surround("**", "**", samples.text); },
    italic: function () { surround("_", "_", samples.text); },
    heading: function () { prefixLines("## "); },
    link: function () { surround("[", "](https://)", samples.link); },
    list: function () { prefixLines("- "); },
    quote: function () { prefixLines("> "); },
    image: function () {
      var src = document.getElementById("image").value || "/images/foto.jpg";
      surround("![", "](" + src + ")", document.getElementById("image_alt").value || samples.alt);
    }
  };
  // A toolbar is one stop for Tab; the arrow keys move between its buttons (the ARIA pattern).
  var tools = Array.prototype.slice.call(document.querySelectorAll("[data-md]"));
  tools.forEach(function (button, index) {
    button.tabIndex = index === 0 ? 0 : -1;
    button.addEventListener("keydown", function (event) {
      var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
      var to = event.key === "Home" ? 0 : event.key === "End" ? tools.length - 1
        : step ? (index + step + tools.length) % tools.length : null;
      if (to === null) { return; }
      event.preventDefault();
      button.tabIndex = -1;
      tools[to].tabIndex = 0;
      tools[to].focus();
    });
  });
  document.querySelectorAll("[data-md]").forEach(function (button) {
    button.addEventListener("click", function () {
      actions[button.dataset.md]();
      body.focus();
      changed();
    });
  });

  /* --- the Save bar ----------------------------------------------------------------------- */
  /* It sticks to the window's bottom. desk.css's scroll-padding keeps a field that Tab reaches
     above it, but Chromium brings a text box only as far as its caret: the rest of the box is
     brought up too (as far as its top stays in view). Not after a click: the page must not
     move under the pointer (a selection being dragged). */
  var bar = form.querySelector(".actions"), pointing = false;
  form.addEventListener("pointerdown", function () { pointing = true; });
  document.addEventListener("keydown", function () { pointing = false; });
  form.addEventListener("focusin", function (event) {
    if (pointing || bar.contains(event.target)) { return; }
    var box = event.target.getBoundingClientRect(), under = box.bottom - bar.getBoundingClientRect().top;
    if (under > 0) { window.scrollBy(0, Math.ceil(Math.min(under, box.top))); }
  });

  /* --- tags ------------------------------------------------------------------------------ */
  var tagInput = document.getElementById("tag_new");
  var chips = document.getElementById("tag-chips");
  function addTags() {
    tagInput.value.split(",").map(function (t) { return t.trim(); }).filter(Boolean).forEach(function (tag) {
      var exists = Array.prototype.some.call(chips.querySelectorAll("input"), function (i) { return i.value === tag; });
      if (exists) { return; }
      var id = "tag-new-" + chips.children.length + "-" + Date.now();
      var li = document.createElement("li");
      var box = document.createElement("input");
      box.type = "checkbox"; box.name = "tag"; box.value = tag; box.id = id; box.checked = true;
      var label = document.createElement("label");
      label.htmlFor = id; label.textContent = tag;
      li.append(box, label);
      chips.appendChild(li);
    });
    tagInput.value = "";
    changed();
  }
  document.getElementById("tag-add").addEventListener("click", addTags);
  tagInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); addTags(); }
  });

  /* --- a new release's language: the suggestions and the contact of that language --------- */
  var byLanguage = document.getElementById("by-language");
  var language = document.getElementById("lang");
  if (byLanguage && language) {
    var offered = JSON.parse(byLanguage.textContent);
    var fill = function (listId, values) {
      var list = document.getElementById(listId);
      if (!list) { return; }
      list.replaceChildren.apply(list, values.map(function (value) {
        var option = document.createElement("option");
        option.value = value;
        return option;
      }));
    };
    var applyLanguage = function () {
      var chosen = offered[language.value];
      if (!chosen) { return; }
      fill("categories", chosen.categories); fill("units", chosen.units);
      fill("locations", chosen.locations); fill("tag-list", chosen.tags);
      ["contact_name", "contact_phone", "contact_email"].forEach(function (id, i) {
        var input = document.getElementById(id);
        if (input) { input.placeholder = chosen.contact[i] || ""; }
      });
      var hint = document.getElementById("hint-contact");
      if (hint) { hint.textContent = chosen.contact_hint; }
    };
    language.addEventListener("change", applyLanguage);
    /* Back to the form: the browser puts the language chosen before back in the menu. */
    window.addEventListener("pageshow", applyLanguage);
  }

  /* --- checks and preview as you type ------------------------------------------------------ */
  var timer = null, running = null;
  /* A box whose problems are the same as before is left as it is: the box above the form is in
     a live region, and one made again would be read out again at every check. */
  function said(box) {
    return Array.prototype.map.call(box.children, function (span) { return span.className + "\n" + span.textContent; });
  }
  function show(findings, errors) {
    var wanted = {};  // a box's id: its spans, each "severity\ntext"
    form.querySelectorAll(".field-problem").forEach(function (box) {
      if (!/^err-(photo_file|attachment_file|gallery_file)$/.test(box.id)) { wanted[box.id] = []; }
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    findings.forEach(function (f) {
      var box = document.getElementById("err-" + f.field) || document.getElementById("err-");
      // text, never HTML: messages quote what was typed
      (wanted[box.id] = wanted[box.id] || said(box)).push(f.severity + "\n" + f.text + " ");
      // a field of its own, else (the gallery's, the attachments') the text fields of its list
      var input = document.getElementById(f.input || f.field);
      var inputs = input ? [input] : form.querySelectorAll('fieldset[data-field="' + f.field + '"] li input:not([type])');
      if (f.severity === "error") { inputs.forEach(function (el) { el.setAttribute("aria-invalid", "true"); }); }
    });
    Object.keys(wanted).forEach(function (id) {
      var box = document.getElementById(id);
      if (said(box).join("\0") === wanted[id].join("\0")) { return; }
      box.replaceChildren.apply(box, wanted[id].map(function (item) {
        var span = document.createElement("span"), cut = item.indexOf("\n");
        span.className = item.slice(0, cut);
        span.textContent = item.slice(cut + 1);
        return span;
      }));
    });
    var summary = document.getElementById("summary-of-problems");
    var general = document.getElementById("err-");
    var line = summary.querySelector("p.problem");
    if (errors) {
      if (!line) { line = document.createElement("p"); line.className = "problem"; summary.insertBefore(line, general); }
      line.textContent = form.dataset.problems.replace("{n}", errors);
    } else if (line) { line.remove(); }
    publish.disabled = errors > 0;
    if (errors > 0) { publish.setAttribute("aria-disabled", "true"); } else { publish.removeAttribute("aria-disabled"); }
  }
  /* "Keep as it is" (sitegen.desk.keep): a box shows while its field has texts still as in the
     source; its value is those texts, as JSON pairs [text, source's text]. Ticked, it holds while
     each of them is one it was ticked for: another one (the field or the source changed) is
     asked about again, so the box comes unticked. */
  function pairs(value) {
    try { return JSON.parse(value || "[]").map(function (pair) { return JSON.stringify(pair); }); }
    catch (e) { return []; }
  }
  function keeps(alike) {
    form.querySelectorAll("input[data-keep]").forEach(function (box) {
      var now = alike[box.dataset.keep] || "", kept = pairs(box.value);
      if (!now || !pairs(now).every(function (pair) { return kept.indexOf(pair) >= 0; })) { box.checked = false; }
      if (!box.checked) { box.value = now; }
      box.parentNode.hidden = !now;
    });
  }
  /* A release over the desk's size limit is never sent: Save would be refused, and the page
     left. Measured as the browser sends the form (line ends as CR LF), with room for the button. */
  var saveProblem = document.getElementById("save-problem");
  function sentSize() {
    var sent = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      sent.append(name, typeof value === "string" ? value.replace(/\r\n|\r|\n/g, "\r\n") : "");
    });
    return sent.toString().length + 16;
  }
  function tooLong() {
    if (sentSize() <= Number(form.dataset.formMax)) { return false; }
    show([{field: "body", severity: "error", text: form.dataset.tooLong}], 1);
    return true;
  }
  form.addEventListener("submit", function (event) {
    if (!tooLong()) { return; }
    event.preventDefault();
    clearTimeout(timer);
    saveProblem.textContent = form.dataset.tooLong + " " + form.dataset.notSent;
    saveProblem.hidden = false;
  });
  /* A date or time the browser cannot read (31 February; one half typed) reaches the desk as an
     empty field: it would say "a time but no date" and save the time alone as the date, or
     drop an embargo, which then lifts at once. The page says what is wrong beside the field,
     in place of what the desk says of it, and does not send the form. */
  var moments = form.querySelectorAll("input[type=date], input[type=time]");
  function unreadable() {
    return Array.prototype.filter.call(moments, function (input) { return input.validity.badInput; })
      .map(function (input) {
        return {field: input.closest("[data-field]").dataset.field, input: input.id, severity: "error",
                text: input.type === "date" ? form.dataset.notADate : form.dataset.notATime};
      });
  }
  function showResult(findings, errors) {
    var bad = unreadable(), fields = bad.map(function (f) { return f.field; });
    var instead = findings.filter(function (f) { return fields.indexOf(f.field) >= 0; });
    show(findings.filter(function (f) { return fields.indexOf(f.field) < 0; }).concat(bad),
         errors + bad.length - instead.filter(function (f) { return f.severity === "error"; }).length);
  }
  // A half typed one changes no value, so sends no "input": it is checked when left.
  Array.prototype.forEach.call(moments, function (input) {
    input.addEventListener("blur", function () { if (input.validity.badInput) { changed(); } });
  });
  form.addEventListener("submit", function (event) {
    var bad = unreadable();
    if (event.defaultPrevented || !bad.length) { return; }
    event.preventDefault();
    clearTimeout(timer);
    check();
    var input = document.getElementById(bad[0].input);
    saveProblem.textContent = form.querySelector("label[for=" + input.id + "]").textContent + ": " + bad[0].text +
      ". " + form.dataset.notSent;
    saveProblem.hidden = false;
    input.focus();
  });
  function check() {
    if (running) { running.abort(); }
    if (tooLong()) { running = null; return; }  // not sent to be checked either: said beside the text
    running = new AbortController();
    var data = new URLSearchParams(new FormData(form));
    fetch(form.dataset.check, {method: "POST", body: data, signal: running.signal,
                               headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"})
      .then(function (r) { return r.json().catch(function () { return null; }); })
      .then(function (result) {
        if (!result) { return; }
        if (result.error) {  // the page expired (serve restarted): say so where problems are listed
          document.getElementById("err-").textContent = result.error;
          return;
        }
        showResult(result.findings, result.errors);
        keeps(result.alike || {});
        if (result.preview) { preview.srcdoc = result.preview; }
        form.dataset.checked = String(Number(form.dataset.checked || 0) + 1);
      })
      .catch(function () {});
  }
  /* Why the last Save was not sent is said until the form changes, not until the next check:
     the check that choosing a file set off can come back after that file's refusal. */
  function changed() {
    saveProblem.hidden = true;
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  /* The problems the desk rendered are those of the values it rendered. A form shown with
     others (typed before this script came; put back by the browser on Back, or kept in its
     back/forward cache) is checked at once, with no keystroke, so the marks say what it holds.
     At "pageshow", not now: Chromium puts a form's values back after this deferred script has
     run (after DOMContentLoaded), and before that event, which a restore from the cache fires again. */
  function edited() {
    return Array.prototype.some.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
      if (el.options) {  // a list with no option marked selected shows its first
        var shown = Array.prototype.findIndex.call(el.options, function (o) { return o.defaultSelected; });
        return el.selectedIndex !== Math.max(shown, 0);
      }
      if (el.type === "file") { return el.files.length > 0; }  // chosen, not uploaded yet
      return "defaultValue" in el && el.value !== el.defaultValue;
    });
  }
  var sending = false;  // the form is on its way (see "leaving with unsaved changes" below)
  window.addEventListener("pageshow", function () {
    sending = false;  // shown again from the back/forward cache: what was sent has gone
    if (edited()) { clearTimeout(timer); check(); }
  });

  /* A live release's note that saving it as a draft takes it off the site shows while Draft is
     ticked (desk.css); it appears under the box, so it is brought into view above the Save bar. */
  var offTheSite = document.getElementById("draft-live");
  document.getElementById("draft").addEventListener("change", function (event) {
    if (offTheSite && event.target.checked) { offTheSite.scrollIntoView({block: "nearest"}); }
  });

  /* --- leaving with unsaved changes ----------------------------------------------------------- */
  /* A reload, a link or closing the tab would drop what was typed: the browser asks first (in
     its own words). Never for this form's Save and Publish, which take the text along, nor on
     the page a save shows, whose fields are what was saved. A form the desk sent back unsaved
     (a conflict, a refused publication, an expired page: data-unsaved) counts as changed. */
  window.addEventListener("beforeunload", function (event) {
    if (sending || !("unsaved" in form.dataset || edited())) { return; }
    event.preventDefault();
    event.returnValue = "";  // what older browsers need to ask
  });

  /* --- uploads ---------------------------------------------------------------------------------- */
  function field(name, id, value, labelText) {
    var label = document.createElement("label");
    label.htmlFor = id; label.textContent = labelText;
    var input = document.createElement("input");
    input.name = name; input.id = id; input.value = value || "";
    return [label, input];
  }
  function row(listId, pathName, url) {
    var li = document.createElement("li");
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = pathName; hidden.value = url;
    var code = document.createElement("code");
    code.textContent = url;
    li.append(hidden, code);
    document.getElementById(listId).appendChild(li);
    return li;
  }
  var uploads = {
    photo: {input: "photo_file", problem: "err-photo_file", alt: "image_alt", credit: "image_credit",
            done: function (url) { document.getElementById("image").value = url; }},
    gallery: {input: "gallery_file", problem: "err-gallery_file", alt: "gallery_alt_new", credit: "gallery_credit_new",
              done: function (url) {
                var n = Date.now(), labels = document.querySelector("[data-labels]").dataset.labels.split("|");
                var li = row("gallery-list", "gallery_path", url);
                li.append.apply(li, field("gallery_alt", "gal-alt-" + n, document.getElementById("gallery_alt_new").value, labels[0]));
                li.append.apply(li, field("gallery_caption", "gal-caption-" + n, "", labels[1]));
                li.append.apply(li, field("gallery_credit", "gal-credit-" + n, document.getElementById("gallery_credit_new").value, labels[2]));
                document.getElementById("gallery_alt_new").value = "";
                return li.querySelector("input:not([type=hidden])");
              }},
    attachment: {input: "attachment_file", problem: "err-attachment_file",
                 done: function (url) {
                   var li = row("attachment-list", "attachment_path", url);
                   var text = document.getElementById("attachment-upload").dataset.title;
                   li.append.apply(li, field("attachment_title", "att-new-" + Date.now(), "", text));
                   return li.querySelector("input:not([type=hidden])");  /* its title, to write next */
                 }}
  };
  /* A file chosen but not uploaded goes up when the form is sent: Save or Publish waits for
     it (and any other), then goes on; one that cannot go up stops the save, said beside it. */
  var resume = null;  // the Save or Publish button pressed while a chosen file was still to go up
  var withoutUploads = false;  // signed out: Save goes on without the files it could not upload
  var saveStatus = document.getElementById("save-status");
  var goingUp = [];  // the words of each upload on its way, oldest first: the bar says the newest
  function upload(button) {
    var how = uploads[button.dataset.kind];
    var input = document.getElementById(how.input);
    var problem = document.getElementById(how.problem);
    /* While it goes up, said beside the file field and in the Save bar's live region: after
       Save, only the disabled Upload button would show why nothing seems to happen. */
    var status = document.getElementById("up-" + how.input);
    var mine = {text: ""};  // this upload's entry in goingUp, while it runs
    function going(text) {
      status.textContent = text;
      goingUp = goingUp.filter(function (entry) { return entry !== mine; });
      if (text) { mine = {text: text}; goingUp.push(mine); }
      saveStatus.textContent = goingUp.length ? goingUp[goingUp.length - 1].text : "";
    }
    function failed(text, missing) {
      going("");
      problem.textContent = text;
      if (missing) { problem.dataset.missing = JSON.stringify(missing); }
      input.focus();
      if (!resume) { return; }
      resume = null;
      saveProblem.textContent = form.dataset.notUploaded;
      saveProblem.hidden = false;
    }
    problem.textContent = "";
    delete problem.dataset.missing;
    if (!input.files.length) { failed(button.dataset.empty || "?"); return; }
    if (input.files[0].size > Number(form.dataset.uploadMax)) {  // refused before a long wait
      failed(form.dataset.tooLarge); return;
    }
    var data = new FormData();
    data.append("csrf", csrf);
    data.append("kind", button.dataset.kind === "attachment" ? "attachment" : "photo");
    data.append("file", input.files[0]);
    if (how.alt) {
      data.append("alt", document.getElementById(how.alt).value);
      data.append("credit", document.getElementById(how.credit).value);
    }
    button.disabled = true;
    going(button.dataset.uploading);
    fetch(form.dataset.upload, {method: "POST", body: data, headers: {"X-CSRF-Token": csrf},
                                credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (result) {
        button.disabled = false;
        if (result.error && result.signed_out && resume) {
          /* Signed out (an idle hour, serve restarted): the form is sent without the file, and
             comes back after signing in again, filled in as it was. */
          var after = resume; resume = null;
          going(""); problem.textContent = result.error; withoutUploads = true;
          var left = document.createElement("input");  // named on the login page: choose it again
          left.type = "hidden"; left.name = "not_uploaded"; left.value = input.files[0].name;
          form.appendChild(left);
          form.requestSubmit(after); return;
        }
        if (result.error) { failed(result.error, result.missing); return; }
        going("");
        input.value = "";
        var next = how.done(result.url);
        problem.textContent = "✓ " + result.url;
        changed();
        if (resume) { var by = resume; resume = null; form.requestSubmit(by); return; }
        (next || button).focus();  /* the button was disabled meanwhile, which took the focus away */
      })
      .catch(function () { button.disabled = false; failed(form.dataset.uploadFailed); });
  }
  document.querySelectorAll("button[data-kind]").forEach(function (button) {
    button.addEventListener("click", function () { upload(button); });
  });
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented || withoutUploads) { return; }
    var waiting = Array.prototype.find.call(document.querySelectorAll("button[data-kind]"), function (button) {
      return document.getElementById(uploads[button.dataset.kind].input).files.length > 0;
    });
    if (!waiting) { return; }
    event.preventDefault();
    resume = event.submitter;
    if (!waiting.disabled) { upload(waiting); }  // else on its way already: Save goes on when it is up
  });
  /* "Describe the photo; name who took it", said when an upload was refused for lack of them,
     is said again as those fields change, and goes once both are filled in. */
  Object.keys(uploads).filter(function (kind) { return uploads[kind].alt; }).forEach(function (kind) {
    var how = uploads[kind], problem = document.getElementById(how.problem);
    [how.alt, how.credit].forEach(function (id) {
      document.getElementById(id).addEventListener("input", function () {
        if (!problem.dataset.missing) { return; }
        var still = JSON.parse(problem.dataset.missing).filter(function (missing) {
          return !document.getElementById(how[missing[0]]).value.trim();  // [alt or credit, its words]
        });
        problem.textContent = still.map(function (missing) { return missing[1]; }).join("; ");
        if (!still.length) { delete problem.dataset.missing; }
      });
    });
  });
  // Last of the form's submit listeners: the ones above may have kept it from being sent.
  form.addEventListener("submit", function (event) { sending = !event.defaultPrevented; });
})();
