/**
 * Tags (Azure's Tag contract) and their links to APIs, products and operations. A link's PUT
 * takes no body and answers the tag, as Azure's ApiTag/ProductTag/OperationTag_AssignToX do;
 * deleting a tag removes every link to it (Azure does not leave a dangling assignment).
 */
import type { ResourceKind } from '../resource-kind.js';
import { tagSchema } from '../resource-schemas.js';
import { linkKind } from './links.js';

/** The kinds of the tag links, which a tag's deletion clears. */
export const tagLinkKinds = ['apiTag', 'productTag', 'operationTag'] as const;

export const tagKind: ResourceKind = {
  kind: 'tag',
  armType: 'Microsoft.ApiManagement/service/tags',
  label: 'Tag',
  schema: tagSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async beforeDelete(entity, ctx) {
    const name = entity.id.slice(entity.id.lastIndexOf('/') + 1).toLowerCase();
    for (const kind of tagLinkKinds) {
      for (const link of (await ctx.tx.list({ kind })).items) {
        if (link.id.slice(link.id.lastIndexOf('/') + 1).toLowerCase() === name) await ctx.tx.delete(link.id);
      }
    }
  },
};

const tagType = 'Microsoft.ApiManagement/service/tags';
export const apiTagKind = linkKind('apiTag', tagType, 'Tag', 'tags', 'Tag', 'getEntityTag');
export const productTagKind = linkKind('productTag', tagType, 'Tag', 'tags', 'Tag', 'getEntityTag');
export const operationTagKind = linkKind('operationTag', tagType, 'Tag', 'tags', 'Tag', 'getEntityTag');
