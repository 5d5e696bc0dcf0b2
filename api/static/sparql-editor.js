// YASGUI against this app's read-only endpoint; no lookups on other servers (no prefix.cc, no LOV).
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  if (!element || typeof window.Yasgui === "undefined") {
    return;
  }
  var endpoint = new URL(element.dataset.endpoint, window.location.href).href;
  var yasgui = new window.Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "sozialgraph-yasgui",
    yasqe: { autocompleters: ["variables"], value: element.dataset.query },
    yasr: { prefixes: {} }
  });
  var tab = yasgui.getTab();
  if (tab && tab.getQuery && tab.getQuery().trim() === "") {
    tab.setQuery(element.dataset.query);
  }
  window.sozialgraphYasgui = yasgui;
})();
