// Converts a collection v2.1 to v2.0 with Postman's own converter, postman-collection-transformer (which goes
// through v1), and prints it. Run: node v20.js COLLECTION.json
const fs = require('fs');
const transformer = require('postman-collection-transformer');

const v21 = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
transformer.convert(v21, { inputVersion: '2.1.0', outputVersion: '1.0.0', retainIds: true }, (err, v1) => {
  if (err) throw err;
  transformer.convert(v1, { inputVersion: '1.0.0', outputVersion: '2.0.0', retainIds: true }, (err, v20) => {
    if (err) throw err;
    console.log(JSON.stringify(v20, null, '\t'));
  });
});
