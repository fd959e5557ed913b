// The page at `/` until the playground lands: the article table, and a form to decide an event.
export function homePage(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>Tiaoli 条例</title>
<style>
  body { font: 15px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
  table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
  textarea { width: 100%; height: 14rem; font: 13px ui-monospace, monospace; } pre { background: #f6f6f6; padding: 1rem; overflow: auto; }
  .non-operative { color: #777; }
</style>
</head>
<body>
<h1>Tiaoli 条例</h1>
<p>Decision API: <a href="/docs">API documentation</a> · <a href="/openapi.json">OpenAPI</a> · <a href="/v1/policies">policies</a> · <a href="/metrics">metrics</a></p>
<h2>Try an event</h2>
<textarea id="event">{
  "id": "demo-1",
  "type": "content.publish",
  "occurredAt": "2024-05-01T20:00:00+08:00",
  "provider": { "id": "p-1", "services": ["live_broadcast"], "licenses": ["icp_filing"] },
  "actor": { "id": "a-1", "role": "publisher", "verified": ["phone_number"], "agreementSigned": true },
  "content": { "id": "c-1", "form": "live_stream", "category": "general" }
}</textarea>
<p><button id="decide">Decide</button></p>
<pre id="decision"></pre>
<h2>Articles</h2>
<table id="articles"><thead><tr><th>regulation</th><th>article</th><th>text</th><th>status</th><th>rules</th></tr></thead><tbody></tbody></table>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
document.getElementById('decide').onclick = async () => {
  const out = document.getElementById('decision');
  let body;
  try { body = JSON.parse(document.getElementById('event').value); } catch (e) { out.textContent = 'Not JSON: ' + e.message; return; }
  const res = await fetch('/v1/decisions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  out.textContent = JSON.stringify(await res.json(), null, 2);
};
fetch('/v1/articles').then((r) => r.json()).then((rows) => {
  document.querySelector('#articles tbody').innerHTML = rows.map((r) =>
    '<tr class="' + r.status + '"><td>' + esc(r.regulation) + '</td><td>' + r.article + '</td><td>' + esc(r.firstWords) + '</td><td>' +
    esc(r.status) + (r.reason ? ': ' + esc(r.reason) : '') + '</td><td>' + r.rules + '</td></tr>').join('');
});
</script>
</body>
</html>
`;
}
