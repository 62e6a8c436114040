/* The menu on a phone is one row that scrolls sideways (style.css). This script marks each
   side where more links are (the stylesheet fades that edge, so the row shows it scrolls),
   brings the current page's link into view when it starts off to the side, and scrolls a
   link that gets keyboard focus clear of the edges: Chromium leaves a link cut at the edge
   where it is. Without script the row still scrolls and Tab still reaches every link. On a
   wider screen the menu does not scroll and this changes nothing. */
(function () {
  "use strict";
  var menu = document.querySelector(".site-nav ul");
  if (!menu) { return; }
  function showEdges() {
    var rest = menu.scrollWidth - menu.clientWidth - menu.scrollLeft;
    menu.classList.toggle("more-before", menu.scrollLeft > 1);
    menu.classList.toggle("more-after", rest > 1);
  }
  // Scrolled by hand, not with scrollIntoView: that would also move the page, which a browser
  // may have put back where the reader left it. The room left at each edge is the fade's,
  // which the stylesheet gives as the menu's scroll-padding.
  // A link wider than the room between the fades (a long name beside the language switcher,
  // at 320 px) cannot clear both: it is shown whole in the middle of the row, focus ring and
  // all (the row does not fade while it holds focus).
  function reveal(link, center) {
    var style = getComputedStyle(menu), box = menu.getBoundingClientRect(), at = link.getBoundingClientRect();
    var left = box.left + (parseFloat(style.scrollPaddingLeft) || 0);
    var right = box.right - (parseFloat(style.scrollPaddingRight) || 0);
    if (at.left >= left && at.right <= right) { return; }
    var look = getComputedStyle(link);
    var ring = (parseFloat(look.outlineWidth) || 0) + (parseFloat(look.outlineOffset) || 0);
    var wide = at.width > right - left;
    if (wide && at.left - ring >= box.left && at.right + ring <= box.right) { return; }
    if (center || wide) {
      menu.scrollLeft += at.left - box.left - (box.width - at.width) / 2;
    } else {
      menu.scrollLeft += at.left < left ? at.left - left : at.right - right;
    }
  }
  var here = menu.querySelector("[aria-current='page']");
  if (here) { reveal(here, true); }
  showEdges();
  menu.addEventListener("focusin", function (event) { reveal(event.target, false); });
  menu.addEventListener("scroll", showEdges, { passive: true });
  window.addEventListener("resize", showEdges);
}());
