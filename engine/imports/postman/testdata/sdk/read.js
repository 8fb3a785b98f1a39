// Reads a collection with Postman's own library, postman-collection, and prints what it understood as JSON:
// the collection's name, auth and variables, each request with its folders, the authentication it uses (its
// own or inherited), its path as written (with its :variables) and their values, and whether the library writes
// back what it read (toJSON, read again, gives the same). Run: node read.js COLLECTION.json
const fs = require('fs');
const { Collection } = require('postman-collection');

const json = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const c = new Collection(json);
const written = JSON.stringify(c.toJSON());
const again = JSON.stringify(new Collection(JSON.parse(written)).toJSON());

const rows = (list) => (list ? list.all().map((p) => ({ key: p.key, value: p.value === undefined ? '' : p.value, disabled: !!p.disabled })) : null);
const items = [];
c.forEachItem((item) => {
  const folders = [];
  for (let p = item.parent(); p && p !== c; p = p.parent()) folders.unshift(p.name);
  const r = item.request;
  let body = null;
  if (r.body && (r.body.mode || !r.body.isEmpty())) {
    body = { mode: r.body.mode };
    if (r.body.isEmpty()) body.empty = true;
    switch (r.body.mode) {
      case 'raw': body.raw = r.body.raw; body.language = r.body.options && r.body.options.raw && r.body.options.raw.language; break;
      case 'urlencoded': body.rows = rows(r.body.urlencoded); break;
      case 'formdata': body.rows = r.body.formdata.all().map((p) => ({ key: p.key, type: p.type, value: p.value || '', src: p.src || '', contentType: p.contentType || '', disabled: !!p.disabled })); break;
      case 'file': body.src = r.body.file.src; break;
    }
  }
  const auth = item.getAuth();
  const pathVariables = r.url.variables.all().map((v) => ({ key: v.key, value: v.value === undefined ? '' : String(v.value), description: v.description ? String(v.description.content || v.description) : '' }));
  items.push({ id: item.id, name: item.name, folder: folders.join('/'), method: r.method, url: r.url.toString(), path: r.url.getPath(true),
    pathVariables, auth: auth ? auth.type : '', headers: rows(r.headers), body });
});

console.log(JSON.stringify({
  name: c.name,
  auth: c.auth ? { type: c.auth.type, params: c.auth.parameters().toObject() } : null,
  variables: c.variables.toObject(),
  items,
  stable: written === again,
}));
