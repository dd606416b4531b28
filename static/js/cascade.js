// The service list's cascade: "+" opens a service's sub-services, "−" closes them.
document.querySelectorAll("[data-toggle]").forEach(function (button) {
  button.addEventListener("click", function () {
    var list = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") === "true";
    list.hidden = open;
    button.setAttribute("aria-expanded", String(!open));
    button.textContent = open ? "+" : "−";
  });
});
