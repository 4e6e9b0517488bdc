/* aiscript review pages: selection with j/k, episodes with n/p, filters on the season page.
   Reads only the page's own markup; nothing from a script is ever run or parsed as HTML. */
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-nav-item]"));
  var cursor = document.querySelector("[data-cursor]");
  var now = document.querySelector("[data-now]");
  var current = null;

  function visible() {
    return items.filter(function (el) { return !el.hidden; });
  }

  function select(el, scroll) {
    if (!el) { return; }
    if (current) {
      current.classList.remove("is-current");
      current.removeAttribute("aria-current");
    }
    current = el;
    el.classList.add("is-current");
    el.setAttribute("aria-current", "true");
    if (cursor && el.dataset.x) {
      cursor.setAttribute("x", el.dataset.x);
      cursor.setAttribute("width", el.dataset.w);
    }
    if (now && el.dataset.label) { now.textContent = el.dataset.label; }
    if (scroll) {
      el.scrollIntoView({ block: "nearest" });
      if (history.replaceState && el.id) { history.replaceState(null, "", "#" + el.id); }
    }
  }

  function move(step) {
    var list = visible();
    if (!list.length) { return; }
    var i = list.indexOf(current);
    var next = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    select(list[next], true);
  }

  function follow(rel) {
    var link = document.querySelector('a[rel="' + rel + '"]');
    if (link) { window.location.href = link.href; }
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
    if (e.key === "j") { move(1); }
    else if (e.key === "k") { move(-1); }
    else if (e.key === "n") { follow("next"); }
    else if (e.key === "p") { follow("prev"); }
    else if (e.key === "Enter" && current && current.dataset.href && t === document.body) {
      window.location.href = current.dataset.href;
    } else { return; }
    e.preventDefault();
  });

  items.forEach(function (el) {
    el.addEventListener("click", function () { select(el, false); });
  });

  // the season page's filters: a card shows when it has any of the pressed flags
  var bar = document.querySelector("[data-filters]");
  if (bar) {
    var buttons = Array.prototype.slice.call(bar.querySelectorAll("[data-filter]"));
    var shown = bar.querySelector("[data-shown]");
    var apply = function () {
      var on = buttons.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
        .map(function (b) { return b.dataset.filter; });
      var count = 0;
      items.forEach(function (el) {
        var flags = (el.dataset.flags || "").split(" ");
        var show = !on.length || on.some(function (f) { return flags.indexOf(f) >= 0; });
        el.hidden = !show;
        if (show) { count += 1; }
      });
      if (shown) { shown.textContent = on.length ? count + " of " + items.length + " shown" : ""; }
      if (current && current.hidden) { current.classList.remove("is-current"); current = null; }
    };
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
        apply();
      });
    });
    bar.hidden = false;
  }

  if (location.hash) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && items.indexOf(target) >= 0) { select(target, false); }
  }
})();
