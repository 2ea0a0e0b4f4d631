/**
 * `npm run vendor-schemas`: regenerates okta-api.generated.ts from Okta's descriptions in
 * ../shared/vendor-specs/okta (run from the project root, where the npm script runs). The operations come
 * from the mock itself, so a route added to the router is picked up without a list to keep.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOktaMock } from '../index.ts';
import { generateOktaSchemas, renderOktaSchemasModule } from './generate-okta-schemas.ts';

export const OKTA_SPECS_DIR = '../shared/vendor-specs/okta';
export const GENERATED_MODULE = 'mocks/okta/schemas/okta-api.generated.ts';

/** The operations the mock serves from Okta's descriptions (a small org: only its route table is read). */
export async function servedOperations(): Promise<{ operationId: string; spec: string }[]> {
  const okta = await buildOktaMock({ fleet: { devices: 1 } });
  await okta.close();
  return okta.operations.map(({ operationId, spec }) => ({ operationId, spec }));
}

/** The generated module's text from the descriptions in `specsDir`. */
export async function oktaSchemasModule(specsDir = OKTA_SPECS_DIR): Promise<string> {
  return renderOktaSchemasModule(
    generateOktaSchemas({
      management: readFileSync(resolve(specsDir, 'management-minimal.yaml'), 'utf8'),
      oauth: readFileSync(resolve(specsDir, 'oauth-minimal.yaml'), 'utf8'),
      operations: await servedOperations(),
    }),
  );
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const text = await oktaSchemasModule();
  writeFileSync(GENERATED_MODULE, text);
  process.stdout.write(`wrote ${GENERATED_MODULE} (${text.length} characters)\n`);
}
