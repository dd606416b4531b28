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
