/** The shapes of the management API's resources the portal reads (the properties it shows). */

export interface Resource<P> {
  id: string;
  name: string;
  properties: P;
}

export interface ApiProperties {
  displayName: string;
  description?: string;
  path: string;
  protocols?: string[];
  apiVersion?: string;
  subscriptionRequired?: boolean;
}

export interface ProductProperties {
  displayName: string;
  description?: string;
  terms?: string;
  subscriptionRequired?: boolean;
  approvalRequired?: boolean;
  subscriptionsLimit?: number;
  state?: string;
}

export type Api = Resource<ApiProperties>;
export type Product = Resource<ProductProperties>;
