// Every table of this plugin is a collection type without draft & publish, hidden from the Content Manager
// and the Content-Type Builder, with the indexes its queries need.
import { randomUUID } from 'node:crypto';
interface Names {
  collectionName: string;
  singularName: string;
  pluralName: string;
  displayName: string;
}

interface Index {
  /** Database column names (Strapi snake-cases attribute names). */
  columns: string[];
  type?: 'unique';
}

export const internalCollection = <Attributes extends Record<string, object>>(
  names: Names,
  attributes: Attributes,
  indexes: Index[] = [],
) => ({
  kind: 'collectionType',
  collectionName: names.collectionName,
  info: { singularName: names.singularName, pluralName: names.pluralName, displayName: names.displayName },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes,
  indexes: indexes.map((index) => ({
    ...index,
    name: `${names.collectionName}_${index.columns.join('_')}_${index.type === 'unique' ? 'uq' : 'idx'}`,
  })),
});

/**
 * Rows for `createMany` on these tables, each given its documentId here. Strapi would draw each from cuid2 (about
 * 35 µs a row: a twelfth of a bulk send's time, for its codes, messages and audit rows); these rows are never
 * documents of the Document Service, so a random UUID serves.
 */
export const withDocumentIds = <Row extends object>(rows: Row[]) => rows.map((row) => ({ documentId: randomUUID(), ...row }));
