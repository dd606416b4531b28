// A QR code or link may carry the code in the fragment (never sent to the server).
if (location.hash.length > 1) {
  document.getElementById("code").value = decodeURIComponent(location.hash.slice(1));
  history.replaceState(null, "", location.pathname);
}
