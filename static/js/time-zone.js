// Redress: a time zone field left on the site's zone is set to the browser's own, if listed.
// The person sees the choice and can change it; without this script the field keeps its value.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("select[data-time-zone]").forEach(function (select) {
    if (select.value) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) {
        select.value = zone;
        return;
      }
    }
  });
})();
