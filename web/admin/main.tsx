/**
 * The admin console's entry point (built by scripts/build-web.mjs into dist/web/admin/).
 */
import { render } from 'preact';
import { setAppName } from '../shared/page-heading.js';
import { App } from './app.js';
import './styles.css';

setAppName('Gatehouse admin console');
render(<App />, document.getElementById('app')!);
