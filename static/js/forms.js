// Behaviour that forms ask for with data attributes (the CSP allows no inline handlers):
// data-confirm="…" asks before submitting; data-once disables the button once submitted.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
    return;
  }
  if (form.hasAttribute("data-once")) {
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
  }
});

// The Jalali date picker (day, month, year lists) says the date it holds, through its live
// region, each time one of its lists changes: a screen reader hears the whole date, not a number.
document.addEventListener("change", function (event) {
  var picker = event.target.closest && event.target.closest("[data-jalali-date]");
  if (!picker) return;
  var lists = picker.querySelectorAll("select");
  var chosen = Array.prototype.map.call(lists, function (list) { return list.value ? list.options[list.selectedIndex].text : ""; });
  var said = picker.querySelector("[data-jalali-said]");
  said.textContent = chosen.every(Boolean)
    ? "تاریخ انتخاب‌شده: " + chosen.join(" ")
    : "تاریخ کامل نیست: روز، ماه و سال را انتخاب کنید.";
});
