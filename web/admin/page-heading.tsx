// Shared with the developer portal (web/shared/page-heading.tsx).
export { PageHeading } from '../shared/page-heading.js';
