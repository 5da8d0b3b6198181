/**
 * The admin console's entry point (built by scripts/build-web.mjs into dist/web/admin/).
 */
import { render } from 'preact';
import { App } from './app.js';
import './styles.css';

render(<App />, document.getElementById('app')!);
