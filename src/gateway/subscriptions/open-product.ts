/**
 * Chooses the open product (subscriptionRequired=false) an anonymous call to an API runs in
 * (reference §1.4). Azure allows at most one per API; a configuration with several still needs a
 * stable answer, so the product whose name sorts first (ordinal, case-insensitive) wins [infer].
 */
import { apiBaseName, type Product } from '../../model/resources.js';

/** For each API base name (lower-cased), the open product that includes it. */
export function openProductsByApi(products: readonly Product[]): Map<string, Product> {
  const chosen = new Map<string, Product>();
  for (const product of products) {
    // Published or not makes no difference: "API access in a product context is the same,
    // whether the product is published or not".
    if (product.subscriptionRequired !== false) continue;
    for (const api of product.apis) {
      const id = apiBaseName(api).toLowerCase();
      const current = chosen.get(id);
      if (current === undefined || sortsBefore(product.name, current.name)) chosen.set(id, product);
    }
  }
  return chosen;
}

/** Whether name `a` sorts strictly before name `b`: case-insensitively, then ordinally. */
function sortsBefore(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y || (x === y && a < b);
}
