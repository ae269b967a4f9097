#!/usr/bin/env node
// Validates FHIR R4 JSON files against the official FHIR R4 JSON schema (4.0, as shipped by
// @asymmetrik/fhir-json-schema-validator, on ajv). Usage: node validate.js FILE.json...
// Each file holds one resource, usually a Bundle; its entries are also checked one by one so
// that an error names the resource and the path inside it. Exit status: 0 when every file is
// valid, 1 when any is not, 2 on a usage or set-up problem.
'use strict';

const fs = require('fs');
const path = require('path');

let JSONSchemaValidator;
try {
  JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
} catch (e) {
  console.error(`validate.js: the FHIR validator is not installed; run: npm ci --prefix ${__dirname}`);
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.js FILE.json...');
  process.exit(2);
}

const validator = new JSONSchemaValidator();
validator.ajv.addSchema(require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json'), 'fhir-r4');
const byType = new Map(); // resourceType -> ajv validate function for that definition alone

function resourceErrors(resource) {
  const type = resource && resource.resourceType;
  if (!validator.schema.discriminator.mapping[type]) return [`unknown resourceType '${type}'`];
  if (!byType.has(type)) byType.set(type, validator.ajv.compile({ $ref: `fhir-r4#/definitions/${type}` }));
  const check = byType.get(type);
  if (check(resource)) return [];
  return check.errors.map((e) => `${e.dataPath || '(root)'} ${e.message}${e.params && e.params.additionalProperty ? `: '${e.params.additionalProperty}'` : ''}`);
}

let bad = 0;
let resources = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: not readable JSON: ${e.message}`);
    bad++;
    continue;
  }
  const problems = [];
  // The package's own check of the whole document (a Bundle validates its entries too).
  if (validator.validate(doc, true).length > 0) problems.push('does not match the FHIR R4 schema');
  const entries = doc.resourceType === 'Bundle' && Array.isArray(doc.entry) ? doc.entry : [];
  entries.forEach((entry, i) => {
    if (!entry.resource) return;
    resources++;
    for (const p of resourceErrors(entry.resource)) problems.push(`entry[${i}] ${entry.resource.resourceType}: ${p}`);
  });
  // The document itself; an entry's resource was named above, where its errors are clearer.
  const entryProblems = problems.length > 1;
  for (const p of resourceErrors(doc))
    if (!(entryProblems && /^\.entry\[\d+\]\.resource/.test(p))) problems.push(`${doc.resourceType}: ${p}`);
  resources++;
  if (problems.length) {
    bad++;
    console.error(`${path.basename(file)}: INVALID`);
    for (const p of [...new Set(problems)].slice(0, 40)) console.error(`  ${p}`);
  } else {
    console.log(`${path.basename(file)}: valid FHIR R4 (${entries.length} entries)`);
  }
}
console.log(`${files.length - bad} of ${files.length} file(s) valid, ${resources} resource(s) checked`);
process.exit(bad ? 1 : 0);
