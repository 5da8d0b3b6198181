// The hook is shared with the developer portal (web/shared/use-loaded.ts).
export { useLoaded, type Loaded } from '../shared/use-loaded.js';
