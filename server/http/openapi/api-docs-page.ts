/**
 * The API reference page: the platform's own heading in both languages over Swagger UI, which
 * renders /api/openapi.json. Every file it loads comes from this server, named in `files`.
 */
export const apiDocsHtml = (fileUrl: (name: string) => string) => `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>接口说明 · API reference</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${fileUrl('swagger-ui.css')}" />
    <link rel="stylesheet" href="${fileUrl('api-docs.css')}" />
  </head>
  <body>
    <header class="api-docs-header">
      <h1><span lang="zh-CN">校车平台接口说明</span> · <span lang="en">School-transport platform API</span></h1>
      <p>
        <span lang="zh-CN">除登录、注册和本说明外，每个接口都需要 <code>Authorization: Bearer</code> 令牌。</span>
        <span lang="en">Every operation but signing in, enrolling, pairing and this reference takes a
        <code>Authorization: Bearer</code> token.</span>
        <a href="/api/openapi.json">openapi.json</a>
      </p>
    </header>
    <div id="api-reference"></div>
    <script src="${fileUrl('swagger-ui-bundle.js')}"></script>
    <script src="${fileUrl('api-docs.js')}"></script>
  </body>
</html>
`

/** Starts Swagger UI: no validator badge (it would call a site outside), nothing kept in the browser. */
const startScript = `SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#api-reference',
  deepLinking: true,
  validatorUrl: null,
  docExpansion: 'list',
  defaultModelsExpandDepth: -1,
  filter: true,
  persistAuthorization: false,
})
`

const headerStyle = `.api-docs-header {
  max-width: 1460px;
  margin: 0 auto;
  padding: 16px 20px 0;
  font-family: sans-serif;
  color: #3b4151;
}
.api-docs-header h1 {
  font-size: 24px;
  margin: 0 0 8px;
}
.api-docs-header p {
  margin: 0;
  line-height: 1.6;
}
`

/** The files the page loads: its own, and Swagger UI's from its package. */
export const apiDocsFiles: Record<string, { type: string } & ({ text: string } | { packageFile: string })> = {
  'api-docs.js': { type: 'text/javascript; charset=utf-8', text: startScript },
  'api-docs.css': { type: 'text/css; charset=utf-8', text: headerStyle },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', packageFile: 'swagger-ui-bundle.js' },
  'swagger-ui.css': { type: 'text/css; charset=utf-8', packageFile: 'swagger-ui.css' },
}
