/**
 * A group as the management API answers it (Azure's GroupContract).
 */
export interface GroupResource {
  name: string;
  properties: { displayName?: string; description?: string; builtIn?: boolean; type?: string };
}
