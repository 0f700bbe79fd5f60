/**
 * The HTML of `GET /`: an empty body that the bundle fills, the bundle's
 * assets named with its version, and an inline icon, so the page fetches
 * nothing from anywhere but its own server.
 */

/** The icon, a small constellation, as a data URL. */
const icon = `data:image/svg+xml,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='7' fill='#312e81'/>" +
    "<circle cx='5' cy='6' r='1.6' fill='#c7d2fe'/><circle cx='11' cy='5' r='1.2' fill='#c7d2fe'/>" +
    "<circle cx='9' cy='11' r='1.4' fill='#c7d2fe'/></svg>"
)}`

/** The page that loads the bundle of `version`. */
export const indexHtml = (version: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Constellation · Live dashboard</title>
<link rel="icon" href="${icon}">
<link rel="stylesheet" href="/assets/app.css?v=${version}">
<script type="module" src="/assets/app.js?v=${version}"></script>
</head>
<body>
<noscript>The Constellation dashboard needs JavaScript. The HTTP API is described at <a href="/docs">/docs</a>.</noscript>
</body>
</html>
`

/** Only the page's own server: no CDN, no inline script. */
export const contentSecurityPolicy =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
