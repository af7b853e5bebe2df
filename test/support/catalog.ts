import { loadCatalog } from '../../src/app/catalog.ts';

/** Every output definition of the table, loaded, as the app page has them. */
export const catalog = await loadCatalog();
