// Shared with the developer portal (web/shared/problem-message.tsx).
export { ProblemMessage } from '../shared/problem-message.js';
