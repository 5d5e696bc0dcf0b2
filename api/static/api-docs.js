// Swagger UI for the app's own OpenAPI description; no validator badge (it would call another server).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle === "undefined") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.dataset.spec,
    domNode: element,
    validatorUrl: null,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
