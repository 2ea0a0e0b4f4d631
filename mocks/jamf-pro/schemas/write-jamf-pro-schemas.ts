/**
 * `npm run vendor-schemas` (the Jamf Pro part): rewrites the committed `jamf-pro-api.generated.ts` from
 * Jamf's 11.7.1 description in ../shared/vendor-specs (beside the project, absent from users' clones).
 * The generator is a pure function (generate-jamf-pro-schemas.ts); this only reads the file and writes the
 * module. Run from the package root; the npm script formats the result with biome afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type OpenApiDocument, renderJamfProSchemasModule } from './generate-jamf-pro-schemas.ts';

const root = process.cwd();
const input = path.resolve(root, '..', 'shared', 'vendor-specs', 'jamf-pro', 'jamf-pro-11.7.1-openapi.json');
const output = path.join(root, 'mocks', 'jamf-pro', 'schemas', 'jamf-pro-api.generated.ts');

writeFileSync(output, renderJamfProSchemasModule(JSON.parse(readFileSync(input, 'utf8')) as OpenApiDocument));
process.stdout.write(`jamf-pro: wrote ${path.relative(root, output)} from ${input}\n`);
