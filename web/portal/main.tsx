/**
 * The developer portal's entry point (built by scripts/build-web.mjs into dist/web/portal/).
 */
import { render } from 'preact';
import { setAppName } from '../shared/page-heading.js';
import { App } from './app.js';
import '../admin/styles.css';
import './styles.css';
import './catalogue.css';

setAppName('Gatehouse developer portal');
render(<App />, document.getElementById('app')!);
