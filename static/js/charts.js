// The report's charts: each chart's button shows its data table (kept for screen readers in a
// visually hidden box) to the eye too, and hides it again; aria-expanded says which. The button
// is hidden in the page and shown here, so that without the script there is no dead button.
document.querySelectorAll("[data-chart-table]").forEach(function (button) {
  var box = document.getElementById(button.getAttribute("aria-controls"));
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    box.classList.toggle("visually-hidden", open);
    box.classList.toggle("chart-data", !open);
    button.setAttribute("aria-expanded", String(!open));
  });
});
